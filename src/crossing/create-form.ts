// The create form of a Jira issue type, from Jira's create metadata: each field with its name, type, whether it is
// required, its allowed values and default, and how rich text is written, so the web app and the CLI can fill it.
// Reads both the paged createmeta answers (Cloud and DC 9+) and the older expanded `projects[].issuetypes[].fields`.
import type { JiraFieldMeta } from "../jira/types.ts";

export interface FormValue {
  id: string | null;
  name: string;
}

export interface FormField {
  fieldId: string;
  name: string;
  required: boolean;
  /** Jira's schema type: string, number, date, datetime, option, array, user, priority, issuelink... */
  type: string;
  /** For arrays: the type of each element. */
  items: string | null;
  /** For custom fields: the plugin type (…:select, …:textarea, …:gh-epic-label). */
  custom: string | null;
  /** Rich text is written as ADF on Cloud and wiki markup on Data Center. */
  richText: boolean;
  allowedValues: FormValue[] | null;
  hasDefaultValue: boolean;
  defaultValue: FormValue | null;
}

export interface CreateMetaIssueType {
  id: string;
  name: string;
  subtask: boolean;
  fields: JiraFieldMeta[];
}

export interface CreateMetaProject {
  id: string;
  key: string;
  name: string;
  issueTypes: CreateMetaIssueType[];
}

const RICH_TEXT_SYSTEM = new Set(["description", "environment"]);

/** An allowed value or default as the form shows it: options have `value`, most other objects `name`. */
function formValue(raw: unknown): FormValue | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== "object") return { id: null, name: String(raw) };
  const value = raw as { id?: unknown; name?: unknown; value?: unknown; key?: unknown; displayName?: unknown; label?: unknown };
  const name = value.name ?? value.value ?? value.displayName ?? value.label ?? value.key ?? value.id;
  return { id: value.id === undefined ? null : String(value.id), name: String(name ?? "") };
}

export function describeField(fieldId: string, meta: JiraFieldMeta): FormField {
  const custom = meta.schema?.custom ?? null;
  return {
    fieldId,
    name: meta.name,
    required: meta.required,
    type: meta.schema?.type ?? "unknown",
    items: meta.schema?.items ?? null,
    custom,
    richText: RICH_TEXT_SYSTEM.has(fieldId) || Boolean(custom?.endsWith(":textarea")),
    allowedValues: Array.isArray(meta.allowedValues) ? meta.allowedValues.map(formValue).filter((value): value is FormValue => value !== null) : null,
    hasDefaultValue: meta.hasDefaultValue ?? false,
    defaultValue: formValue(meta.defaultValue),
  };
}

/** The form of one issue type: required fields first, then the others, each in Jira's order. */
export function describeCreateForm(fields: JiraFieldMeta[]): FormField[] {
  const described = fields.map((meta) => describeField(meta.fieldId ?? meta.key ?? meta.name, meta));
  return [...described.filter((field) => field.required), ...described.filter((field) => !field.required)];
}

/** Fields the person must fill: required, with no default, and not set by Tandem itself (project, type, summary). */
export function fieldsToFill(form: FormField[]): FormField[] {
  const setByTandem = new Set(["project", "issuetype", "summary"]);
  return form.filter((field) => field.required && !field.hasDefaultValue && !setByTandem.has(field.fieldId));
}

/** The older createmeta answer (`?expand=projects.issuetypes.fields`), still what Server and many recordings hold. */
export function parseExpandedCreateMeta(json: unknown): CreateMetaProject[] {
  const projects = (json as { projects?: unknown }).projects;
  if (!Array.isArray(projects)) throw new Error("Not create metadata: there is no 'projects' list.");
  return projects.map((project: { id: string; key: string; name: string; issuetypes?: { id: string; name: string; subtask?: boolean; fields?: Record<string, JiraFieldMeta> }[] }) => {
    if (!Array.isArray(project.issuetypes)) throw new Error(`Project ${project.key} has no 'issuetypes' (ask with expand=projects.issuetypes.fields).`);
    return {
      id: String(project.id),
      key: project.key,
      name: project.name,
      issueTypes: project.issuetypes.map((type) => ({
        id: String(type.id),
        name: type.name,
        subtask: Boolean(type.subtask),
        fields: Object.entries(type.fields ?? {}).map(([fieldId, meta]) => ({ ...meta, fieldId: meta.fieldId ?? fieldId })),
      })),
    };
  });
}

/** The project picker's answer (projects, and the issue types of each) as Jira's create dialog asks for it. */
export function parseProjectIssueTypes(json: unknown): { key: string; name: string; issueTypes: FormValue[] }[] {
  const { projects, issues_per_project: perProject } = json as { projects?: { value: string; label: string }[]; issues_per_project?: Record<string, { value: string; label: string }[]> };
  if (!Array.isArray(projects) || typeof perProject !== "object" || perProject === null) throw new Error("Not project metadata: expected 'projects' and 'issues_per_project'.");
  return projects.map((project) => ({ key: project.value, name: project.label, issueTypes: (perProject[project.value] ?? []).map((type) => ({ id: type.value, name: type.label })) }));
}
