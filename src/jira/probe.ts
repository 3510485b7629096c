// An anonymous look at a site's serverInfo (Jira serves it without credentials): tells Cloud from Data Center
// even when the credentials are wrong, so Connect & Test can say "wrong flavour" instead of "wrong password".
import type { JiraServerInfo } from "./types.ts";

export async function probeServerInfo(siteUrl: string, timeoutMs = 10_000): Promise<JiraServerInfo | null> {
  try {
    const response = await fetch(`${siteUrl.replace(/\/+$/, "")}/rest/api/2/serverInfo`, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const info = (await response.json()) as JiraServerInfo;
    return typeof info.deploymentType === "string" ? info : null;
  } catch {
    return null;
  }
}
