// Import by JQL: preview page by page, then import some or all matches as linked items. Re-importing updates
// (never duplicates); closed issues are left out unless asked; parents that come along are linked as parents.
import type { JiraClient } from "../jira/client.ts";
import type { JiraIssue } from "../jira/types.ts";
import type { Project, ProjectRepository } from "../store/projects.ts";

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
  if (scope.jql?.trim()) parts.push(`(${scope.jql.replace(/\s+ORDER\s+BY[\s\S]*$/i, "")})`);
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
    return { jql, total, rows: await Promise.all(result.data.issues.map(async (issue) => row(issue, Boolean(await projects.itemByIssueId(project.id, issue.id))))), nextPageToken: result.data.nextPageToken ?? null };
  }
  const startAt = Number(page.token ?? 0);
  const result = await jira.request<{ issues: JiraIssue[]; total: number }>("POST", "/rest/api/2/search", { body: { jql, startAt, maxResults: page.size, fields: PREVIEW_FIELDS }, idempotent: true, search: true });
  const next = startAt + result.data.issues.length;
  return { jql, total: result.data.total, rows: await Promise.all(result.data.issues.map(async (issue) => row(issue, Boolean(await projects.itemByIssueId(project.id, issue.id))))), nextPageToken: next < result.data.total ? String(next) : null };
}

/** Imports every match: new items linked to their issues, existing links kept; returns the items touched. */
export async function importIssues(jira: JiraClient, projects: ProjectRepository, project: Project, scope: ImportScope): Promise<{ created: string[]; existing: string[]; itemIds: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  const itemByIssue = new Map<string, string>();
  const parents = new Map<string, string>();
  for await (const page of jira.searchPages(importJql(project, scope), { fields: PREVIEW_FIELDS })) {
    // One transaction per page: a page is stored whole or not at all, and quickly.
    await projects.inTransaction(async () => {
      for (const issue of page) {
        const parentId = (issue.fields?.parent as { id?: string } | undefined)?.id;
        if (parentId) parents.set(issue.id, parentId);
        const already = await projects.itemByIssueId(project.id, issue.id);
        if (already) {
          existing.push(already.key);
          itemByIssue.set(issue.id, already.id);
          continue;
        }
        const item = await projects.addItem(project.id, { title: String(issue.fields?.summary ?? issue.key), status: "Not Started", type: (issue.fields?.issuetype as { name?: string } | undefined)?.name ?? null });
        await projects.link(item.id, issue.id, issue.key);
        created.push(item.key);
        itemByIssue.set(issue.id, item.id);
      }
    });
  }
  // Hierarchy: a parent imported (or linked before) becomes the item's parent.
  for (const [issueId, parentIssueId] of parents) {
    const parentItem = itemByIssue.get(parentIssueId) ?? (await projects.itemByIssueId(project.id, parentIssueId))?.id;
    if (!parentItem) continue;
    const item = (await projects.item(itemByIssue.get(issueId)!))!;
    if (item.values.parent !== parentItem) await projects.updateItem(item.id, { ...item.values, parent: parentItem }, item.version);
  }
  return { created, existing, itemIds: [...itemByIssue.values()] };
}
