// Minimal-retention mode: a project keeps only the issue ids of its links. Issue data is fetched when the project is
// opened or refreshed, held in the expiring issue cache, and shown over the items; when it expires it is gone.
import type { JiraClient } from "../jira/client.ts";
import type { JiraIssue } from "../jira/types.ts";
import type { IssueCacheRepository } from "../store/issue-cache.ts";
import type { Item, Project, ProjectRepository } from "../store/projects.ts";

export const DEFAULT_CACHE_TTL_MS = 24 * 3600 * 1000;
export const CACHED_FIELDS = ["summary", "status", "issuetype", "assignee", "priority", "updated"];

/** The part of an issue a board shows, as the cache holds it. */
export function cachedData(issue: JiraIssue): Record<string, unknown> {
  const fields = issue.fields ?? {};
  const named = (value: unknown) => (value as { name?: string } | null | undefined)?.name ?? null;
  return {
    key: issue.key,
    summary: fields.summary ?? null,
    status: named(fields.status),
    statusCategory: (fields.status as { statusCategory?: { key?: string } } | undefined)?.statusCategory?.key ?? null,
    type: named(fields.issuetype),
    assignee: (fields.assignee as { displayName?: string } | null | undefined)?.displayName ?? null,
    priority: named(fields.priority),
    updated: fields.updated ?? null,
  };
}

/**
 * Fetches the linked issues' data into the cache (all of them, or only those not cached), in Jira's bulk batches.
 * Issues the identity cannot read are counted, not cached.
 */
export async function refreshIssueCache(deps: { jira: JiraClient; projects: ProjectRepository; cache: IssueCacheRepository }, project: Project, options: { onlyMissing?: boolean } = {}): Promise<{ fetched: number; unreadable: number }> {
  const linked = (await deps.projects.items(project.id)).filter((item) => item.link).map((item) => item.link!.jiraIssueId);
  const cached = options.onlyMissing ? await deps.cache.live(project.id) : new Map();
  const wanted = linked.filter((id) => !cached.has(id));
  if (wanted.length === 0) return { fetched: 0, unreadable: 0 };
  const issues = await deps.jira.bulkFetch(wanted, { fields: CACHED_FIELDS });
  await deps.cache.put(project.id, issues.map((issue) => ({ jiraIssueId: issue.id, data: cachedData(issue) })), project.cacheTtlMs);
  return { fetched: issues.length, unreadable: wanted.length - issues.length };
}

export type ItemView = Item & { cache?: { fetchedAt: number; expiresAt: number } | null };

/** Items as shown: in minimal retention, linked ones carry the cached issue data while it lasts, and nothing after. */
export async function itemsView(cache: IssueCacheRepository, project: Project, items: Item[]): Promise<ItemView[]> {
  if (project.retention !== "minimal") return items;
  const live = await cache.live(project.id);
  return items.map((item) => {
    if (!item.link) return item;
    const entry = live.get(item.link.jiraIssueId);
    if (!entry) return { ...item, link: { jiraIssueId: item.link.jiraIssueId, jiraKey: null as unknown as string }, cache: null };
    const data = entry.data;
    return {
      ...item,
      values: { ...item.values, title: data.summary, status: data.status, type: data.type, assignee: data.assignee, priority: data.priority },
      link: { jiraIssueId: item.link.jiraIssueId, jiraKey: String(data.key) },
      cache: { fetchedAt: entry.fetchedAt, expiresAt: entry.expiresAt },
    };
  });
}
