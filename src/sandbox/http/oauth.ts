// OAuth 2.0 (3LO) as Atlassian runs it: an authorize page (consenting automatically for a chosen user),
// the token endpoint with authorization_code and rotating refresh_token grants, and accessible-resources.
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import type { SandboxState } from "../model/state.ts";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthOptions {
  clients: OAuthClient[];
  /** Access-token lifetime; tests shorten it to exercise refresh. Atlassian: 3600 s. */
  accessTokenTtlSeconds: number;
  /** A rotated refresh token may be reused within this window (Atlassian: 10 minutes). */
  reuseLeewaySeconds: number;
}

export const DEFAULT_OAUTH_CLIENT: OAuthClient = { clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret" };

interface Grant {
  accountId: string;
  scopes: string[];
  clientId: string;
}
interface AccessToken extends Grant {
  expiresAt: number;
}
interface RefreshToken extends Grant {
  family: string;
  rotatedAt: number | null;
}

/** Holds codes and tokens; the HTTP routes and the gateway's authentication both use it. */
export class OAuthAuthority {
  options: OAuthOptions;
  /** Who consents on the authorize page when the request names nobody (test control). */
  consentingAccountId: string | null = null;
  private codes = new Map<string, Grant & { redirectUri: string; expiresAt: number }>();
  private accessTokens = new Map<string, AccessToken>();
  private refreshTokens = new Map<string, RefreshToken>();
  private revokedFamilies = new Set<string>();
  private state: SandboxState;

  constructor(state: SandboxState, options: Partial<OAuthOptions> = {}) {
    this.state = state;
    this.options = { clients: [DEFAULT_OAUTH_CLIENT], accessTokenTtlSeconds: 3600, reuseLeewaySeconds: 600, ...options };
  }

  accessToken(token: string): AccessToken | "expired" | undefined {
    const found = this.accessTokens.get(token);
    if (!found) return undefined;
    if (found.expiresAt <= this.state.now()) return "expired";
    return found;
  }

  /** Revokes every token of a user (as a user removing the app's access does). */
  revokeUser(accountId: string): void {
    for (const [token, grant] of this.accessTokens) if (grant.accountId === accountId) this.accessTokens.delete(token);
    for (const [token, grant] of this.refreshTokens) {
      if (grant.accountId === accountId) {
        this.revokedFamilies.add(grant.family);
        this.refreshTokens.delete(token);
      }
    }
  }

  issueCode(grant: Grant, redirectUri: string): string {
    const code = token("code");
    this.codes.set(code, { ...grant, redirectUri, expiresAt: this.state.now() + 10 * 60_000 });
    return code;
  }

  exchangeCode(clientId: string, code: string, redirectUri: string | undefined): TokenResponse | TokenError {
    const grant = this.codes.get(code);
    this.codes.delete(code); // single use
    if (!grant || grant.expiresAt <= this.state.now() || grant.clientId !== clientId) {
      return { status: 403, error: "invalid_grant", error_description: "Invalid authorization code" };
    }
    if (redirectUri !== undefined && redirectUri !== grant.redirectUri) {
      return { status: 403, error: "invalid_grant", error_description: "redirect_uri does not match the authorization request" };
    }
    return this.mint(grant, token("family"));
  }

  refresh(clientId: string, refreshToken: string): TokenResponse | TokenError {
    const found = this.refreshTokens.get(refreshToken);
    const invalid: TokenError = { status: 403, error: "invalid_grant", error_description: "Unknown or invalid refresh token." };
    if (!found || found.clientId !== clientId || this.revokedFamilies.has(found.family)) return invalid;
    const now = this.state.now();
    if (found.rotatedAt !== null && now - found.rotatedAt > this.options.reuseLeewaySeconds * 1000) {
      // Reuse of a rotated token outside the leeway looks like theft: the whole family is revoked.
      this.revokedFamilies.add(found.family);
      for (const [candidate, grant] of this.refreshTokens) if (grant.family === found.family) this.refreshTokens.delete(candidate);
      return invalid;
    }
    found.rotatedAt ??= now;
    return this.mint(found, found.family);
  }

  private mint(grant: Grant, family: string): TokenResponse {
    const access = token("access");
    const ttl = this.options.accessTokenTtlSeconds;
    this.accessTokens.set(access, { accountId: grant.accountId, scopes: grant.scopes, clientId: grant.clientId, expiresAt: this.state.now() + ttl * 1000 });
    const response: TokenResponse = { access_token: access, expires_in: ttl, token_type: "Bearer", scope: grant.scopes.join(" ") };
    if (grant.scopes.includes("offline_access")) {
      const refresh = token("refresh");
      this.refreshTokens.set(refresh, { accountId: grant.accountId, scopes: grant.scopes, clientId: grant.clientId, family, rotatedAt: null });
      response.refresh_token = refresh;
    }
    return response;
  }

  client(clientId: unknown, clientSecret?: unknown): OAuthClient | undefined {
    return this.options.clients.find(
      (client) => client.clientId === clientId && (clientSecret === undefined || client.clientSecret === clientSecret),
    );
  }
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
  scope: string;
  refresh_token?: string;
}
interface TokenError {
  status: number;
  error: string;
  error_description: string;
}

function token(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString("base64url")}`;
}

/** Routes at the site root: `/authorize`, `/oauth/token`, `/oauth/token/accessible-resources`. */
export function oauthRoutes(state: SandboxState, authority: OAuthAuthority, siteUrl: () => string): Hono {
  const app = new Hono();

  app.get("/authorize", (c) => {
    const query = c.req.query();
    const client = authority.client(query.client_id);
    if (!client) return c.text(`Unknown client_id '${query.client_id ?? ""}'. Register the app and use its client id.`, 400);
    if (query.response_type !== "code") return c.text("response_type must be 'code'.", 400);
    if (!query.redirect_uri) return c.text("redirect_uri is required.", 400);
    const who = query.sandbox_user ?? query.login_hint ?? authority.consentingAccountId;
    const user = who ? state.findUser(who) : undefined;
    if (!user) {
      return c.text("No consenting user: pass sandbox_user=<email or accountId>, or set one with POST /_sandbox/oauth.", 400);
    }
    const scopes = (query.scope ?? "").split(/[ +]/).filter(Boolean);
    const code = authority.issueCode({ accountId: user.accountId, scopes, clientId: client.clientId }, query.redirect_uri);
    const target = new URL(query.redirect_uri);
    target.searchParams.set("code", code);
    if (query.state !== undefined) target.searchParams.set("state", query.state);
    return c.redirect(target.toString(), 302);
  });

  app.post("/oauth/token", async (c) => {
    const type = c.req.header("content-type") ?? "";
    let body: Record<string, unknown>;
    try {
      body = type.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(await c.req.text())) : await c.req.json();
    } catch {
      return c.json({ error: "invalid_request", error_description: "Body must be JSON or form encoded." }, 400);
    }
    const client = authority.client(body.client_id, body.client_secret);
    if (!client) return c.json({ error: "access_denied", error_description: "Unauthorized" }, 401);
    let result: TokenResponse | TokenError;
    if (body.grant_type === "authorization_code") {
      result = authority.exchangeCode(client.clientId, String(body.code ?? ""), body.redirect_uri === undefined ? undefined : String(body.redirect_uri));
    } else if (body.grant_type === "refresh_token") {
      result = authority.refresh(client.clientId, String(body.refresh_token ?? ""));
    } else {
      return c.json({ error: "unsupported_grant_type", error_description: "grant_type must be authorization_code or refresh_token." }, 400);
    }
    if ("error" in result) return c.json({ error: result.error, error_description: result.error_description }, result.status as 403);
    return c.json(result);
  });

  app.get("/oauth/token/accessible-resources", (c) => {
    const header = c.req.header("authorization") ?? "";
    const grant = authority.accessToken(header.replace(/^Bearer\s+/i, ""));
    if (!grant || grant === "expired") return c.json({ code: 401, message: "Unauthorized" }, 401);
    // An account without Jira product access (no project permission, not an admin) sees no site.
    const user = state.userByAccountId(grant.accountId);
    const hasJira = Boolean(user?.admin) || [...state.projects.values()].some((project) => (project.permissions[grant.accountId] ?? []).length > 0);
    if (!hasJira) return c.json([]);
    return c.json([
      { id: state.site.cloudId, url: siteUrl(), name: state.site.title.toLowerCase().replace(/\s+/g, "-"), scopes: grant.scopes, avatarUrl: `${siteUrl()}/favicon.png` },
    ]);
  });

  return app;
}
