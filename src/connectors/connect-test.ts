// Connect & Test: reach the site, authenticate, report the account and the site, count browsable projects,
// and check the permissions a sync needs. Every failure says its cause and how to fix it.
import type { JiraClient } from "../jira/client.ts";
import type { AuthMode } from "../jira/credentials.ts";
import { probeServerInfo } from "../jira/probe.ts";
import { JiraAuthenticationError, JiraAuthorizationExpiredError, JiraError, JiraNotFoundError, JiraPermissionError, JiraUnavailableError, NotJiraError } from "../jira/errors.ts";

export interface TestProblem {
  step: "reach" | "authenticate" | "projects" | "permissions";
  cause: string;
  fix: string;
}

export interface TestReport {
  ok: boolean;
  checkedAt: string;
  site: { title: string | null; version: string; deploymentType: string; baseUrl: string } | null;
  account: { displayName: string | null; email: string | null; accountId: string | null; username: string | null } | null;
  browsableProjects: number | null;
  permissions: Record<string, boolean> | null;
  problems: TestProblem[];
}

/** What each kind of sync needs in Jira. */
export const NEEDED_PERMISSIONS = ["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "TRANSITION_ISSUES", "ADD_COMMENTS", "ADMINISTER"] as const;

const AUTH_FIX: Record<AuthMode, string> = {
  "api-token": "Use the Atlassian account's email with an API token created at https://id.atlassian.com/manage-profile/security/api-tokens (passwords do not work on Jira Cloud).",
  oauth: "Authorize the connector with Atlassian again.",
  password: "Check the username (not the email) and password; if Jira asks for a CAPTCHA after failed logins, sign in once in the browser.",
  pat: "Create a personal access token in Jira (profile → Personal Access Tokens) and paste it here; an expired or revoked token must be replaced.",
};

export async function connectAndTest(jira: JiraClient, authMode: AuthMode, siteUrl: string): Promise<TestReport> {
  const report: TestReport = { ok: false, checkedAt: new Date().toISOString(), site: null, account: null, browsableProjects: null, permissions: null, problems: [] };

  try {
    const info = await jira.serverInfo();
    if (typeof info?.deploymentType !== "string") throw new NotJiraError("serverInfo has no deploymentType");
    report.site = { title: info.serverTitle ?? null, version: info.version, deploymentType: info.deploymentType, baseUrl: info.baseUrl };
    const cloud = info.deploymentType === "Cloud";
    if (cloud !== (jira.flavour === "cloud")) {
      report.problems.push(flavourProblem(cloud, jira.flavour));
      return report;
    }
  } catch (error) {
    // Credentials refused before anything else: maybe the site is the other flavour (Jira answers serverInfo anonymously).
    const anonymous = jira.credentials.mode !== "oauth" ? await probeServerInfo(siteUrl) : null;
    if (anonymous && (anonymous.deploymentType === "Cloud") !== (jira.flavour === "cloud")) {
      report.problems.push(flavourProblem(anonymous.deploymentType === "Cloud", jira.flavour));
      return report;
    }
    report.problems.push(reachProblem(error, siteUrl, authMode));
    return report;
  }

  try {
    const me = await jira.myself();
    report.account = { displayName: me.displayName ?? null, email: me.emailAddress ?? null, accountId: me.accountId ?? null, username: me.name ?? null };
  } catch (error) {
    report.problems.push(authProblem(error, authMode));
    return report;
  }

  let count = 0;
  try {
    for await (const _project of jira.projects()) count += 1;
    report.browsableProjects = count;
    if (count === 0) report.problems.push({ step: "projects", cause: "The account can browse no Jira project.", fix: "In Jira, give this account the Browse Projects permission in the projects to sync (project settings → Permissions)." });
  } catch (error) {
    report.problems.push({ step: "projects", cause: messageOf(error), fix: "Check that the account may browse projects." });
  }

  try {
    const result = await jira.request<{ permissions: Record<string, { havePermission: boolean }> }>("GET", `/rest/api/${jira.apiVersion}/mypermissions`, { query: { permissions: NEEDED_PERMISSIONS.join(",") } });
    report.permissions = Object.fromEntries(NEEDED_PERMISSIONS.map((key) => [key, result.data.permissions[key]?.havePermission === true]));
    const missing = NEEDED_PERMISSIONS.filter((key) => key !== "ADMINISTER" && !report.permissions![key]);
    if (missing.length) {
      report.problems.push({ step: "permissions", cause: `The account lacks ${missing.join(", ")} in every project it can see: Pull works, but Push and two-way sync will fail on those.`, fix: `In Jira, grant ${missing.join(", ")} to this account in the projects to sync, or use the connector one-way (pull only).` });
    }
  } catch (error) {
    report.problems.push({ step: "permissions", cause: messageOf(error), fix: "Check the account's permissions in Jira." });
  }

  report.ok = report.problems.every((problem) => problem.step === "permissions" || problem.step === "projects") && report.account !== null;
  return report;
}

function flavourProblem(siteIsCloud: boolean, flavour: "cloud" | "dc"): TestProblem {
  return {
    step: "reach",
    cause: `The site is Jira ${siteIsCloud ? "Cloud" : "Data Center/Server"}, but the connector is set up for ${flavour === "cloud" ? "Jira Cloud" : "Jira Data Center"}.`,
    fix: `Recreate the connector as ${siteIsCloud ? "Jira Cloud (API token or OAuth)" : "Jira Data Center (username + password or personal access token)"}.`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function reachProblem(error: unknown, siteUrl: string, authMode: AuthMode): TestProblem {
  if (error instanceof JiraAuthenticationError || error instanceof JiraAuthorizationExpiredError) return authProblem(error, authMode);
  if (error instanceof NotJiraError || error instanceof JiraNotFoundError || (error instanceof JiraError && error.status !== null && error.status < 500)) {
    return { step: "reach", cause: `${siteUrl} answers, but not as Jira (${messageOf(error)}).`, fix: "Use the Jira site's base URL, e.g. https://your-site.atlassian.net or https://jira.example.com (without /browse or /secure paths)." };
  }
  if (error instanceof JiraUnavailableError) {
    return { step: "reach", cause: messageOf(error), fix: "Check the URL, that the site is up, and that this machine can reach it (proxy, firewall, VPN)." };
  }
  return { step: "reach", cause: messageOf(error), fix: "Check the URL and try again." };
}

function authProblem(error: unknown, authMode: AuthMode): TestProblem {
  if (error instanceof JiraAuthorizationExpiredError) return { step: "authenticate", cause: messageOf(error), fix: AUTH_FIX.oauth };
  if (error instanceof JiraAuthenticationError) return { step: "authenticate", cause: "Jira refused the credentials (401).", fix: AUTH_FIX[authMode] };
  if (error instanceof JiraPermissionError) return { step: "authenticate", cause: messageOf(error), fix: authMode === "oauth" ? "Authorize again and accept all the scopes Tandem asks for." : "The account is not allowed to use Jira: check its product access." };
  return { step: "authenticate", cause: messageOf(error), fix: AUTH_FIX[authMode] };
}
