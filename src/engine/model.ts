// The sync model: Tandem's field types, mappings between a Tandem field and a Jira field, their transforms,
// conflict policies and directions. Plain data; the engine's functions work on it.

export type TandemFieldType = "text" | "markdown" | "number" | "date" | "datetime" | "url" | "boolean" | "select" | "multiselect" | "person" | "duration" | "status";

export interface TandemField {
  key: string;
  name: string;
  type: TandemFieldType;
}

/** Every item has these; projects add their own typed fields. */
export const CORE_FIELDS: TandemField[] = [
  { key: "title", name: "Title", type: "text" },
  { key: "description", name: "Description", type: "markdown" },
  { key: "status", name: "Status", type: "status" },
  { key: "assignee", name: "Assignee", type: "person" },
];

export const TANDEM_STATUSES = ["Not Started", "Started", "Completed"] as const;

export type Direction = "pull" | "push" | "both";
export type ProjectDirection = "pull" | "push" | "two-way";
export type ConflictPolicy = "jira-wins" | "tandem-wins" | "newest-wins" | "hold";

export type Transform =
  | { kind: "copy" }
  /** Jira status → Tandem status by category, with optional per-status overrides; push walks the workflow. */
  | { kind: "status"; byCategory?: Partial<Record<"new" | "indeterminate" | "done", string>>; byStatus?: Record<string, string>; toJira?: Record<string, string> }
  | { kind: "valueMap"; map: Record<string, string> }
  /** Time tracking seconds ↔ a duration in the project's unit, using the site's hours per day. */
  | { kind: "duration"; unit: "hours" | "days"; estimate: "remaining" | "original" }
  /** Pull only: this field = the pulled value of `of` × the item's ratio field (kept, default 2). */
  | { kind: "ratio"; of: string; ratioField: string; defaultRatio: number }
  | { kind: "richText" }
  | { kind: "person" }
  | { kind: "date" }
  /** Push only: a URL built from the item (the {itemUrl} of Tandem). */
  | { kind: "itemUrl" }
  /** Push only: today's date (the last sync date). */
  | { kind: "now" }
  /** Push only: a number written to a number or text Jira field. */
  | { kind: "number" }
  /** Select, radio, multi-select and checkbox options ↔ their values (Tandem select or multiselect). */
  | { kind: "options"; multiple: boolean }
  /** Date-times across time zones: Jira's offset timestamps ↔ Tandem's UTC ISO instants. */
  | { kind: "datetime" }
  /** Labels and other string arrays. */
  | { kind: "labels" };

export interface Mapping {
  id: string;
  tandemField: string;
  /** Jira field id (summary, status, timetracking, customfield_10041, ...). */
  jiraField: string;
  direction: Direction;
  transform: Transform;
}

/** Push-only and pull-only transforms, whatever direction the mapping asks. */
export function allowedDirections(transform: Transform): Direction[] {
  switch (transform.kind) {
    case "itemUrl":
    case "now":
    case "number":
      return ["push"];
    case "ratio":
      return ["pull"];
    default:
      return ["pull", "push", "both"];
  }
}
