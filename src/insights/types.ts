// The shapes insights work on: issues and their status/assignee history as the fetcher stores them, already
// free of Jira's JSON quirks (Cloud accountId vs DC name, offsets in timestamps).

export type StatusCategory = "new" | "indeterminate" | "done";

/**
 * A Jira user as insights know them: the id changelogs use (Cloud accountId, DC user key), the DC login name
 * (what manual overrides may name), and an email when visible.
 */
export interface JiraPerson {
  id: string;
  login?: string | null;
  name: string;
  email: string | null;
  timeZone: string | null;
}

/** One status or assignee change, oldest first per issue. */
export interface InsightChange {
  at: number;
  field: "status" | "assignee";
  from: string | null;
  to: string | null;
  fromString: string | null;
  toString: string | null;
}

export interface InsightIssue {
  id: string;
  key: string;
  summary: string;
  type: string;
  /** Jira's hierarchy level: -1 sub-task, 0 story/task/bug, 1 epic, 2 initiative. */
  level: number;
  parentId: string | null;
  created: number;
  status: { id: string; name: string; category: StatusCategory };
  assignee: JiraPerson | null;
  storyPoints: number | null;
  originalEstimateSeconds: number | null;
  remainingSeconds: number | null;
  sprintIds: number[];
  /** Raw values of the fields a report rule reads (e.g. the CapEx field), by field id. */
  ruleFields: Record<string, unknown>;
  changes: InsightChange[];
}

export interface InsightSprint {
  id: number;
  name: string;
  state: "future" | "active" | "closed";
  startDate: number | null;
  endDate: number | null;
  completeDate: number | null;
}

/** Everything a report needs about one project, as stored by the fetcher. */
export interface InsightData {
  issues: InsightIssue[];
  sprints: InsightSprint[];
  /** Status id → its category, for statuses seen in changelogs. */
  statusCategories: Record<string, StatusCategory>;
  /** Every Jira user seen (assignees, changelog authors), by id. */
  people: Record<string, JiraPerson>;
  fetchedAt: number;
}
