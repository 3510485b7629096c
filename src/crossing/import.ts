// Import by JQL: preview page by page, then import some or all matches as linked items. Re-importing updates
// (never duplicates); closed issues are left out unless asked; parents that come along are linked as parents.
import type { JiraClient } from "../jira/client.ts";
import { JiraInvalidJqlError } from "../jira/errors.ts";
import { withoutOrderBy } from "../jira/jql.ts";
import { readAhead } from "../jira/read-ahead.ts";
import { chunks } from "../store/chunks.ts";
import type { JiraIssue } from "../jira/types.ts";
import type { IssueCacheRepository } from "../store/issue-cache.ts";
import type { SyncSession } from "../engine/sync-run.ts";
import type { Item, Project, ProjectRepository } from "../store/projects.ts";
import { cachedData } from "./retention.ts";

/** Tandem levels by Jira's hierarchy level (Initiative 2+, Epic 1, standard 0, sub-task -1), when not configured. */
const DEFAULT_LEVELS: Record<string, string> = { "2": "initiative", "1": "epic", "0": "story", "-1": "subtask" };

/** The Tandem level of a Jira hierarchy level when the project names none (levels above 2 are initiatives). */
export function defaultLevel(hierarchyLevel: number): string {
  return DEFAULT_LEVELS[String(Math.max(-1, Math.min(2, hierarchyLevel)))]!;
}

/** An issue's Tandem level: the project's mapping by issue type name, else the default by Jira's hierarchy level. */
export function levelOf(project: Project, issue: JiraIssue): string | null {
  const type = issue.fields?.issuetype as { name?: string; hierarchyLevel?: number } | undefined;
  if (!type) return null;
  const configured = Object.entries(project.hierarchy).find(([name]) => name.toLowerCase() === type.name?.toLowerCase())?.[1];
  if (configured) return configured;
  if (typeof type.hierarchyLevel !== "number") return null;
  return defaultLevel(type.hierarchyLevel);
}

export interface ImportScope {
  /** A JQL query; combined with the project's Jira projects. */
  jql?: string;
  includeDone?: boolean;
  /** Only these issues (keys or ids); all matches when absent. */
  issues?: string[];
}

export function importJql(project: Project, scope: ImportScope): string {
  const projects = `project in (${project.jiraProjects.map((key) => `"${key}"`).join(", ")})`;
  const parts = [projects];
  if (scope.jql?.trim()) parts.push(`(${withoutOrderBy(scope.jql)})`);
  if (!scope.includeDone) parts.push("statusCategory != Done");
  if (scope.issues?.length) parts.push(`key in (${scope.issues.map((key) => `"${key.toUpperCase()}"`).join(", ")})`);
  return `${parts.join(" AND ")} ORDER BY key ASC`;
}

export interface PreviewRow {
  id: string;
  key: string;
  type: string | null;
  summary: string | null;
  status: string | null;
  assignee: string | null;
  linked: boolean;
}

const PREVIEW_FIELDS = ["summary", "status", "issuetype", "assignee", "parent"];

function row(issue: JiraIssue, linked: boolean): PreviewRow {
  const fields = issue.fields ?? {};
  return {
    id: issue.id,
    key: issue.key,
    type: (fields.issuetype as { name?: string } | undefined)?.name ?? null,
    summary: (fields.summary as string | undefined) ?? null,
    status: (fields.status as { name?: string } | undefined)?.name ?? null,
    assignee: (fields.assignee as { displayName?: string } | null | undefined)?.displayName ?? null,
    linked,
  };
}

/** One page of matches (Cloud: nextPageToken; DC: startAt as the token). */
export async function previewImport(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope, page: { size: number; token?: string }) {
  const jql = importJql(project, scope);
  if (jira.flavour === "cloud") {
    const result = await jira.request<{ issues: JiraIssue[]; nextPageToken?: string }>("POST", "/rest/api/3/search/jql", { body: { jql, maxResults: page.size, fields: PREVIEW_FIELDS, ...(page.token ? { nextPageToken: page.token } : {}) }, idempotent: true, search: true });
    // The approximate count is asked once, with the first page; later pages carry their token.
    const total = page.token ? null : await jira.count(jql);
    const linked = await projects.itemsByIssueIds(project.id, result.data.issues.map((issue) => issue.id));
    return { jql, total, rows: result.data.issues.map((issue) => row(issue, linked.has(issue.id))), nextPageToken: result.data.nextPageToken ?? null };
  }
  const startAt = Number(page.token ?? 0);
  const result = await jira.request<{ issues: JiraIssue[]; total: number }>("POST", "/rest/api/2/search", { body: { jql, startAt, maxResults: page.size, fields: PREVIEW_FIELDS }, idempotent: true, search: true });
  const next = startAt + result.data.issues.length;
  const linked = await projects.itemsByIssueIds(project.id, result.data.issues.map((issue) => issue.id));
  return { jql, total: result.data.total, rows: result.data.issues.map((issue) => row(issue, linked.has(issue.id))), nextPageToken: next < result.data.total ? String(next) : null };
}

/**
 * Jira refuses a `key in (...)` naming a key that does not exist; such keys (named in its message) are dropped from
 * the scope and reported, and the rest searched. Other JQL errors are the caller's to report.
 */
async function withExistingKeys<T>(scope: ImportScope, work: (scope: ImportScope) => Promise<T>): Promise<{ result: T; missing: string[] }> {
  let current = scope;
  const missing: string[] = [];
  for (;;) {
    try {
      return { result: await work(current), missing };
    } catch (error) {
      const named = error instanceof JiraInvalidJqlError ? [...error.message.matchAll(/key '([^']+)' does not exist/g)].map((match) => match[1]!.toUpperCase()) : [];
      if (named.length === 0 || !current.issues) throw error;
      missing.push(...named);
      const remaining = current.issues.filter((key) => !named.includes(key.toUpperCase()));
      if (remaining.length === 0) throw new JiraInvalidJqlError(`None of the issues exist: ${missing.join(", ")}.`, { status: 400 });
      current = { ...current, issues: remaining };
    }
  }
}

export interface ImportResult {
  created: string[];
  existing: string[];
}

/** What an import would do, without writing: issues to create as items, linked items to update, issues left out. */
export interface ImportPlan {
  dryRun: true;
  jql: string;
  create: { key: string; summary: string | null }[];
  update: { key: string; item: string }[];
  skip: { key: string; reason: string }[];
}

const summaryOf = (issue: JiraIssue) => (issue.fields?.summary as string | undefined) ?? null;
const isDone = (issue: JiraIssue) => (issue.fields?.status as { statusCategory?: { key?: string } } | undefined)?.statusCategory?.key === "done";

/**
 * Imports every match: new items linked to their issues, existing links kept. One search call per page and one
 * store lookup per page for the links already there, so calls grow with pages, not with issues.
 */
export interface ImportOptions {
  /** Where a minimal-retention project's issue data goes. */
  cache?: IssueCacheRepository;
  /** More fields for the search (the mapped ones), so what follows each page needs no second read. */
  fields?: string[];
  /**
   * The Pull that fills the mapped fields, page by page: each page is synced from the issues as searched, then
   * stored with its new items in one transaction. Asked for with the first page that has issues.
   */
  pull?: () => Promise<Pick<SyncSession, "prepare" | "commit">>;
}

export async function importIssues(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope, options: ImportOptions = {}): Promise<ImportResult & { missing: string[] }> {
  if (project.retention === "minimal" && !options.cache) throw new Error("A minimal-retention import needs the issue cache.");
  // A refused key fails on the first page, before anything is written, so retrying without it is safe.
  const { result, missing } = await withExistingKeys(scope, (current) => importMatches(jira, projects, project, current, options));
  return { ...result, missing };
}

async function importMatches(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope, options: ImportOptions): Promise<ImportResult> {
  // Minimal retention: the item holds nothing of the issue and the link only its id; the data goes to the cache.
  const minimal = project.retention === "minimal";
  const created: string[] = [];
  const existing: string[] = [];
  // Child issue → parent issue, for the hierarchy pass at the end (only issues that have a parent are kept).
  const parents = new Map<string, string>();
  const fields = [...new Set([...PREVIEW_FIELDS, ...(options.fields ?? [])])];
  let pull: Pick<SyncSession, "prepare" | "commit"> | null = null;
  // The next page is asked for while this one is synced and stored: Jira's answer time and the store's overlap.
  for await (const page of readAhead(jira.searchPages(importJql(project, scope), { fields }))) {
    if (page.length === 0) continue;
    const linked = await projects.itemsByIssueIds(project.id, page.map((issue) => issue.id));
    const kept: Item[] = [];
    // Existing items whose level changes with the hierarchy mapping, and to what.
    const newLevels = new Map<string, string>();
    const freshIssues: JiraIssue[] = [];
    for (const issue of page) {
      const parentId = (issue.fields?.parent as { id?: string } | undefined)?.id;
      if (parentId) parents.set(issue.id, parentId);
      const already = linked.get(issue.id);
      if (!already) {
        freshIssues.push(issue);
        continue;
      }
      existing.push(already.key);
      // The level follows the hierarchy mapping (written only when it changed, so a re-import writes nothing).
      const level = minimal ? null : levelOf(project, issue);
      if (level && already.values.level !== level) newLevels.set(already.id, level);
      kept.push(already);
    }
    const keys = await projects.reserveItemKeys(project.id, freshIssues.length);
    const fresh = freshIssues.map((issue, index) => {
      const level = minimal ? null : levelOf(project, issue);
      const values = minimal ? {} : { title: String(issue.fields?.summary ?? issue.key), status: "Not Started", type: (issue.fields?.issuetype as { name?: string } | undefined)?.name ?? null, ...(level ? { level } : {}) };
      return projects.newLinkedItem(project.id, keys[index]!, values, { jiraIssueId: issue.id, jiraKey: minimal ? issue.id : issue.key });
    });
    // Synced before anything is stored (a Pull writes nothing to Jira), so the page is one transaction below.
    if (!minimal && options.pull) pull ??= await options.pull();
    const inserted = new Set(fresh.map((item) => item.id));
    const prepared = pull ? await pull.prepare([...kept, ...fresh], { prefetched: new Map(page.map((issue) => [issue.id, issue])), inserted }) : null;
    // A new level is written with whatever the Pull writes to the item, in the same update.
    const levelPending = new Map(newLevels);
    for (const result of prepared?.results ?? []) {
      const level = newLevels.get(result.item.id);
      if (level && result.commit) {
        result.commit.values = { ...result.commit.values, level };
        levelPending.delete(result.item.id);
      }
    }
    // One transaction per page: a page is stored whole or not at all, and quickly.
    await projects.inTransaction(async () => {
      if (prepared) await pull!.commit(prepared);
      else await projects.insertLinkedItems(fresh.map((item) => ({ item })));
      for (const item of kept) {
        const level = levelPending.get(item.id);
        if (level) await projects.updateItem(item.id, { ...item.values, level }, item.version);
      }
    });
    for (const item of fresh) created.push(item.key);
    if (minimal) await options.cache!.put(project.id, page.map((issue) => ({ jiraIssueId: issue.id, data: cachedData(issue) })), project.cacheTtlMs);
  }
  // Thousands of new rows: the store's planner statistics catch up before the next run pages through them.
  if (created.length >= 1000) await projects.refreshStatistics();
  // Hierarchy: a parent imported (or linked before) becomes the item's parent; both are found by issue id, a few
  // hundred pairs at a time, rather than held in memory for the whole import.
  for (const chunk of chunks([...parents], 250)) {
    const linked = await projects.itemsByIssueIds(project.id, [...new Set(chunk.flat())]);
    for (const [issueId, parentIssueId] of chunk) {
      const item = linked.get(issueId);
      const parentItem = linked.get(parentIssueId)?.id;
      if (!item || !parentItem || item.values.parent === parentItem) continue;
      await projects.updateItem(item.id, { ...item.values, parent: parentItem }, item.version);
    }
  }
  return { created, existing };
}

/**
 * The dry run of an import: the same search (closed issues included, so they can be named as skipped), classified
 * against the links already stored. Writes nothing.
 */
export async function planImport(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope): Promise<ImportPlan> {
  return (await withExistingKeys(scope, (current) => planMatches(jira, projects, project, current, scope.issues ?? []))).result;
}

async function planMatches(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope, asked: string[]): Promise<ImportPlan> {
  const plan: ImportPlan = { dryRun: true, jql: importJql(project, scope), create: [], update: [], skip: [] };
  const seen = new Set<string>();
  for await (const page of jira.searchPages(importJql(project, { ...scope, includeDone: true }), { fields: PREVIEW_FIELDS })) {
    const linked = await projects.itemsByIssueIds(project.id, page.map((issue) => issue.id));
    for (const issue of page) {
      seen.add(issue.key.toUpperCase());
      const already = linked.get(issue.id);
      if (!scope.includeDone && isDone(issue)) plan.skip.push({ key: issue.key, reason: "closed (status category Done); add includeDone to import it" });
      else if (already) plan.update.push({ key: issue.key, item: already.key });
      else plan.create.push({ key: issue.key, summary: summaryOf(issue) });
    }
  }
  for (const key of asked) {
    if (!seen.has(key.toUpperCase())) plan.skip.push({ key: key.toUpperCase(), reason: `not found in ${project.jiraProjects.join(", ")} with this JQL (or not visible to this identity)` });
  }
  return plan;
}
