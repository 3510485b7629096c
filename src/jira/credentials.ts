// How Tandem authenticates to Jira: Cloud API token or OAuth 2.0 (3LO); Data Center password or personal access token.
import type { OAuthEndpoints } from "./oauth.ts";

export type JiraFlavour = "cloud" | "dc";

export type JiraCredentials =
  | { mode: "api-token"; email: string; apiToken: string }
  | { mode: "oauth"; accessToken: string; refreshToken: string | null; expiresAt: number | null; cloudId: string }
  | { mode: "password"; username: string; password: string }
  | { mode: "pat"; token: string };

export type AuthMode = JiraCredentials["mode"];

/** Which modes each flavour takes, as Jira does (Cloud turned passwords off in 2019; PATs are DC's). */
export const MODES_BY_FLAVOUR: Record<JiraFlavour, readonly AuthMode[]> = {
  cloud: ["api-token", "oauth"],
  dc: ["password", "pat"],
};

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  endpoints: OAuthEndpoints;
}

/** The Authorization header for non-OAuth modes (OAuth's comes from its token holder). */
export function staticAuthorization(credentials: Exclude<JiraCredentials, { mode: "oauth" }>): string {
  switch (credentials.mode) {
    case "api-token":
      return `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString("base64")}`;
    case "password":
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    case "pat":
      return `Bearer ${credentials.token}`;
  }
}

/** The REST base: the site itself, or the Atlassian gateway for OAuth. */
export function apiBase(siteUrl: string, credentials: JiraCredentials, app: OAuthApp | null): string {
  if (credentials.mode === "oauth") {
    if (!app) throw new Error("An OAuth connection needs the OAuth app (client id, secret, endpoints).");
    return `${app.endpoints.gatewayBase}/ex/jira/${credentials.cloudId}`;
  }
  return siteUrl.replace(/\/+$/, "");
}
