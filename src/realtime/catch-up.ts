// Catch-up: ask Jira for the issues of the project's scope updated since the stored cursor (with an overlap,
// because JQL dates have minute precision), apply the linked ones idempotently, then advance the cursor.
// With nothing changed it makes one search call per scope and writes nothing.
import type { JiraClient } from "../jira/client.ts";
import type { JiraIssue } from "../jira/types.ts";
import { sameValue } from "../engine/merge.ts";
import type { Mapping } from "../engine/model.ts";
import { mappedJiraFields, runSync, type SyncDeps } from "../engine/sync-run.ts";
import { fromJira, type TransformContext } from "../engine/transforms.ts";
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

/**
 * The scope's JQL with the overlap, written relative to now so it does not depend on the identity's time zone.
 * A fix version change does not bump `updated` in Jira, so when fix versions are mapped the same search also asks
 * for issues whose fix versions changed since (CHANGED AFTER starts a minute later than >=: one minute more).
 */
export function catchUpJql(project: Project, now: number, options: { fixVersions?: boolean } = {}): string {
  const scope = `project in (${project.jiraProjects.map((key) => `"${key}"`).join(", ")})${project.jqlScope.trim() ? ` AND (${project.jqlScope})` : ""}`;
  if (!project.cursor) return `${scope} ORDER BY updated ASC`;
  const minutes = Math.ceil((now - (project.cursor.updated - OVERLAP_MS)) / 60_000);
  const since = options.fixVersions ? `(updated >= "-${minutes}m" OR fixVersion CHANGED AFTER "-${minutes + 1}m")` : `updated >= "-${minutes}m"`;
  return `${scope} AND ${since} ORDER BY updated ASC`;
}

/**
 * Issues found but not past the cursor whose mapped fix versions differ from what was last synced: their fix
 * versions changed without `updated` moving. Read from the store only (no call, no write).
 */
async function fixVersionChanges(deps: Pick<SyncDeps, "projects" | "hoursPerDay" | "today" | "personOverrides"> & { jira: JiraClient }, project: Project, mapping: Mapping, candidates: JiraIssue[]): Promise<JiraIssue[]> {
  if (candidates.length === 0) return [];
  const items = await deps.projects.itemsByIssueIds(project.id, candidates.map((issue) => issue.id));
  const snapshots = await deps.projects.snapshotsOfItems([...items.values()].map((item) => item.id));
  return candidates.filter((issue) => {
    const item = items.get(issue.id);
    if (!item) return false;
    const ctx: TransformContext = { flavour: deps.jira.flavour, hoursPerDay: deps.hoursPerDay, itemUrl: "", today: deps.today, item: item.values, pulled: {}, jiraUser: () => null, personOverride: (user) => deps.personOverrides?.get(user) };
    const read = fromJira(mapping, issue.fields?.fixVersions ?? null, ctx);
    const synced = snapshots.get(item.id);
    return read.ok && (!synced?.has(mapping.id) || !sameValue(read.value, synced.get(mapping.id)));
  });
}

export async function catchUp(deps: Omit<SyncDeps, "jira"> & { jira: JiraClient; setCursor: (cursor: { updated: number; issueIds: string[] }) => Promise<void> }, project: Project, who: { userId: string; identity: string }): Promise<CatchUpResult> {
  const mappings = await deps.projects.mappings(project.id);
  const fixVersions = project.direction !== "push" ? mappings.find((mapping) => mapping.jiraField === "fixVersions" && mapping.direction !== "push") : undefined;
  const found: JiraIssue[] = [];
  for await (const page of deps.jira.searchPages(catchUpJql(project, Date.now(), { fixVersions: Boolean(fixVersions) }), { fields: mappedJiraFields(mappings) })) found.push(...page);
  // The overlap brings back what was applied already: only issues past the cursor count, and those whose fix
  // versions changed without moving `updated`.
  const cursor = project.cursor;
  const isNewer = (issue: JiraIssue) => {
    const updated = updatedOf(issue);
    return !cursor || updated > cursor.updated || (updated === cursor.updated && !cursor.issueIds.includes(issue.id));
  };
  const newer = found.filter(isNewer);
  if (fixVersions && cursor) newer.push(...(await fixVersionChanges(deps, project, fixVersions, found.filter((issue) => !isNewer(issue)))));
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
