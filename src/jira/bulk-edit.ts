// Jira Cloud's bulk edit in Tandem's terms: the typed `editedFieldsInput` (Atlassian's JiraIssueFields), a builder
// from the plain field values Tandem would otherwise PUT as `fields` on /issue/{id}, and the outcome of a finished
// task. The builder refuses what the bulk API cannot express, so the caller edits those fields one issue at a time.
import { jiraTime } from "./time.ts";
import type { JiraField, JiraFieldMeta, JiraFieldSchema } from "./types.ts";

/** Jira's limits for one bulk edit (submitBulkEdit: "a maximum of 1000 issues (including subtasks) and 200 fields"). */
export const BULK_EDIT_LIMITS = { issues: 1000, fields: 200 } as const;

export type BulkEditMultiSelectFieldOption = "ADD" | "REMOVE" | "REPLACE" | "REMOVE_ALL";

/** The parts of Atlassian's JiraIssueFields that Tandem writes. */
export interface JiraBulkEditedFields {
  singleLineTextFields?: { fieldId: string; text: string }[];
  richTextFields?: { fieldId: string; richText: { adfValue?: unknown } }[];
  labelsFields?: { fieldId: string; bulkEditMultiSelectFieldOption: BulkEditMultiSelectFieldOption; labels: { name: string }[] }[];
  priority?: { priorityId: string };
  singleSelectClearableUserPickerFields?: { fieldId: string; user: { accountId: string } | null }[];
  singleSelectFields?: { fieldId: string; option: { optionId: number } }[];
  multipleSelectFields?: { fieldId: string; options: { optionId: number }[] }[];
  clearableNumberFields?: { fieldId: string; value: number | null }[];
  datePickerFields?: { fieldId: string; date: { formattedDate: string } }[];
  dateTimePickerFields?: { fieldId: string; dateTime: { formattedDateTime: string } }[];
  urlFields?: { fieldId: string; url: string }[];
  multipleVersionPickerFields?: { fieldId: string; bulkEditMultiSelectFieldOption: BulkEditMultiSelectFieldOption; versions: { versionId: string }[] }[];
}

/** One bulk edit: the fields it edits (`selectedActions`) and their new values. */
export interface BulkEdit {
  selectedActions: string[];
  editedFieldsInput: JiraBulkEditedFields;
}

/** An allowed value as edit or create metadata lists it (options carry `value`, priorities and versions `name`). */
export interface AllowedValue {
  id: string;
  value?: string;
  name?: string;
}

export interface BulkEditLookups {
  /** The site's fields (`JiraClient.fields()` or `JiraMetadata.fields()`): their schema says which input edits each. */
  fields: Iterable<JiraField>;
  /**
   * Allowed values by field id, to turn `{ name }` / `{ value }` into the ids the bulk API takes (priority, select
   * options, versions). `allowedValuesOf(await jira.editMeta(issue))` gives them. Values given by id need none.
   */
  allowedValues?: Record<string, AllowedValue[]>;
}

export interface BulkEditRefusal {
  field: string;
  reason: string;
}

export interface BulkEditBuild {
  /** The edit of every field the bulk API can express; null when none can. */
  edit: BulkEdit | null;
  /** Fields left out, with why: write them with single edits (`JiraClient.editIssue`). */
  refused: BulkEditRefusal[];
}

/** The allowed values of edit (or create) metadata, as `BulkEditLookups.allowedValues` takes them. */
export function allowedValuesOf(meta: Record<string, JiraFieldMeta>): Record<string, AllowedValue[]> {
  const out: Record<string, AllowedValue[]> = {};
  for (const [fieldId, field] of Object.entries(meta)) {
    const values = (field.allowedValues ?? []).filter((value): value is AllowedValue => typeof value === "object" && value !== null && typeof (value as AllowedValue).id === "string");
    if (values.length) out[fieldId] = values;
  }
  return out;
}

const PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:";

type Kind = "text" | "richText" | "labels" | "priority" | "user" | "select" | "multiSelect" | "number" | "date" | "dateTime" | "url" | "versions";

/** The bulk input of each system field it can edit, by schema.system. */
const SYSTEM_KINDS: Record<string, Kind> = {
  summary: "text",
  description: "richText",
  environment: "richText",
  labels: "labels",
  priority: "priority",
  assignee: "user",
  reporter: "user",
  duedate: "date",
  fixVersions: "versions",
  versions: "versions",
};

/** The bulk input of each custom field type it can edit, by schema.custom. */
const CUSTOM_KINDS: Record<string, Kind> = {
  [`${PLUGIN}textfield`]: "text",
  [`${PLUGIN}textarea`]: "richText",
  [`${PLUGIN}labels`]: "labels",
  [`${PLUGIN}userpicker`]: "user",
  [`${PLUGIN}select`]: "select",
  [`${PLUGIN}radiobuttons`]: "select",
  [`${PLUGIN}multiselect`]: "multiSelect",
  [`${PLUGIN}multicheckboxes`]: "multiSelect",
  [`${PLUGIN}float`]: "number",
  "com.pyxis.greenhopper.jira:jsw-story-points": "number",
  [`${PLUGIN}datepicker`]: "date",
  [`${PLUGIN}datetime`]: "dateTime",
  [`${PLUGIN}url`]: "url",
};

/** Which bulk input edits a field, from its schema (system id or custom type key); null when none does. */
function bulkEditKind(field: { custom?: boolean; schema?: JiraFieldSchema }): Kind | null {
  const schema = field.schema;
  if (!schema) return null;
  if (!field.custom && schema.system) return SYSTEM_KINDS[schema.system] ?? null;
  return schema.custom ? (CUSTOM_KINDS[schema.custom] ?? null) : null;
}

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const no = (reason: string): Result<never> => ({ ok: false, reason });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `{id}` as given, or `{name}`/`{value}` found among the field's allowed values. */
function resolveId(fieldId: string, value: unknown, lookups: BulkEditLookups, what: string): Result<string> {
  if (!isObject(value)) return no(`a ${what} is written as {"id": ...}, {"name": ...} or {"value": ...}, not ${JSON.stringify(value)}.`);
  if (typeof value.id === "string" || typeof value.id === "number") return ok(String(value.id));
  const label = typeof value.value === "string" ? value.value : typeof value.name === "string" ? value.name : null;
  if (label === null) return no(`a ${what} needs an id, a name or a value; got ${JSON.stringify(value)}.`);
  const found = (lookups.allowedValues?.[fieldId] ?? []).find((candidate) => candidate.value === label || candidate.name === label);
  return found ? ok(found.id) : no(`the bulk API takes ${what} ids, and '${label}' is not among the allowed values given for ${fieldId} (pass BulkEditLookups.allowedValues, e.g. from edit metadata).`);
}

/** Each value's id (resolveId), then in the form the input takes; the first value that fails is the reason. */
function resolveEach<T>(fieldId: string, values: unknown[], lookups: BulkEditLookups, what: string, convert: (id: string) => Result<T>): Result<T[]> {
  const out: T[] = [];
  for (const value of values) {
    const id = resolveId(fieldId, value, lookups, what);
    const converted = id.ok ? convert(id.value) : id;
    if (!converted.ok) return converted;
    out.push(converted.value);
  }
  return ok(out);
}

function optionId(id: string): Result<number> {
  return /^\d+$/.test(id) ? ok(Number(id)) : no(`option id '${id}' is not a number, which the bulk API requires.`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One input's entry: an element of the list inputs, the object itself for priority. */
type InputEntry<K extends keyof JiraBulkEditedFields> = NonNullable<JiraBulkEditedFields[K]> extends (infer E)[] ? E : NonNullable<JiraBulkEditedFields[K]>;

/**
 * Builds one bulk edit from the values Tandem would PUT as `fields` on /issue/{id} (Cloud form: ADF rich text,
 * `{accountId}` users, `{id|name}` priority, `{id|value}` options, `yyyy-MM-dd` dates). Types the bulk API cannot
 * express (time tracking, components, sprints, parent, cascading selects, groups, issue type, status...) and values it
 * cannot (a null summary or priority, wiki markup, an option named but not listed) are refused with a reason.
 * Labels, versions and multi-selects are replaced as a whole, like a `fields` write.
 */
export function buildBulkEdit(fields: Record<string, unknown>, lookups: BulkEditLookups): BulkEditBuild {
  const byId = new Map<string, JiraField>();
  for (const field of lookups.fields) byId.set(field.id, field);
  const input: JiraBulkEditedFields = {};
  const selectedActions: string[] = [];
  const refused: BulkEditRefusal[] = [];

  for (const [fieldId, value] of Object.entries(fields)) {
    const field = byId.get(fieldId);
    const refuse = (reason: string) => refused.push({ field: fieldId, reason });
    /** The field's edit: its entry in the input, and the field among the selected actions. */
    const add = <K extends keyof JiraBulkEditedFields>(key: K, entry: InputEntry<K>) => {
      if (key === "priority") input.priority = entry as InputEntry<"priority">;
      else ((input[key] ??= [] as never) as unknown[]).push(entry);
      selectedActions.push(fieldId);
    };
    if (!field) {
      refuse(`${fieldId} is not a field of this site (or the field list given is out of date).`);
      continue;
    }
    const kind = bulkEditKind(field);
    if (!kind) {
      refuse(`${field.name} (${field.schema?.custom ?? field.schema?.system ?? field.schema?.type ?? "no schema"}) cannot be written by a bulk edit.`);
      continue;
    }
    switch (kind) {
      case "text":
        if (typeof value === "string" && (value.trim() !== "" || field.custom)) add("singleLineTextFields", { fieldId, text: value });
        else if (value === null && field.custom) add("singleLineTextFields", { fieldId, text: "" });
        else refuse(field.custom ? `${field.name} takes a string, not ${JSON.stringify(value)}.` : `${field.name} cannot be cleared; it takes a non-empty string.`);
        break;
      case "richText":
        if (value === null) add("richTextFields", { fieldId, richText: {} });
        else if (isObject(value) && value.type === "doc") add("richTextFields", { fieldId, richText: { adfValue: value } });
        else refuse(`${field.name}: the bulk API takes rich text as an ADF document only, not ${typeof value === "string" ? "wiki markup or plain text" : JSON.stringify(value)}.`);
        break;
      case "labels":
        if (value === null || (Array.isArray(value) && value.length === 0)) add("labelsFields", { fieldId, bulkEditMultiSelectFieldOption: "REMOVE_ALL", labels: [] });
        else if (Array.isArray(value) && value.every((label) => typeof label === "string")) add("labelsFields", { fieldId, bulkEditMultiSelectFieldOption: "REPLACE", labels: (value as string[]).map((name) => ({ name })) });
        else refuse(`${field.name} takes a list of labels, not ${JSON.stringify(value)}.`);
        break;
      case "priority": {
        if (value === null) {
          refuse("Priority cannot be cleared by a bulk edit.");
          break;
        }
        const id = resolveId(fieldId, value, lookups, "priority");
        if (id.ok) add("priority", { priorityId: id.value });
        else refuse(`Priority: ${id.reason}`);
        break;
      }
      case "user":
        if (value === null) add("singleSelectClearableUserPickerFields", { fieldId, user: null });
        else if (isObject(value) && typeof value.accountId === "string") add("singleSelectClearableUserPickerFields", { fieldId, user: { accountId: value.accountId } });
        else refuse(`${field.name}: the bulk API names users by accountId only, not ${JSON.stringify(value)}.`);
        break;
      case "select": {
        if (value === null) {
          add("singleSelectFields", { fieldId, option: { optionId: -1 } });
          break;
        }
        const id = resolveId(fieldId, value, lookups, "option");
        const numeric = id.ok ? optionId(id.value) : id;
        if (numeric.ok) add("singleSelectFields", { fieldId, option: { optionId: numeric.value } });
        else refuse(`${field.name}: ${numeric.reason}`);
        break;
      }
      case "multiSelect": {
        if (value !== null && !Array.isArray(value)) {
          refuse(`${field.name} takes a list of options, not ${JSON.stringify(value)}.`);
          break;
        }
        const ids = resolveEach(fieldId, value ?? [], lookups, "option", optionId);
        if (ids.ok) add("multipleSelectFields", { fieldId, options: ids.value.map((id) => ({ optionId: id })) });
        else refuse(`${field.name}: ${ids.reason}`);
        break;
      }
      case "number":
        if (value === null || (typeof value === "number" && Number.isFinite(value))) add("clearableNumberFields", { fieldId, value: value as number | null });
        else refuse(`${field.name} takes a number, not ${JSON.stringify(value)}.`);
        break;
      case "date":
        if (value === null || value === "" || (typeof value === "string" && DATE.test(value))) add("datePickerFields", { fieldId, date: { formattedDate: (value as string | null) ?? "" } });
        else refuse(`${field.name} takes a yyyy-MM-dd date, not ${JSON.stringify(value)}.`);
        break;
      case "dateTime": {
        const time = typeof value === "string" ? jiraTime(value) : NaN;
        if (value === null || value === "") add("dateTimePickerFields", { fieldId, dateTime: { formattedDateTime: "" } });
        else if (!Number.isNaN(time)) add("dateTimePickerFields", { fieldId, dateTime: { formattedDateTime: new Date(time).toISOString() } });
        else refuse(`${field.name} takes an ISO date-time, not ${JSON.stringify(value)}.`);
        break;
      }
      case "url":
        if (value === null || typeof value === "string") add("urlFields", { fieldId, url: (value as string | null) ?? "" });
        else refuse(`${field.name} takes a URL string, not ${JSON.stringify(value)}.`);
        break;
      case "versions": {
        if (value !== null && !Array.isArray(value)) {
          refuse(`${field.name} takes a list of versions, not ${JSON.stringify(value)}.`);
          break;
        }
        const ids = resolveEach(fieldId, value ?? [], lookups, "version", ok);
        if (ids.ok) add("multipleVersionPickerFields", { fieldId, bulkEditMultiSelectFieldOption: ids.value.length ? "REPLACE" : "REMOVE_ALL", versions: ids.value.map((versionId) => ({ versionId })) });
        else refuse(`${field.name}: ${ids.reason}`);
        break;
      }
    }
  }
  if (selectedActions.length > BULK_EDIT_LIMITS.fields) {
    return { edit: null, refused: [...refused, ...selectedActions.map((field) => ({ field, reason: `a bulk edit can write at most ${BULK_EDIT_LIMITS.fields} fields.` }))] };
  }
  return { edit: selectedActions.length ? { selectedActions, editedFieldsInput: input } : null, refused };
}

/** BulkOperationProgress (GET /rest/api/3/bulk/queue/{taskId}); Jira sends the dates as epoch milliseconds. */
export interface JiraBulkOperationProgress {
  taskId: string;
  status: "ENQUEUED" | "RUNNING" | "COMPLETE" | "FAILED" | "CANCEL_REQUESTED" | "CANCELLED" | "DEAD" | string;
  progressPercent?: number;
  submittedBy?: { accountId?: string };
  created?: number | string;
  started?: number | string;
  updated?: number | string;
  totalIssueCount?: number;
  processedAccessibleIssues?: number[];
  failedAccessibleIssues?: Record<string, string[]>;
  invalidOrInaccessibleIssueCount?: number;
}

/** Statuses after which a task changes no more. */
export const BULK_TASK_FINISHED = new Set(["COMPLETE", "FAILED", "CANCELLED", "DEAD"]);

/** What a finished bulk edit did to each issue. */
export interface BulkEditOutcome {
  taskId: string;
  /** COMPLETE, or FAILED / CANCELLED / DEAD when the task stopped before the end. */
  status: string;
  /** Ids of the issues Jira edited. */
  succeeded: string[];
  /** Issues the identity can see that Jira did not edit, with Jira's reasons (no permission to edit, a refused value). */
  failed: { issueId: string; reasons: string[] }[];
  /** Issues Jira counted as missing or not visible to the identity (it does not say which). */
  invalidOrInaccessibleCount: number;
  /**
   * Requested issue ids in neither list: the missing or invisible ones, or those a task that did not complete never
   * reached. Requested keys cannot be told apart here, so request by id.
   */
  unaccounted: string[];
  totalIssueCount: number;
}

export function bulkEditOutcome(requested: string[], progress: JiraBulkOperationProgress): BulkEditOutcome {
  const succeeded = (progress.processedAccessibleIssues ?? []).map(String);
  const failed = Object.entries(progress.failedAccessibleIssues ?? {}).map(([issueId, reasons]) => ({ issueId, reasons: Array.isArray(reasons) ? reasons.map(String) : [String(reasons)] }));
  const known = new Set([...succeeded, ...failed.map((entry) => entry.issueId)]);
  return {
    taskId: progress.taskId,
    status: progress.status,
    succeeded,
    failed,
    invalidOrInaccessibleCount: progress.invalidOrInaccessibleIssueCount ?? 0,
    unaccounted: [...new Set(requested.filter((ref) => /^\d+$/.test(ref) && !known.has(ref)))],
    totalIssueCount: progress.totalIssueCount ?? requested.length,
  };
}
