// An item's fields as form controls (by the field's type) and back: what a person typed becomes the typed value
// the API takes, or a message naming the field and what it expects.
import { html } from "hono/html";
import type { Html } from "./layout.ts";

export interface FieldDef {
  key: string;
  name: string;
  type: string;
}

export const CORE: FieldDef[] = [
  { key: "title", name: "Title", type: "text" },
  { key: "description", name: "Description", type: "markdown" },
  { key: "status", name: "Status", type: "status" },
  { key: "assignee", name: "Assignee", type: "person" },
];

/** A field's name as the project shows it ("Last sync date"), from its key ("lastSyncDate"); the key when unknown. */
export function fieldName(project: { fields?: FieldDef[] } | null | undefined): (key: string) => string {
  const names = new Map<string, string>([...CORE, { key: "link", name: "Jira link", type: "link" }, ...(project?.fields ?? [])].map((field) => [field.key, field.name]));
  return (key) => names.get(key) ?? key;
}

/** The Tandem statuses a project's items can take: the standard three plus any its status mappings name. */
export function statusesOf(mappings: { transform: { kind: string; byStatus?: Record<string, string>; byCategory?: Record<string, string> } }[]): string[] {
  const statuses = new Set(["Not Started", "Started", "Completed"]);
  for (const mapping of mappings) {
    if (mapping.transform.kind !== "status") continue;
    for (const value of [...Object.values(mapping.transform.byStatus ?? {}), ...Object.values(mapping.transform.byCategory ?? {})]) statuses.add(value);
  }
  return [...statuses];
}

export function display(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A labelled control for one field; `id` must be unique on the page. */
export function fieldControl(field: FieldDef, value: unknown, id: string, statuses: string[]): Html {
  const name = `v.${field.key}`;
  const label = html`<label for="${id}">${field.name}</label>`;
  switch (field.type) {
    case "markdown":
      return html`<div class="wide">${label}<textarea id="${id}" name="${name}" rows="5" style="width:100%">${display(value)}</textarea></div>`;
    case "status": {
      const current = typeof value === "string" ? value : "";
      const options = current && !statuses.includes(current) ? [current, ...statuses] : statuses;
      return html`<div>${label}<select id="${id}" name="${name}">${current ? "" : html`<option value="">(none)</option>`}${options.map((status) => html`<option ${status === current ? "selected" : ""}>${status}</option>`)}</select></div>`;
    }
    case "boolean":
      return html`<div><input type="hidden" name="${name}" value="false"><label for="${id}"><input type="checkbox" id="${id}" name="${name}" value="true" ${value === true ? "checked" : ""}> ${field.name}</label></div>`;
    case "number":
    case "duration":
      return html`<div>${label}<input id="${id}" name="${name}" type="number" step="any" value="${display(value)}"></div>`;
    case "date":
      return html`<div>${label}<input id="${id}" name="${name}" type="date" value="${display(value)}"></div>`;
    case "url":
      return html`<div>${label}<input id="${id}" name="${name}" type="url" value="${display(value)}"></div>`;
    case "person":
      return html`<div>${label}<input id="${id}" name="${name}" type="email" value="${display(value)}" placeholder="name@example.com"></div>`;
    case "multiselect":
      return html`<div>${label}<input id="${id}" name="${name}" value="${display(value)}" aria-describedby="${id}-hint"><small id="${id}-hint" class="muted">Separate values with commas.</small></div>`;
    default:
      return html`<div>${label}<input id="${id}" name="${name}" value="${display(value)}" ${field.key === "title" ? "required" : ""}></div>`;
  }
}

/** Parses what was typed for a field: its typed value (null when emptied), or a problem naming the field. */
export function parseField(field: FieldDef, raw: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const text = raw.trim();
  if (field.type === "boolean") return { ok: true, value: text === "true" };
  if (text === "") return field.key === "title" ? { ok: false, problem: "Title cannot be empty." } : { ok: true, value: field.type === "multiselect" ? [] : null };
  switch (field.type) {
    case "number":
    case "duration": {
      const number = Number(text);
      return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, problem: `${field.name} takes a number; '${text}' is not one.` };
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { ok: true, value: text } : { ok: false, problem: `${field.name} takes a date like 2026-12-24.` };
    case "multiselect":
      return { ok: true, value: text.split(",").map((part) => part.trim()).filter(Boolean) };
    case "markdown":
      return { ok: true, value: raw.replace(/\r\n/g, "\n").trimEnd() };
    default:
      return { ok: true, value: text };
  }
}

/** The fields of a posted item form that changed, typed; or the problems found. */
export function changedValues(fields: FieldDef[], form: Record<string, string>, current: Record<string, unknown>): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const field of fields) {
    const raw = form[`v.${field.key}`];
    if (raw === undefined) continue;
    const parsed = parseField(field, raw);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const before = current[field.key] ?? (field.type === "multiselect" ? [] : field.type === "boolean" ? false : null);
    if (JSON.stringify(before) !== JSON.stringify(parsed.value)) values[field.key] = parsed.value;
  }
  return { values, problems };
}
