// Jira Cloud's asynchronous bulk edit: `POST /bulk/issues/fields` checks the request as a whole (Jira's 400
// BulkOperationErrorResponse) and queues a task; the task then edits each issue through the same path as a single
// edit (editIssue: permissions, parsing with Jira's messages, changelog, webhook), a little later, so a client polls
// `GET /bulk/queue/{taskId}` for its BulkOperationProgress. Issues the submitter cannot see are only counted;
// issues they can see but not edit, or whose edit Jira refuses, are listed with the reasons.
import { fieldById } from "../fields/registry.ts";
import type { FieldDef } from "../fields/types.ts";
import { JiraError } from "../model/jira-error.ts";
import type { SandboxState } from "../model/state.ts";
import type { CustomFieldKind, Issue } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";
import type { FieldWrites } from "./field-writes.ts";
import { editIssue } from "./issues.ts";

/** "A single request can accommodate a maximum of 1000 issues (including subtasks) and 200 fields." (submitBulkEdit) */
const BULK_EDIT_MAX_ISSUES = 1000;
const BULK_EDIT_MAX_FIELDS = 200;
/** "You can view task progress for up to 14 days from creation." (getBulkOperationProgress) */
const TASK_RETENTION_MS = 14 * 24 * 3600 * 1000;

export type BulkTaskStatus = "ENQUEUED" | "RUNNING" | "COMPLETE" | "FAILED" | "CANCEL_REQUESTED" | "CANCELLED" | "DEAD";

export interface BulkEditPlan {
  refs: string[];
  /** The same edit for every issue, in the `fields`/`update` form editIssue takes. */
  writes: FieldWrites;
  sendBulkNotification: boolean;
}

export interface BulkEditTask {
  taskId: string;
  submittedBy: string;
  created: number;
  started: number | null;
  updated: number;
  status: BulkTaskStatus;
  plan: BulkEditPlan;
  baseUrl: string;
  /** How many of plan.refs have been handled. */
  done: number;
  processed: string[];
  failed: Map<string, string[]>;
  invalidOrInaccessible: number;
  /** Issues already edited by this task (an id and a key of the same issue count once). */
  seen: Set<string>;
  /** Ends FAILED when it starts, editing nothing (the failNextTask control). */
  failing: boolean;
}

/** How fast tasks run (a test control, not Jira's): they always finish after the request that queued them. */
export interface BulkTaskSettings {
  /** Time between the submit and the task starting (the task is ENQUEUED meanwhile). */
  startDelayMs: number;
  /** Issues edited per step; progressPercent moves between steps. */
  issuesPerStep: number;
  /** Pause between steps (the task is RUNNING meanwhile). */
  stepDelayMs: number;
  /**
   * The next task submitted ends FAILED as it starts, having edited nothing, as a Jira task that dies does; then
   * this is false again. Its progress has no results, like any task that did not complete.
   */
  failNextTask: boolean;
}

const DEFAULT_BULK_TASK_SETTINGS: BulkTaskSettings = { startDelayMs: 0, issuesPerStep: 100, stepDelayMs: 0, failNextTask: false };

interface Registry {
  tasks: Map<string, BulkEditTask>;
  settings: BulkTaskSettings;
}

const registries = new WeakMap<SandboxState, Registry>();

function registry(state: SandboxState): Registry {
  let entry = registries.get(state);
  if (!entry) {
    entry = { tasks: new Map(), settings: { ...DEFAULT_BULK_TASK_SETTINGS } };
    registries.set(state, entry);
  }
  return entry;
}

export function bulkTaskSettings(state: SandboxState): BulkTaskSettings {
  return registry(state).settings;
}

export function configureBulkTasks(state: SandboxState, settings: Partial<BulkTaskSettings>): BulkTaskSettings {
  const entry = registry(state);
  entry.settings = { ...entry.settings, ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) };
  return entry.settings;
}

// ---- the request ----

const MULTI_SELECT_OPTIONS = ["ADD", "REMOVE", "REPLACE", "REMOVE_ALL"] as const;
type MultiSelectOption = (typeof MULTI_SELECT_OPTIONS)[number];

type FieldTest = (field: FieldDef, state: SandboxState) => boolean;
const isSystem = (...ids: string[]): FieldTest => (field) => !field.custom && ids.includes(field.id);
/** Custom fields of these kinds (fields/custom.ts gives each kind its Jira type key). */
const isCustom = (...kinds: CustomFieldKind[]): FieldTest => (field, state) => {
  const kind = field.custom ? state.customFields.get(field.id)?.kind : undefined;
  return kind !== undefined && kinds.includes(kind);
};
const either = (...tests: FieldTest[]): FieldTest => (field, state) => tests.some((test) => test(field, state));

type Entry = Record<string, unknown>;
/** Adds one entry's edit to the writes; returns a message when the entry is malformed. */
type Translate = (entry: Entry, field: FieldDef, writes: Required<FieldWrites>, path: string) => string | null;

interface Family {
  /** Which fields this input edits, in Jira's terms. */
  accepts: FieldTest;
  kind: string;
  translate: Translate;
}

const setField = (writes: Required<FieldWrites>, field: FieldDef, value: unknown) => {
  writes.fields[field.id] = value;
};

/** ADD/REMOVE go through `update` (one operation per value), REPLACE and REMOVE_ALL set the field. */
function multiSelectEdit(writes: Required<FieldWrites>, field: FieldDef, option: MultiSelectOption, values: unknown[]) {
  if (option === "REPLACE") setField(writes, field, values);
  else if (option === "REMOVE_ALL") setField(writes, field, []);
  else writes.update[field.id] = values.map((value) => (option === "ADD" ? { add: value } : { remove: value }));
}

function multiSelectOption(entry: Entry, path: string): MultiSelectOption | string {
  const option = entry.bulkEditMultiSelectFieldOption;
  if (typeof option !== "string" || !(MULTI_SELECT_OPTIONS as readonly string[]).includes(option)) {
    return `${path}.bulkEditMultiSelectFieldOption must be one of ${MULTI_SELECT_OPTIONS.join(", ")}.`;
  }
  return option as MultiSelectOption;
}

function isObject(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Jira's date picker input: d/MMM/yy (the default picker format) or ISO; the REST field form is yyyy-MM-dd. */
function restDate(text: string): string {
  const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  const picker = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2})$/.exec(text);
  if (picker) {
    const month = months.indexOf(picker[2]!.toLowerCase());
    if (month >= 0) return `20${picker[3]}-${String(month + 1).padStart(2, "0")}-${picker[1]!.padStart(2, "0")}`;
  }
  const dayFirst = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  if (dayFirst) return `${dayFirst[3]}-${dayFirst[2]}-${dayFirst[1]}`;
  return text;
}

const optionRef = (value: unknown) => ({ id: String(value) });

/** editedFieldsInput (JiraIssueFields): each list of typed inputs, with the fields it may name. */
const FAMILIES: Record<string, Family> = {
  singleLineTextFields: {
    kind: "single line text",
    accepts: either(isSystem("summary"), isCustom("text")),
    translate: (entry, field, writes, path) => {
      if (typeof entry.text !== "string") return `${path}.text must be a string (an empty string clears the field).`;
      setField(writes, field, field.custom && entry.text === "" ? null : entry.text);
      return null;
    },
  },
  richTextFields: {
    kind: "rich text",
    accepts: either(isSystem("description", "environment"), isCustom("textarea")),
    translate: (entry, field, writes, path) => {
      if (!isObject(entry.richText)) return `${path}.richText must be an object: {"adfValue": <ADF document>}, or {} to clear the field.`;
      const adf = entry.richText.adfValue;
      if (adf !== undefined && adf !== null && !isObject(adf)) return `${path}.richText.adfValue must be an ADF document; rich text fields only support ADF values.`;
      setField(writes, field, adf ?? null);
      return null;
    },
  },
  labelsFields: {
    kind: "labels",
    accepts: either(isSystem("labels"), isCustom("labels")),
    translate: (entry, field, writes, path) => {
      const option = multiSelectOption(entry, path);
      if (!MULTI_SELECT_OPTIONS.includes(option as MultiSelectOption)) return option;
      if (!Array.isArray(entry.labels) || entry.labels.some((label) => !isObject(label) || typeof label.name !== "string")) {
        return `${path}.labels must be a list of {"name": "<label>"} (empty with REMOVE_ALL).`;
      }
      multiSelectEdit(writes, field, option as MultiSelectOption, (entry.labels as { name: string }[]).map((label) => label.name));
      return null;
    },
  },
  singleSelectClearableUserPickerFields: {
    kind: "user picker",
    accepts: either(isSystem("assignee", "reporter"), isCustom("userpicker")),
    translate: (entry, field, writes, path) => {
      const user = entry.user;
      if (user === undefined || user === null) {
        setField(writes, field, null);
        return null;
      }
      if (!isObject(user) || typeof user.accountId !== "string") return `${path}.user must be {"accountId": "<account id>"}, or null to clear the field.`;
      setField(writes, field, { accountId: user.accountId });
      return null;
    },
  },
  singleSelectFields: {
    kind: "single select",
    accepts: isCustom("select", "radiobuttons"),
    translate: (entry, field, writes, path) => {
      const optionId = isObject(entry.option) ? entry.option.optionId : undefined;
      if (!Number.isInteger(optionId)) return `${path}.option must be {"optionId": <option id>}; an optionId of -1 clears the field.`;
      setField(writes, field, optionId === -1 ? null : optionRef(optionId));
      return null;
    },
  },
  multipleSelectFields: {
    kind: "multi select",
    accepts: isCustom("multiselect", "checkboxes"),
    translate: (entry, field, writes, path) => {
      if (!Array.isArray(entry.options) || entry.options.some((option) => !isObject(option) || !Number.isInteger(option.optionId))) {
        return `${path}.options must be a list of {"optionId": <option id>} (empty to clear the field).`;
      }
      setField(writes, field, (entry.options as { optionId: number }[]).map((option) => optionRef(option.optionId)));
      return null;
    },
  },
  clearableNumberFields: {
    kind: "number",
    accepts: isCustom("number", "storypoints"),
    translate: (entry, field, writes, path) => {
      const value = entry.value;
      if (value !== undefined && value !== null && (typeof value !== "number" || !Number.isFinite(value))) return `${path}.value must be a number, or null to clear the field.`;
      setField(writes, field, value ?? null);
      return null;
    },
  },
  datePickerFields: {
    kind: "date picker",
    accepts: either(isSystem("duedate"), isCustom("date")),
    translate: (entry, field, writes, path) => {
      if (entry.date !== undefined && (!isObject(entry.date) || typeof entry.date.formattedDate !== "string")) {
        return `${path}.date must be {"formattedDate": "<date>"}; an empty formattedDate clears the field.`;
      }
      const formatted = (entry.date as { formattedDate?: string } | undefined)?.formattedDate ?? "";
      setField(writes, field, formatted === "" ? null : restDate(formatted));
      return null;
    },
  },
  dateTimePickerFields: {
    kind: "date-time picker",
    accepts: isCustom("datetime"),
    translate: (entry, field, writes, path) => {
      if (!isObject(entry.dateTime) || typeof entry.dateTime.formattedDateTime !== "string") {
        return `${path}.dateTime must be {"formattedDateTime": "<ISO date-time>"}; an empty formattedDateTime clears the field.`;
      }
      setField(writes, field, entry.dateTime.formattedDateTime === "" ? null : entry.dateTime.formattedDateTime);
      return null;
    },
  },
  urlFields: {
    kind: "URL",
    accepts: isCustom("url"),
    translate: (entry, field, writes, path) => {
      if (typeof entry.url !== "string") return `${path}.url must be a string (an empty string clears the field).`;
      setField(writes, field, entry.url === "" ? null : entry.url);
      return null;
    },
  },
  multipleVersionPickerFields: {
    kind: "version picker",
    accepts: isSystem("fixVersions", "versions"),
    translate: (entry, field, writes, path) => {
      const option = multiSelectOption(entry, path);
      if (!MULTI_SELECT_OPTIONS.includes(option as MultiSelectOption)) return option;
      if (!Array.isArray(entry.versions) || entry.versions.some((version) => !isObject(version) || (typeof version.versionId !== "string" && !Number.isInteger(version.versionId)))) {
        return `${path}.versions must be a list of {"versionId": "<version id>"} (empty with REMOVE_ALL).`;
      }
      multiSelectEdit(writes, field, option as MultiSelectOption, (entry.versions as { versionId: string | number }[]).map((version) => optionRef(version.versionId)));
      return null;
    },
  },
};

/** The inputs that are a single object, not a list, and the field each edits. */
const SINGLE_FAMILIES: Record<string, { fieldId: string; translate: Translate }> = {
  priority: {
    fieldId: "priority",
    translate: (entry, field, writes, path) => {
      if (typeof entry.priorityId !== "string") return `${path}.priorityId must be the id of a priority, as a string.`;
      setField(writes, field, { id: entry.priorityId });
      return null;
    },
  },
};

/** The editedFieldsInput key that edits a field, or null when a bulk edit cannot (the sandbox's answer to "Get bulk editable fields"). */
export function bulkEditableFamily(state: SandboxState, field: FieldDef): string | null {
  if (!field.parse) return null;
  for (const [key, single] of Object.entries(SINGLE_FAMILIES)) if (single.fieldId === field.id) return key;
  for (const [key, family] of Object.entries(FAMILIES)) if (family.accepts(field, state)) return key;
  return null;
}

/** Inputs Jira has that the sandbox does not simulate (the demo site has no such fields, or Tandem never bulk edits them). */
const NOT_SIMULATED = [
  "cascadingSelectFields",
  "colorFields",
  "issueType",
  "multipleGroupPickerFields",
  "multipleSelectClearableUserPickerFields",
  "multiselectComponents",
  "originalEstimateField",
  "singleGroupPickerFields",
  "singleVersionPickerFields",
  "status",
  "timeTrackingField",
];

const PAYLOAD_KEYS = ["selectedIssueIdsOrKeys", "selectedActions", "editedFieldsInput", "sendBulkNotification"];

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? (value as string[]) : null;
}

/**
 * Checks an IssueBulkEditPayload as a whole. Any problem refuses the request (nothing is queued), with every message
 * at once; a value that is well formed but wrong for an issue (an unknown option, a user who cannot be assigned) is
 * that issue's failure when the task runs, as with a single edit.
 */
export function parseBulkEdit(state: SandboxState, body: Record<string, unknown>): { ok: true; plan: BulkEditPlan } | { ok: false; messages: string[] } {
  const messages: string[] = [];
  for (const key of Object.keys(body)) if (!PAYLOAD_KEYS.includes(key)) messages.push(`Unrecognized field "${key}": the payload takes ${PAYLOAD_KEYS.join(", ")}.`);

  const refs = stringList(body.selectedIssueIdsOrKeys);
  if (!refs) messages.push("selectedIssueIdsOrKeys is required: a list of issue ids or keys.");
  else if (refs.length === 0) messages.push("selectedIssueIdsOrKeys must list at least one issue id or key.");
  else if (refs.length > BULK_EDIT_MAX_ISSUES) messages.push(`A bulk edit can include at most ${BULK_EDIT_MAX_ISSUES} issues (subtasks included); this one has ${refs.length}.`);

  const actions = stringList(body.selectedActions);
  if (!actions) messages.push("selectedActions is required: a list of the ids of the fields to edit.");
  else if (actions.length === 0) messages.push("selectedActions must list at least one field id.");
  else if (new Set(actions).size > BULK_EDIT_MAX_FIELDS) messages.push(`A bulk edit can edit at most ${BULK_EDIT_MAX_FIELDS} fields; this one has ${new Set(actions).size}.`);

  const send = body.sendBulkNotification;
  if (send !== undefined && send !== null && typeof send !== "boolean") messages.push("sendBulkNotification must be true or false.");

  const writes: Required<FieldWrites> = { fields: {}, update: {} };
  const edited: string[] = [];
  const input = body.editedFieldsInput;
  if (!isObject(input)) {
    messages.push("editedFieldsInput is required: an object with the new values of the selected fields.");
  } else {
    const claim = (field: FieldDef, path: string) => {
      if (edited.includes(field.id)) {
        messages.push(`${path}: field '${field.id}' is edited more than once in editedFieldsInput.`);
        return false;
      }
      edited.push(field.id);
      return true;
    };
    for (const [key, value] of Object.entries(input)) {
      const path = `editedFieldsInput.${key}`;
      const family = FAMILIES[key];
      const single = SINGLE_FAMILIES[key];
      if (single) {
        if (!isObject(value)) {
          messages.push(`${path} must be an object.`);
          continue;
        }
        const field = fieldById(state, single.fieldId)!;
        if (!claim(field, path)) continue;
        const problem = single.translate(value, field, writes, path);
        if (problem) messages.push(problem);
        continue;
      }
      if (!family) {
        messages.push(NOT_SIMULATED.includes(key) ? `${path}: the sandbox Jira does not simulate bulk edits through ${key}.` : `Unrecognized field "${key}" in editedFieldsInput.`);
        continue;
      }
      if (!Array.isArray(value)) {
        messages.push(`${path} must be a list.`);
        continue;
      }
      value.forEach((entry, index) => {
        const at = `${path}[${index}]`;
        if (!isObject(entry) || typeof entry.fieldId !== "string") {
          messages.push(`${at}.fieldId is required.`);
          return;
        }
        const field = fieldById(state, entry.fieldId);
        if (!field || !field.parse) {
          messages.push(`${at}: field '${entry.fieldId}' does not exist or cannot be bulk edited.`);
          return;
        }
        if (!family.accepts(field, state)) {
          messages.push(`${at}: field '${field.id}' (${field.name}) is not a ${family.kind} field; ${key} cannot edit it.`);
          return;
        }
        if (!claim(field, at)) return;
        const problem = family.translate(entry, field, writes, at);
        if (problem) messages.push(problem);
      });
    }
  }

  if (actions && isObject(input)) {
    // Atlassian's own example message for the first case (submitBulkEdit, 400).
    const notSelected = edited.filter((id) => !actions.includes(id));
    if (notSelected.length) messages.push(`The following editedFieldInput values are not listed as selectedActions : ${notSelected.join(", ")}`);
    const withoutInput = [...new Set(actions)].filter((id) => !edited.includes(id));
    if (withoutInput.length) messages.push(`The following selectedActions values have no value in editedFieldsInput : ${withoutInput.join(", ")}`);
  }

  if (messages.length || !refs) return { ok: false, messages };
  return { ok: true, plan: { refs, writes, sendBulkNotification: send !== false } };
}

// ---- the task ----

export function submitBulkEdit(ctx: RenderContext, plan: BulkEditPlan): BulkEditTask {
  const { state } = ctx;
  const now = state.now();
  const task: BulkEditTask = {
    taskId: String(state.nextId("bulk-task")),
    submittedBy: ctx.viewerId,
    created: now,
    started: null,
    updated: now,
    status: "ENQUEUED",
    plan,
    baseUrl: ctx.baseUrl,
    done: 0,
    processed: [],
    failed: new Map(),
    invalidOrInaccessible: 0,
    seen: new Set(),
    failing: false,
  };
  const entry = registry(state);
  if (entry.settings.failNextTask) {
    task.failing = true;
    entry.settings.failNextTask = false;
  }
  entry.tasks.set(task.taskId, task);
  later(entry.settings.startDelayMs, () => runTask(state, task));
  return task;
}

export function findBulkTask(state: SandboxState, taskId: string): BulkEditTask | undefined {
  const entry = registry(state);
  const task = entry.tasks.get(taskId);
  if (task && state.now() - task.created > TASK_RETENTION_MS) {
    entry.tasks.delete(taskId);
    return undefined;
  }
  return task;
}

/** Timers never hold the process open: a sandbox closed mid-task just stops. */
function later(ms: number, run: () => void) {
  setTimeout(run, ms).unref();
}

function runTask(state: SandboxState, task: BulkEditTask) {
  task.started = task.updated = state.now();
  if (task.failing) {
    task.status = "FAILED";
    return;
  }
  task.status = "RUNNING";
  step(state, task);
}

function step(state: SandboxState, task: BulkEditTask) {
  const { issuesPerStep, stepDelayMs } = registry(state).settings;
  const end = Math.min(task.plan.refs.length, task.done + issuesPerStep);
  for (; task.done < end; task.done++) editOne(state, task, task.plan.refs[task.done]!);
  task.updated = state.now();
  if (task.done < task.plan.refs.length) later(stepDelayMs, () => step(state, task));
  else task.status = "COMPLETE";
}

function editOne(state: SandboxState, task: BulkEditTask, ref: string) {
  const issue = state.issueByIdOrKey(ref);
  if (issue && task.seen.has(issue.id)) return;
  if (!issue || !state.canBrowse(task.submittedBy, issue)) {
    task.invalidOrInaccessible += 1;
    return;
  }
  task.seen.add(issue.id);
  if (!state.hasPermission(task.submittedBy, state.projectOf(issue), "EDIT_ISSUES")) {
    task.failed.set(issue.id, [`You do not have permission to edit issue ${issue.key}.`]);
    return;
  }
  // Rich text arrives as ADF whatever the REST version; webhooks of these edits carry bulkOperationMetaData.
  const ctx: RenderContext = {
    state,
    baseUrl: task.baseUrl,
    apiVersion: "3",
    viewerId: task.submittedBy,
    bulkOperation: { sendMail: task.plan.sendBulkNotification },
  };
  try {
    editIssue(ctx, issue, task.plan.writes);
    task.processed.push(issue.id);
  } catch (error) {
    task.failed.set(issue.id, reasonsOf(state, issue, error));
  }
}

function reasonsOf(state: SandboxState, issue: Issue, error: unknown): string[] {
  if (!(error instanceof JiraError)) {
    console.error("sandbox: bulk edit of", issue.key, "failed unexpectedly", error);
    return ["An unexpected error occurred while editing this issue."];
  }
  const reasons = [
    ...error.errorMessages,
    ...Object.entries(error.errors).map(([fieldId, message]) => `${fieldById(state, fieldId)?.name ?? fieldId}: ${message}`),
  ];
  return reasons.length ? reasons : [error.message];
}

/** BulkOperationProgress as Atlassian's examples show it: epoch-millisecond dates, results once COMPLETE (none for a FAILED task). */
export function renderBulkProgress(task: BulkEditTask): Record<string, unknown> {
  const total = task.plan.refs.length;
  const complete = task.status === "COMPLETE";
  return {
    taskId: task.taskId,
    status: task.status,
    progressPercent: complete ? 100 : total === 0 ? 0 : Math.floor((task.done / total) * 100),
    submittedBy: { accountId: task.submittedBy },
    created: task.created,
    ...(task.started !== null ? { started: task.started } : {}),
    updated: task.updated,
    ...(complete
      ? {
          totalIssueCount: task.seen.size + task.invalidOrInaccessible,
          processedAccessibleIssues: task.processed.map(Number),
          ...(task.failed.size ? { failedAccessibleIssues: Object.fromEntries(task.failed) } : {}),
          invalidOrInaccessibleIssueCount: task.invalidOrInaccessible,
        }
      : {}),
  };
}
