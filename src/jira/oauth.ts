// OAuth 2.0 (3LO) for Jira Cloud: the authorization URL, code exchange, refresh with rotating refresh tokens,
// and accessible-resources to pick the site. Endpoints are configurable so tests use the sandbox's.
import { randomBytes } from "node:crypto";
import { JiraAuthorizationExpiredError, JiraUnavailableError } from "./errors.ts";

export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  resourcesUrl: string;
  /** Requests go to `${gatewayBase}/ex/jira/{cloudId}/rest/...`. */
  gatewayBase: string;
}

export const ATLASSIAN_OAUTH: OAuthEndpoints = {
  authorizeUrl: "https://auth.atlassian.com/authorize",
  tokenUrl: "https://auth.atlassian.com/oauth/token",
  resourcesUrl: "https://api.atlassian.com/oauth/token/accessible-resources",
  gatewayBase: "https://api.atlassian.com",
};

/** The sandbox Jira serves the same flow at its own URL. */
export function sandboxOAuthEndpoints(sandboxUrl: string): OAuthEndpoints {
  return {
    authorizeUrl: `${sandboxUrl}/authorize`,
    tokenUrl: `${sandboxUrl}/oauth/token`,
    resourcesUrl: `${sandboxUrl}/oauth/token/accessible-resources`,
    gatewayBase: sandboxUrl,
  };
}

/** What Tandem asks for: read and write issues, manage webhooks, read users, and a refresh token. */
export const DEFAULT_SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user", "manage:jira-webhook", "offline_access"];

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
}

export interface AccessibleResource {
  id: string;
  url: string;
  name: string;
  scopes: string[];
}

export function newOAuthState(): string {
  return randomBytes(24).toString("base64url");
}

export function authorizationUrl(endpoints: OAuthEndpoints, clientId: string, redirectUri: string, state: string, scopes = DEFAULT_SCOPES): string {
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({
    audience: "api.atlassian.com",
    client_id: clientId,
    scope: scopes.join(" "),
    redirect_uri: redirectUri,
    state,
    response_type: "code",
    prompt: "consent",
  }).toString();
  return url.toString();
}

async function tokenRequest(endpoints: OAuthEndpoints, body: Record<string, string>, now: () => number): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetch(endpoints.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new JiraUnavailableError(`Could not reach the OAuth token endpoint ${endpoints.tokenUrl}.`, { cause: error });
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const reason = String(json.error_description ?? json.error ?? `HTTP ${response.status}`);
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new JiraAuthorizationExpiredError(`The Jira authorization is no longer valid (${reason}). Authorize again with Atlassian.`, { status: response.status });
    }
    throw new JiraUnavailableError(`The OAuth token endpoint answered ${response.status}: ${reason}`, { status: response.status });
  }
  return {
    accessToken: String(json.access_token),
    refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : null,
    expiresAt: now() + Number(json.expires_in ?? 3600) * 1000,
    scopes: String(json.scope ?? "").split(" ").filter(Boolean),
  };
}

export function exchangeCode(app: { clientId: string; clientSecret: string; endpoints: OAuthEndpoints }, code: string, redirectUri: string, now = Date.now): Promise<TokenSet> {
  return tokenRequest(app.endpoints, { grant_type: "authorization_code", client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: redirectUri }, now);
}

export function refreshTokens(app: { clientId: string; clientSecret: string; endpoints: OAuthEndpoints }, refreshToken: string, now = Date.now): Promise<TokenSet> {
  return tokenRequest(app.endpoints, { grant_type: "refresh_token", client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken }, now);
}

export async function accessibleResources(endpoints: OAuthEndpoints, accessToken: string): Promise<AccessibleResource[]> {
  const response = await fetch(endpoints.resourcesUrl, { headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
  if (response.status === 401) throw new JiraAuthorizationExpiredError("The access token was refused by accessible-resources. Authorize again with Atlassian.", { status: 401 });
  if (!response.ok) throw new JiraUnavailableError(`accessible-resources answered ${response.status}.`, { status: response.status });
  return (await response.json()) as AccessibleResource[];
}
