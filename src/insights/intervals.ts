// Changelog → intervals: the stretches of time an issue spent in one status with one assignee.
import type { InsightIssue, StatusCategory } from "./types.ts";

export interface StatusInterval {
  issueId: string;
  start: number;
  end: number;
  statusId: string;
  statusName: string;
  category: StatusCategory;
  /** The assignee during the interval (Jira id), null when unassigned. */
  assigneeId: string | null;
  assigneeName: string | null;
}

/**
 * Walks an issue's history from its creation to `until`. The state before the first change of a field is that
 * change's `from` (Jira does not log the values an issue was created with); without changes, the current value.
 */
export function statusIntervals(issue: InsightIssue, categories: Record<string, StatusCategory>, until: number): StatusInterval[] {
  const changes = [...issue.changes].sort((a, b) => a.at - b.at);
  const firstStatus = changes.find((change) => change.field === "status");
  const firstAssignee = changes.find((change) => change.field === "assignee");
  let status = firstStatus ? { id: firstStatus.from ?? issue.status.id, name: firstStatus.fromString ?? issue.status.name } : { id: issue.status.id, name: issue.status.name };
  let assignee = firstAssignee ? { id: firstAssignee.from, name: firstAssignee.fromString } : { id: issue.assignee?.id ?? null, name: issue.assignee?.name ?? null };
  const categoryOf = (id: string) => categories[id] ?? (id === issue.status.id ? issue.status.category : "new");
  const intervals: StatusInterval[] = [];
  let since = issue.created;
  const close = (at: number) => {
    const end = Math.min(at, until);
    if (end > since) intervals.push({ issueId: issue.id, start: since, end, statusId: status.id, statusName: status.name, category: categoryOf(status.id), assigneeId: assignee.id, assigneeName: assignee.name });
    since = Math.max(since, at);
  };
  for (const change of changes) {
    if (change.at >= until) break;
    close(change.at);
    if (change.field === "status") status = { id: change.to ?? status.id, name: change.toString ?? status.name };
    else assignee = { id: change.to, name: change.toString };
  }
  close(until);
  return intervals;
}

/** The status category an issue was in at an instant (for burn-ups and sprint completion). */
export function categoryAt(issue: InsightIssue, categories: Record<string, StatusCategory>, at: number): StatusCategory | null {
  if (at < issue.created) return null;
  let statusId: string = issue.status.id;
  const changes = issue.changes.filter((change) => change.field === "status").sort((a, b) => a.at - b.at);
  if (changes.length) statusId = changes[0]!.from ?? statusId;
  for (const change of changes) {
    if (change.at > at) break;
    statusId = change.to ?? statusId;
  }
  return categories[statusId] ?? (statusId === issue.status.id ? issue.status.category : "new");
}
