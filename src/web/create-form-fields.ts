// The controls of a "Create in Jira" form, one per field of Jira's create metadata (as the API describes them:
// required, type, allowed values, default), and what a person chose, turned back into the value Jira takes.
import { html } from "hono/html";
import type { Html } from "./layout.ts";

export interface FormField {
  fieldId: string;
  name: string;
  required: boolean;
  type: string;
  items: string | null;
  allowedValues: { id?: string; name?: string }[] | null;
  hasDefaultValue: boolean;
  defaultValue: unknown;
}

/** A control for one create-metadata field, named f.<fieldId>, with the default chosen or filled. */
export function control(field: FormField): Html {
  const id = `cf-${field.fieldId}`;
  const name = `f.${field.fieldId}`;
  const label = html`<label for="${id}">${field.name}${field.required ? html` <abbr title="required" aria-hidden="true">*</abbr><span class="muted"> (required)</span>` : ""}</label>`;
  const defaults = new Set((Array.isArray(field.defaultValue) ? field.defaultValue : field.defaultValue ? [field.defaultValue] : []).map((value: any) => String(value?.id ?? value?.value ?? value?.name ?? value)));
  if (field.allowedValues?.length) {
    const multiple = field.type === "array";
    return html`<div>${label}<select id="${id}" name="${name}" ${multiple ? "multiple" : ""} ${field.required && !field.hasDefaultValue ? "required" : ""}>${multiple ? "" : html`<option value="">${field.required ? "Choose…" : "(none)"}</option>`}
${field.allowedValues.map((value) => html`<option value="${value.id ?? value.name ?? ""}" ${defaults.has(String(value.id)) || defaults.has(String(value.name)) ? "selected" : ""}>${value.name ?? value.id}</option>`)}</select></div>`;
  }
  const initial = field.defaultValue === null || field.defaultValue === undefined || typeof field.defaultValue === "object" ? "" : String(field.defaultValue);
  const type = field.type === "number" ? "number" : field.type === "date" ? "date" : "text";
  const hint = field.type === "array" ? "Values separated by commas." : field.type === "user" ? "The person's account id." : "";
  return html`<div>${label}<input id="${id}" name="${name}" type="${type}" ${type === "number" ? 'step="any"' : ""} value="${initial}" ${field.required && !field.hasDefaultValue ? "required" : ""} ${hint ? html`aria-describedby="${id}-hint"` : ""}>${hint ? html`<small id="${id}-hint" class="muted">${hint}</small>` : ""}</div>`;
}

/** What was typed for a field, as Jira takes it; undefined when left empty. */
export function jiraValue(field: FormField, raw: string): unknown {
  const text = raw.trim();
  if (text === "") return undefined;
  if (field.allowedValues?.length) return field.type === "array" ? text.split(",").map((id) => ({ id })) : { id: text };
  if (field.type === "number") return Number(text);
  if (field.type === "array") return text.split(",").map((part) => part.trim()).filter(Boolean);
  if (field.type === "user") return { accountId: text };
  return text;
}
