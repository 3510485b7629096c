// Jira's JSON → insight shapes: one issue with its status/assignee history; works for Cloud (accountId) and DC (name).
import { jiraTime } from "../jira/time.ts";
import type { JiraChangelogEntry, JiraIssue } from "../jira/types.ts";
import type { InsightChange, InsightIssue, InsightSprint, JiraPerson, StatusCategory } from "./types.ts";

type JiraUserJson = { accountId?: string; name?: string; key?: string; displayName?: string; emailAddress?: string; timeZone?: string } | null | undefined;

export function toPerson(user: JiraUserJson): JiraPerson | null {
  // DC changelogs name users by key (JIRAUSER10001), so the key is the id there; the login name is kept too.
  const id = user?.accountId ?? user?.key ?? user?.name;
  if (!user || !id) return null;
  return { id, login: user.name ?? null, name: user.displayName ?? id, email: user.emailAddress ? user.emailAddress.toLowerCase() : null, timeZone: user.timeZone ?? null };
}

const CATEGORIES = new Set(["new", "indeterminate", "done"]);

export function toCategory(key: unknown): StatusCategory {
  return typeof key === "string" && CATEGORIES.has(key) ? (key as StatusCategory) : "new";
}

export interface FieldIds {
  storyPoints: string | null;
  sprint: string | null;
  /** Fields rules read (e.g. the CapEx field). */
  rule: string[];
}

export function toInsightIssue(issue: JiraIssue, history: JiraChangelogEntry[], fields: FieldIds): InsightIssue {
  const f = (issue.fields ?? {}) as Record<string, any>;
  const changes: InsightChange[] = [];
  // Oldest first whatever order Jira sent (DC's expand=changelog differs from Cloud's); ids break ties in an instant.
  const ordered = [...history].sort((a, b) => jiraTime(a.created) - jiraTime(b.created) || Number(a.id) - Number(b.id));
  for (const entry of ordered) {
    for (const item of entry.items) {
      const field = (item.fieldId ?? item.field).toLowerCase();
      if (field !== "status" && field !== "assignee") continue;
      changes.push({ at: jiraTime(entry.created), field, from: item.from, to: item.to, fromString: item.fromString, toString: item.toString });
    }
  }
  const points = fields.storyPoints ? f[fields.storyPoints] : null;
  const sprints = fields.sprint ? f[fields.sprint] : null;
  return {
    id: issue.id,
    key: issue.key,
    summary: String(f.summary ?? issue.key),
    type: String(f.issuetype?.name ?? ""),
    level: typeof f.issuetype?.hierarchyLevel === "number" ? f.issuetype.hierarchyLevel : f.issuetype?.subtask ? -1 : 0,
    parentId: f.parent?.id ? String(f.parent.id) : null,
    created: jiraTime(String(f.created)),
    status: { id: String(f.status?.id ?? ""), name: String(f.status?.name ?? ""), category: toCategory(f.status?.statusCategory?.key) },
    assignee: toPerson(f.assignee),
    storyPoints: typeof points === "number" ? points : null,
    originalEstimateSeconds: typeof f.timeoriginalestimate === "number" ? f.timeoriginalestimate : null,
    remainingSeconds: typeof f.timeestimate === "number" ? f.timeestimate : null,
    sprintIds: Array.isArray(sprints) ? sprints.map((sprint: unknown) => sprintId(sprint)).filter((id): id is number => id !== null) : [],
    ruleFields: Object.fromEntries(fields.rule.map((id) => [id, f[id] ?? null])),
    changes,
  };
}

/** Cloud renders sprints as objects; DC (older) as strings "com.atlassian...Sprint@x[id=1,...]". */
function sprintId(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (value && typeof value === "object" && "id" in value) return Number((value as { id: unknown }).id);
  if (typeof value === "string") {
    const match = value.match(/\bid=(\d+)/);
    return match ? Number(match[1]) : null;
  }
  return null;
}

export function toSprint(sprint: { id: number; name: string; state: string; startDate?: string; endDate?: string; completeDate?: string }): InsightSprint {
  const time = (value?: string) => (value ? Date.parse(value) : null);
  const state = sprint.state === "active" || sprint.state === "closed" ? sprint.state : "future";
  return { id: sprint.id, name: sprint.name, state, startDate: time(sprint.startDate), endDate: time(sprint.endDate), completeDate: time(sprint.completeDate) };
}

/** People seen on issues and as changelog authors. */
export function collectPeople(issues: JiraIssue[], histories: Iterable<JiraChangelogEntry[]>): Record<string, JiraPerson> {
  const people: Record<string, JiraPerson> = {};
  const add = (user: JiraUserJson) => {
    const person = toPerson(user);
    if (person) people[person.id] = { ...people[person.id], ...person, email: person.email ?? people[person.id]?.email ?? null };
  };
  for (const issue of issues) {
    const f = (issue.fields ?? {}) as Record<string, any>;
    add(f.assignee);
    add(f.reporter);
  }
  for (const history of histories) for (const entry of history) add(entry.author as JiraUserJson);
  return people;
}
