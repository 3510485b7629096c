// Reference mappings, one preset per reference role. The scheduler preset is exactly the Pull and Push tables of
// seed 000; Jira fields are named as the site names them and resolved to ids when the preset is applied.
import type { Direction, TandemField, Transform } from "./model.ts";

export interface PresetMapping {
  tandemField: string;
  /** A Jira field id (status, timetracking) or a field name resolved on the site. */
  jiraField: string;
  direction: Direction;
  transform: Transform;
}

export interface Preset {
  name: string;
  description: string;
  fields: TandemField[];
  mappings: PresetMapping[];
}

export const SCHEDULER_PRESET: Preset = {
  name: "scheduler",
  description: "Pull status, duration, low-risk duration and status comments; push criticality, ratios, projected start, last sync date and the task URL (seed 000).",
  fields: [
    { key: "duration", name: "Duration (hours)", type: "duration" },
    { key: "lowRiskDuration", name: "Low-risk duration (hours)", type: "duration" },
    { key: "lowRiskRatio", name: "Low-risk ratio", type: "number" },
    { key: "statusComments", name: "Status comments", type: "markdown" },
    { key: "criticality", name: "Criticality", type: "text" },
    { key: "criticalityRatio", name: "Criticality ratio", type: "number" },
    { key: "daysUntilCritical", name: "Days until critical", type: "number" },
    { key: "projectedStart", name: "Projected start", type: "date" },
    { key: "lastSyncDate", name: "Last sync date", type: "date" },
    { key: "taskUrl", name: "Task URL", type: "url" },
  ],
  mappings: [
    { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } },
    { tandemField: "duration", jiraField: "timetracking", direction: "pull", transform: { kind: "duration", unit: "hours", estimate: "remaining" } },
    { tandemField: "lowRiskDuration", jiraField: "timetracking", direction: "pull", transform: { kind: "ratio", of: "duration", ratioField: "lowRiskRatio", defaultRatio: 2 } },
    { tandemField: "statusComments", jiraField: "Status Comments", direction: "pull", transform: { kind: "richText" } },
    { tandemField: "criticality", jiraField: "Criticality", direction: "push", transform: { kind: "copy" } },
    { tandemField: "criticalityRatio", jiraField: "Criticality Ratio", direction: "push", transform: { kind: "number" } },
    { tandemField: "daysUntilCritical", jiraField: "Days Until Critical", direction: "push", transform: { kind: "number" } },
    { tandemField: "projectedStart", jiraField: "Projected Start", direction: "push", transform: { kind: "date" } },
    { tandemField: "lastSyncDate", jiraField: "Last Sync Date", direction: "push", transform: { kind: "now" } },
    { tandemField: "taskUrl", jiraField: "Task URL", direction: "push", transform: { kind: "itemUrl" } },
  ],
};

// The other reference roles (seeds 001–004). Core fields (title, description, status, assignee) need no definition;
// standard Jira fields are named by id, custom ones by the name Jira Cloud gives them.

const CORE_BOTH: PresetMapping[] = [
  { tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } },
  { tandemField: "description", jiraField: "description", direction: "both", transform: { kind: "richText" } },
  { tandemField: "assignee", jiraField: "assignee", direction: "both", transform: { kind: "person" } },
];

export const BOARD_PRESET: Preset = {
  name: "board",
  description: "Cards edited on both sides: title, description, status, assignee, story points and labels (seed 001).",
  fields: [
    { key: "points", name: "Story points", type: "number" },
    { key: "tags", name: "Tags", type: "multiselect" },
  ],
  mappings: [
    ...CORE_BOTH,
    { tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status" } },
    { tandemField: "points", jiraField: "Story point estimate", direction: "both", transform: { kind: "copy" } },
    { tandemField: "tags", jiraField: "labels", direction: "both", transform: { kind: "labels" } },
  ],
};

export const TRACKER_PRESET: Preset = {
  name: "tracker",
  description: "Work items sent to Jira and kept in step by webhook: title, description, status, assignee and due date (seed 002).",
  fields: [{ key: "dueDate", name: "Due date", type: "date" }],
  mappings: [
    ...CORE_BOTH,
    { tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status" } },
    { tandemField: "dueDate", jiraField: "duedate", direction: "both", transform: { kind: "date" } },
  ],
};

export const REPORTING_PRESET: Preset = {
  name: "reporting",
  description: "Read-only: title, status, assignee, reporter and product area pulled from Jira for effort reports (seed 003).",
  fields: [
    { key: "reporter", name: "Reporter", type: "person" },
    { key: "productArea", name: "Product area", type: "select" },
  ],
  mappings: [
    { tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } },
    { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } },
    { tandemField: "assignee", jiraField: "assignee", direction: "pull", transform: { kind: "person" } },
    { tandemField: "reporter", jiraField: "reporter", direction: "pull", transform: { kind: "person" } },
    { tandemField: "productArea", jiraField: "Product Area", direction: "pull", transform: { kind: "options", multiple: false } },
  ],
};

export const ROADMAP_PRESET: Preset = {
  name: "roadmap",
  description: "Typed roadmap fields: title, description, priority ↔ importance by value map, assignee, story points, labels, due date; review and blocked statuses count as started (seed 004).",
  fields: [
    { key: "importance", name: "Importance", type: "select" },
    { key: "points", name: "Story points", type: "number" },
    { key: "tags", name: "Tags", type: "multiselect" },
    { key: "dueDate", name: "Due date", type: "date" },
  ],
  mappings: [
    ...CORE_BOTH,
    { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status", byStatus: { "In Review": "Started", Blocked: "Started", Backlog: "Not Started" } } },
    { tandemField: "importance", jiraField: "priority", direction: "both", transform: { kind: "valueMap", map: { Highest: "Critical", High: "High", Medium: "Medium", Low: "Low", Lowest: "Trivial" } } },
    { tandemField: "points", jiraField: "Story point estimate", direction: "both", transform: { kind: "copy" } },
    { tandemField: "tags", jiraField: "labels", direction: "both", transform: { kind: "labels" } },
    { tandemField: "dueDate", jiraField: "duedate", direction: "both", transform: { kind: "date" } },
  ],
};

export const PRESETS: Record<string, Preset> = { scheduler: SCHEDULER_PRESET, board: BOARD_PRESET, tracker: TRACKER_PRESET, reporting: REPORTING_PRESET, roadmap: ROADMAP_PRESET };

/** The presets' names, as the API's schemas accept them. */
export const PRESET_NAMES = ["scheduler", "board", "tracker", "reporting", "roadmap"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
