// Shared by the insights tests: a Tandem project over the sandbox's ROAD project, and Jira's raw JSON read over
// HTTP without Tandem's code (the independent side of every comparison).
import assert from "node:assert/strict";
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import { basic } from "../support/sandbox.ts";
import { api, type TestTandem } from "../support/tandem.ts";

export const SYNC_LOGIN = { email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" };

/** A connector and a pull-only project over the given Jira project; returns the project key. */
export async function reportProject(t: TestTandem, sandbox: RunningSandbox, key: string, jiraProject: string): Promise<string> {
  const connector = await api(t, "POST", "/connectors", { body: { name: `reports-${key}`, flavour: "cloud", siteUrl: sandbox.url, credentials: { authMode: "api-token", ...SYNC_LOGIN } } });
  assert.equal(connector.status, 201, JSON.stringify(connector.body));
  const project = await api(t, "POST", "/projects", { body: { key, name: `Reports on ${jiraProject}` } });
  assert.equal(project.status, 201, JSON.stringify(project.body));
  const associated = await api(t, "PUT", `/projects/${key}/jira`, { body: { connector: connector.body.id, jiraProjects: [jiraProject], direction: "pull" } });
  assert.equal(associated.status, 200, JSON.stringify(associated.body));
  return key;
}

/** GET/POST on the sandbox as the sync account, raw JSON. */
export async function jiraJson(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: basic(SYNC_LOGIN.email, SYNC_LOGIN.apiToken), Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(response.status, 200, `${method} ${path}: ${response.status}`);
  return response.json();
}

export interface RawIssue {
  id: string;
  key: string;
  fields: any;
  histories: any[];
}

/** Every issue of a Jira project with the given fields, and its full changelog paged one issue at a time. */
export async function rawIssues(sandbox: RunningSandbox, jiraProject: string, fields: string[]): Promise<RawIssue[]> {
  const issues: RawIssue[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await jiraJson(sandbox, "POST", "/rest/api/3/search/jql", { jql: `project = ${jiraProject}`, fields, maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) });
    for (const issue of page.issues) issues.push({ id: issue.id, key: issue.key, fields: issue.fields, histories: [] });
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  for (const issue of issues) {
    for (let startAt = 0; ; ) {
      const page = await jiraJson(sandbox, "GET", `/rest/api/3/issue/${issue.key}/changelog?startAt=${startAt}&maxResults=10`);
      issue.histories.push(...page.values);
      startAt += page.values.length;
      if (page.isLast || page.values.length === 0) break;
    }
  }
  return issues;
}

/** Jira's "+0000" offsets, read by hand. */
export function parseJiraTime(value: string): number {
  const match = value.match(/^(.*)([+-])(\d{2})(\d{2})$/)!;
  const sign = match[2] === "-" ? -1 : 1;
  return Date.parse(`${match[1]}Z`) - sign * (Number(match[3]) * 60 + Number(match[4])) * 60_000;
}
