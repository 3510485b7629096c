// Custom fields of every kind the sandbox has: text, rich text, number, date, date-time, URL, selects, users, sprints.
import type { CustomField, CustomFieldKind, Issue, RichText } from "../model/types.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "../render/context.ts";
import { renderUser, userRef } from "../render/objects.ts";
import { parseUserRef } from "./users.ts";
import { parseRichText, renderRichText, richTextEquals, richTextForChangelog } from "./rich-text.ts";
import { change, fail, ok, type FieldDef, type JsonTypeBean, type ParseResult } from "./types.ts";

const PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes";

const SCHEMAS: Record<CustomFieldKind, { type: string; items?: string; custom: string }> = {
  text: { type: "string", custom: `${PLUGIN}:textfield` },
  textarea: { type: "string", custom: `${PLUGIN}:textarea` },
  number: { type: "number", custom: `${PLUGIN}:float` },
  date: { type: "date", custom: `${PLUGIN}:datepicker` },
  datetime: { type: "datetime", custom: `${PLUGIN}:datetime` },
  url: { type: "string", custom: `${PLUGIN}:url` },
  select: { type: "option", custom: `${PLUGIN}:select` },
  radiobuttons: { type: "option", custom: `${PLUGIN}:radiobuttons` },
  multiselect: { type: "array", items: "option", custom: `${PLUGIN}:multiselect` },
  checkboxes: { type: "array", items: "option", custom: `${PLUGIN}:multicheckboxes` },
  userpicker: { type: "user", custom: `${PLUGIN}:userpicker` },
  storypoints: { type: "number", custom: "com.pyxis.greenhopper.jira:jsw-story-points" },
  labels: { type: "array", items: "string", custom: `${PLUGIN}:labels` },
  sprint: { type: "array", items: "json", custom: "com.pyxis.greenhopper.jira:gh-sprint" },
};

export function customFieldSchema(field: CustomField): JsonTypeBean {
  const base = SCHEMAS[field.kind];
  return { ...base, customId: field.numericId };
}

function renderOption(ctx: RenderContext, field: CustomField, optionId: string) {
  const option = field.options.find((candidate) => candidate.id === optionId);
  return {
    self: apiUrl(ctx, `customFieldOption/${optionId}`),
    value: option?.value ?? optionId,
    id: optionId,
  };
}

function parseOption(field: CustomField, value: unknown): ParseResult {
  if (value === null) return ok(null);
  if (typeof value !== "object" || Array.isArray(value)) return fail(`Specify a valid 'id' or 'name' for ${field.name}`);
  const input = value as { id?: unknown; value?: unknown };
  const option = field.options.find(
    (candidate) =>
      (input.id !== undefined && String(input.id) === candidate.id) ||
      (input.value !== undefined && String(input.value) === candidate.value),
  );
  if (!option || option.disabled) {
    const shown = input.value !== undefined ? String(input.value) : String(input.id);
    return fail(input.value !== undefined ? `Option value '${shown}' is not valid` : `Option id '${shown}' is not valid`);
  }
  return ok(option.id);
}

function optionName(field: CustomField, id: string): string {
  return field.options.find((option) => option.id === id)?.value ?? id;
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function renderValue(field: CustomField, raw: unknown, ctx: RenderContext): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.kind) {
    case "textarea":
      return renderRichText(raw as RichText, ctx);
    case "datetime":
      return jiraDateTime(raw as number);
    case "select":
    case "radiobuttons":
      return renderOption(ctx, field, raw as string);
    case "multiselect":
    case "checkboxes": {
      const ids = raw as string[];
      return ids.length ? ids.map((id) => renderOption(ctx, field, id)) : null;
    }
    case "userpicker": {
      const user = ctx.state.userByAccountId(raw as string);
      return user ? renderUser(ctx, user) : null;
    }
    case "labels":
      return raw as string[];
    case "sprint": {
      const ids = raw as number[];
      if (!ids.length) return null;
      return ids.map((id) => {
        const sprint = ctx.state.sprints.get(id)!;
        return {
          id: sprint.id,
          name: sprint.name,
          state: sprint.state,
          boardId: sprint.boardId,
          goal: sprint.goal,
          ...(sprint.startDate ? { startDate: sprint.startDate } : {}),
          ...(sprint.endDate ? { endDate: sprint.endDate } : {}),
          ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
        };
      });
    }
    default:
      return raw;
  }
}

function parseValue(field: CustomField, value: unknown, ctx: RenderContext): ParseResult {
  if (value === null) return ok(null);
  switch (field.kind) {
    case "text":
    case "url":
      if (typeof value !== "string") return fail("Operation value must be a string");
      if (field.kind === "text" && value.length > 255) return fail("The entered text is too long. It exceeds the allowed limit of 255 characters.");
      if (field.kind === "url" && value !== "" && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) return fail(`Not a valid URL`);
      return ok(value === "" ? null : value);
    case "textarea":
      return parseRichText(value, ctx);
    case "number":
    case "storypoints":
      if (typeof value !== "number" || !Number.isFinite(value)) return fail("Operation value must be a number");
      return ok(value);
    case "date":
      if (typeof value !== "string" || !isDate(value)) return fail(`Error parsing date string: ${String(value)}`);
      return ok(value);
    case "datetime": {
      const time = typeof value === "string" ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : NaN;
      if (Number.isNaN(time)) return fail(`Error parsing date string: ${String(value)}`);
      return ok(time);
    }
    case "select":
    case "radiobuttons":
      return parseOption(field, value);
    case "multiselect":
    case "checkboxes": {
      if (!Array.isArray(value)) return fail(`Specify a valid 'id' or 'name' for ${field.name}`);
      const ids: string[] = [];
      for (const item of value) {
        const parsed = parseOption(field, item);
        if (!parsed.ok) return parsed;
        if (parsed.value !== null && !ids.includes(parsed.value as string)) ids.push(parsed.value as string);
      }
      return ok(ids);
    }
    case "userpicker":
      return parseUserRef(value, ctx, field.name);
    case "labels":
      return parseLabelList(value);
    case "sprint": {
      const id = typeof value === "number" ? value : Number(value);
      if (!Number.isInteger(id) || !ctx.state.sprints.has(id)) return fail(`Sprint with id ${String(value)} does not exist.`);
      return ok([id]);
    }
  }
}

export function parseLabelList(value: unknown): ParseResult {
  if (!Array.isArray(value) || value.some((label) => typeof label !== "string")) return fail("Operation value must be a string array");
  for (const label of value as string[]) {
    if (/\s/.test(label)) return fail(`The label '${label}' contains spaces which is invalid.`);
    if (label.length > 255) return fail("The label is too long. It exceeds the allowed limit of 255 characters.");
  }
  return ok([...new Set(value as string[])]);
}

/** Raw and display strings of a custom value, as the changelog records them. */
function changelogStrings(field: CustomField, raw: unknown, ctx: RenderContext): [string | null, string | null] {
  if (raw === null || raw === undefined) return [null, null];
  switch (field.kind) {
    case "select":
    case "radiobuttons":
      return [raw as string, optionName(field, raw as string)];
    case "multiselect":
    case "checkboxes":
      return [(raw as string[]).join(", "), (raw as string[]).map((id) => optionName(field, id)).join(",")];
    case "userpicker": {
      const user = ctx.state.userByAccountId(raw as string);
      return [user ? userRef(ctx, user) : (raw as string), user?.displayName ?? null];
    }
    case "textarea":
      return [null, richTextForChangelog(raw as RichText)];
    case "datetime":
      return [jiraDateTime(raw as number), jiraDateTime(raw as number)];
    case "labels":
      return [null, (raw as string[]).join(" ")];
    case "sprint": {
      const ids = raw as number[];
      return [ids.join(", "), ids.map((id) => ctx.state.sprints.get(id)?.name ?? String(id)).join(", ")];
    }
    default:
      return [null, String(raw)];
  }
}

function sameValue(field: CustomField, a: unknown, b: unknown): boolean {
  if (field.kind === "textarea") return richTextEquals((a ?? null) as RichText | null, (b ?? null) as RichText | null);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function customFieldDef(field: CustomField): FieldDef {
  const isArray = ["multiselect", "checkboxes", "labels", "sprint"].includes(field.kind);
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    custom: true,
    schema: customFieldSchema(field),
    clauseNames: [`cf[${field.numericId}]`, field.name],
    navigable: true,
    orderable: true,
    searchable: true,
    inNavigable: true,
    operations: isArray ? ["add", "set", "remove"] : ["set"],
    render: (issue: Issue, ctx) => renderValue(field, issue.customFields[field.id] ?? null, ctx),
    parse: (value, ctx) => parseValue(field, value, ctx),
    apply: (issue, value, ctx) => {
      const before = issue.customFields[field.id] ?? null;
      const normalized = Array.isArray(value) && value.length === 0 ? null : value;
      if (sameValue(field, before, normalized)) return [];
      issue.customFields[field.id] = normalized as Issue["customFields"][string];
      const [from, fromString] = changelogStrings(field, before, ctx);
      const [to, toString] = changelogStrings(field, normalized, ctx);
      return [change(field.name, field.id, from, fromString, to, toString, "custom")];
    },
    addRemove: isArray
      ? (issue, op, value, ctx) => {
          const current = (issue.customFields[field.id] as unknown[] | null) ?? [];
          const parsed = parseValue(field, field.kind === "sprint" || field.kind === "labels" ? (field.kind === "labels" ? [value] : value) : [value], ctx);
          if (!parsed.ok) return parsed;
          const items = parsed.value as unknown[];
          if (op === "add") return ok([...current, ...items.filter((item) => !current.includes(item))]);
          return ok(current.filter((item) => !items.includes(item)));
        }
      : undefined,
    allowedValues: field.options.length
      ? (ctx) => field.options.filter((option) => !option.disabled).map((option) => renderOption(ctx, field, option.id))
      : undefined,
  };
}
