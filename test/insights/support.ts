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

const HOUR = 3_600_000;


/** Local wall clock of an instant: [YYYY-MM-DD, hour, weekday (Mon..Sun)]. */
export function local(at: number, timeZone: string): [string, number, string] {
  const date = new Date(at).toLocaleDateString("sv-SE", { timeZone });
  const hour = Number(new Date(at).toLocaleString("en-GB", { timeZone, hour: "2-digit", hour12: false }));
  const weekday = new Date(at).toLocaleDateString("en-US", { timeZone, weekday: "short" });
  return [date, hour, weekday];
}

/** Working ms of [start, end): Monday–Friday 09:00–17:00 local, not on a holiday. Every zone used is whole-hour. */
export function workingMs(start: number, end: number, timeZone: string, holidays: string[] = []): number {
  let total = 0;
  for (let hour = Math.floor(start / HOUR) * HOUR; hour < end; hour += HOUR) {
    const [date, clock, weekday] = local(hour, timeZone);
    if (["Sat", "Sun"].includes(weekday) || holidays.includes(date) || clock < 9 || clock >= 17) continue;
    total += Math.min(end, hour + HOUR) - Math.max(start, hour);
  }
  return total;
}

export interface Segment { key: string; status: string; category: string; assignee: string | null; start: number; end: number }

/** The raw changelog walked by hand: the state before a field's first change is that change's "from". */
export function segments(issue: RawIssue, categoryOf: Map<string, string>, until: number): Segment[] {
  const items = issue.histories
    .flatMap((history) => history.items.map((item: any) => ({ ...item, at: parseJiraTime(history.created) })))
    .filter((item) => item.field === "status" || item.field === "assignee")
    .sort((a, b) => a.at - b.at);
  const firstStatus = items.find((item) => item.field === "status");
  const firstAssignee = items.find((item) => item.field === "assignee");
  let status = firstStatus ? firstStatus.from : issue.fields.status.id;
  let assignee = firstAssignee ? firstAssignee.from : (issue.fields.assignee?.accountId ?? null);
  let since = parseJiraTime(issue.fields.created);
  const out: Segment[] = [];
  for (const item of [...items, { at: until, field: "end" }]) {
    const at = Math.min(item.at, until);
    if (at > since) out.push({ key: issue.key, status, category: categoryOf.get(status)!, assignee, start: since, end: at });
    since = Math.max(since, at);
    if (item.field === "status") status = item.to;
    if (item.field === "assignee") assignee = item.to;
  }
  return out;
}

