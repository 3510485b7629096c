// Who is calling: Cloud Basic (email + API token) and OAuth through the gateway; DC Basic (username + password)
// and personal access tokens as Bearer. Wrong or expired credentials answer 401 as Jira does.
import type { MiddlewareHandler } from "hono";
import type { SandboxState } from "../model/state.ts";
import type { SandboxUser } from "../model/types.ts";
import type { OAuthAuthority } from "./oauth.ts";
import type { SandboxEnv } from "./request.ts";

/** Set by the gateway rewrite (never trusted from outside: the server strips it from incoming requests). */
export const GATEWAY_HEADER = "x-sandbox-gateway-cloud-id";

/** Paths Jira serves without authentication. */
const ANONYMOUS = [/^\/rest\/api\/[23]\/serverInfo$/];

export function authMiddleware(state: SandboxState, authority: OAuthAuthority): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const viaGateway = c.req.header(GATEWAY_HEADER) !== undefined;
    const header = c.req.header("authorization");
    if (!header) {
      if (ANONYMOUS.some((pattern) => pattern.test(path))) {
        c.set("viewerId", "");
        c.set("oauthScopes", null);
        return next();
      }
      return unauthenticated(c, viaGateway);
    }
    const [scheme, credential = ""] = header.split(/\s+/, 2);
    if (viaGateway) {
      // The gateway only takes OAuth access tokens.
      if (scheme?.toLowerCase() !== "bearer") return c.json({ code: 401, message: "Unauthorized" }, 401);
      const grant = authority.accessToken(credential);
      if (!grant || grant === "expired") return c.json({ code: 401, message: "Unauthorized" }, 401);
      const user = state.userByAccountId(grant.accountId);
      if (!user?.active) return c.json({ code: 401, message: "Unauthorized" }, 401);
      if (!scopeAllows(grant.scopes, c.req.method, path)) return c.json({ code: 401, message: "Unauthorized; scope does not match" }, 401);
      c.set("viewerId", user.accountId);
      c.set("oauthScopes", grant.scopes);
      return next();
    }
    const user = scheme?.toLowerCase() === "basic" ? basicUser(state, credential) : scheme?.toLowerCase() === "bearer" ? bearerUser(state, credential) : undefined;
    if (!user) return unauthenticated(c, false);
    c.set("viewerId", user.accountId);
    c.set("oauthScopes", null);
    return next();
  };
}

function basicUser(state: SandboxState, credential: string): SandboxUser | undefined {
  const decoded = Buffer.from(credential, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const login = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (state.flavour === "cloud") {
    // Cloud: the login is the account's email and the secret an API token; passwords were turned off in 2019.
    const user = state.userByEmail(login);
    return user?.active && user.apiTokens.includes(secret) ? user : undefined;
  }
  const user = state.userByNameOrKey(login) ?? state.userByEmail(login);
  return user?.active && user.password !== null && user.password === secret ? user : undefined;
}

function bearerUser(state: SandboxState, credential: string): SandboxUser | undefined {
  // Only Data Center takes personal access tokens; Cloud's bearer tokens go through the gateway.
  if (state.flavour !== "dc") return undefined;
  for (const user of state.users.values()) if (user.active && user.personalAccessTokens.includes(credential)) return user;
  return undefined;
}

function unauthenticated(c: Parameters<MiddlewareHandler<SandboxEnv>>[0], viaGateway: boolean) {
  if (viaGateway) return c.json({ code: 401, message: "Unauthorized" }, 401);
  c.header("WWW-Authenticate", 'Basic realm="protected-area"');
  c.header("X-Seraph-LoginReason", "AUTHENTICATED_FAILED");
  return c.text("Client must be authenticated to access this resource.", 401);
}

/** Classic 3LO scopes: reading needs read:jira-work, writing write:jira-work, webhooks manage:jira-webhook. */
function scopeAllows(scopes: string[], method: string, path: string): boolean {
  if (/\/rest\/api\/3\/webhook/.test(path)) return scopes.includes("manage:jira-webhook");
  if (/\/(myself|user)(\/|$|\?)/.test(path)) return scopes.includes("read:jira-user") || scopes.includes("read:jira-work");
  if (method === "GET" || method === "HEAD") return scopes.includes("read:jira-work");
  // Searches are POSTs that only read.
  if (/\/(search|bulkfetch|approximate-count)/.test(path)) return scopes.includes("read:jira-work");
  return scopes.includes("write:jira-work");
}
