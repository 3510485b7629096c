// Catch-up: ask Jira for the issues of the project's scope updated since the stored cursor (with an overlap,
// because JQL dates have minute precision), apply the linked ones idempotently, then advance the cursor.
// With nothing changed it makes one search call per scope and writes nothing.
import type { JiraClient } from "../jira/client.ts";
import type { JiraIssue } from "../jira/types.ts";
import { mappedJiraFields, runSync, type SyncDeps } from "../engine/sync-run.ts";
import type { Project } from "../store/projects.ts";
import type { Run } from "../store/runs.ts";

/** JQL minute precision, plus clock skew between Tandem and Jira. */
export const OVERLAP_MS = 2 * 60_000;

export interface CatchUpResult {
  searchedIssues: number;
  newer: number;
  /** The issues changed since the cursor (what else keeps Jira data, such as insights, refreshes). */
  newerIssueIds: string[];
  run: Run | null;
  cursor: { updated: number; issueIds: string[] } | null;
}

function updatedOf(issue: JiraIssue): number {
  return Date.parse(String(issue.fields?.updated ?? "").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

/** The scope's JQL with the overlap, written relative to now so it does not depend on the identity's time zone. */
export function catchUpJql(project: Project, now: number): string {
  const scope = `project in (${project.jiraProjects.map((key) => `"${key}"`).join(", ")})${project.jqlScope.trim() ? ` AND (${project.jqlScope})` : ""}`;
  if (!project.cursor) return `${scope} ORDER BY updated ASC`;
  const minutes = Math.ceil((now - (project.cursor.updated - OVERLAP_MS)) / 60_000);
  return `${scope} AND updated >= "-${minutes}m" ORDER BY updated ASC`;
}

export async function catchUp(deps: Omit<SyncDeps, "jira"> & { jira: JiraClient; setCursor: (cursor: { updated: number; issueIds: string[] }) => Promise<void> }, project: Project, who: { userId: string; identity: string }): Promise<CatchUpResult> {
  const mappings = await deps.projects.mappings(project.id);
  const found: JiraIssue[] = [];
  for await (const page of deps.jira.searchPages(catchUpJql(project, Date.now()), { fields: mappedJiraFields(mappings) })) found.push(...page);
  // The overlap brings back what was applied already: only issues past the cursor count.
  const cursor = project.cursor;
  const newer = found.filter((issue) => {
    const updated = updatedOf(issue);
    return !cursor || updated > cursor.updated || (updated === cursor.updated && !cursor.issueIds.includes(issue.id));
  });
  let run: Run | null = null;
  if (newer.length) {
    const newerById = new Map(newer.map((issue) => [issue.id, issue]));
    const items = [...(await deps.projects.itemsByIssueIds(project.id, [...newerById.keys()])).values()];
    const relevant = items.map((item) => newerById.get(item.link!.jiraIssueId)!);
    if (relevant.length && project.direction !== "push") {
      run = await runSync(deps, { project, kind: project.direction === "two-way" ? "sync" : "pull", dryRun: false, userId: who.userId, identity: who.identity, itemRefs: items.map((item) => item.id), prefetched: new Map(relevant.map((issue) => [issue.id, issue])) });
      if (run.status === "failed") return { searchedIssues: found.length, newer: newer.length, newerIssueIds: newer.map((issue) => issue.id), run, cursor };
    }
  }
  let next = cursor;
  if (found.length) {
    const newest = Math.max(...found.map(updatedOf));
    const atNewest = found.filter((issue) => updatedOf(issue) === newest).map((issue) => issue.id);
    next = cursor && cursor.updated === newest ? { updated: newest, issueIds: [...new Set([...cursor.issueIds, ...atNewest])] } : { updated: newest, issueIds: atNewest };
    if (!cursor || next.updated !== cursor.updated || next.issueIds.length !== cursor.issueIds.length) await deps.setCursor(next);
  }
  return { searchedIssues: found.length, newer: newer.length, newerIssueIds: newer.map((issue) => issue.id), run, cursor: next };
}
