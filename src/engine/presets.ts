// Reference mappings. The scheduler preset is exactly the Pull and Push tables of seed 000; Jira fields are named
// as the site names them and resolved to ids when the preset is applied.
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

export const PRESETS: Record<string, Preset> = { scheduler: SCHEDULER_PRESET };
