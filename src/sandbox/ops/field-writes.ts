// Validating and applying the `fields` and `update` parts of create, edit and transition requests.
import { fieldById } from "../fields/registry.ts";
import type { FieldDef } from "../fields/types.ts";
import { JiraError } from "../model/jira-error.ts";
import type { ChangeItem, ChangelogEntry, Issue } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";

export interface FieldWrites {
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
}

/** Side operations carried in `update` that are not field values. */
export interface SideWrites {
  comments: unknown[];
  worklogs: unknown[];
}

export interface PlannedWrites {
  values: Map<FieldDef, unknown>;
  side: SideWrites;
}

const NOT_SETTABLE = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

/**
 * Parses every write first and refuses the whole request when any field is wrong, as Jira does:
 * 400 with one message per field, and nothing applied.
 */
export function planWrites(
  ctx: RenderContext,
  issue: Issue | null,
  input: FieldWrites,
  options: { settable?: (field: FieldDef) => boolean; ignore?: string[] } = {},
): PlannedWrites {
  const errors: Record<string, string> = {};
  const values = new Map<FieldDef, unknown>();
  const side: SideWrites = { comments: [], worklogs: [] };
  const ignore = new Set(options.ignore ?? []);
  const settable = options.settable ?? (() => true);

  if (input.fields !== undefined && (typeof input.fields !== "object" || input.fields === null || Array.isArray(input.fields))) {
    throw new JiraError(400, ["Can not deserialize instance of java.util.LinkedHashMap out of START_ARRAY token"]);
  }
  for (const [id, raw] of Object.entries(input.fields ?? {})) {
    if (ignore.has(id)) continue;
    const field = fieldById(ctx.state, id);
    if (!field || !field.parse || !field.apply || !settable(field)) {
      errors[id] = NOT_SETTABLE(id);
      continue;
    }
    const parsed = field.parse(raw, ctx, issue);
    if (parsed.ok) values.set(field, parsed.value);
    else errors[id] = parsed.error;
  }

  for (const [id, rawOps] of Object.entries(input.update ?? {})) {
    if (!Array.isArray(rawOps)) {
      errors[id] = "Operations must be an array";
      continue;
    }
    if (id === "comment" || id === "worklog") {
      for (const op of rawOps as Record<string, unknown>[]) {
        if (op && typeof op === "object" && "add" in op) (id === "comment" ? side.comments : side.worklogs).push(op.add);
        else errors[id] = `Only 'add' is supported for ${id} in update`;
      }
      continue;
    }
    if (input.fields && id in input.fields) {
      errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    const field = fieldById(ctx.state, id);
    if (!field || !field.parse || !field.apply || !settable(field)) {
      errors[id] = NOT_SETTABLE(id);
      continue;
    }
    for (const op of rawOps as Record<string, unknown>[]) {
      const [verb, value] = Object.entries(op ?? {})[0] ?? [];
      let parsed;
      if (verb === "set" || verb === "edit") parsed = field.parse(value, ctx, issue);
      else if ((verb === "add" || verb === "remove") && field.addRemove && issue) {
        const current = values.has(field) ? withValue(issue, field, values.get(field), ctx) : issue;
        parsed = field.addRemove(current, verb, value, ctx);
      } else if ((verb === "add" || verb === "remove") && field.addRemove) {
        parsed = field.parse(verb === "add" ? [value] : [], ctx, issue);
      } else {
        errors[id] = `Field '${id}' does not support operation '${String(verb)}' Supported operation(s) are: '${field.operations.join(",")}'`;
        break;
      }
      if (!parsed.ok) {
        errors[id] = parsed.error;
        break;
      }
      values.set(field, parsed.value);
    }
  }

  if (Object.keys(errors).length) throw new JiraError(400, [], errors);
  return { values, side };
}

/** A shallow copy of the issue with one field applied, so chained add/remove operations see each other. */
function withValue(issue: Issue, field: FieldDef, value: unknown, ctx: RenderContext): Issue {
  const copy: Issue = { ...issue, customFields: { ...issue.customFields }, labels: [...issue.labels] };
  field.apply!(copy, value, ctx);
  return copy;
}

export function applyWrites(ctx: RenderContext, issue: Issue, planned: PlannedWrites): ChangeItem[] {
  const items: ChangeItem[] = [];
  for (const [field, value] of planned.values) items.push(...field.apply!(issue, value, ctx));
  return items;
}

/**
 * Records a change in the issue's changelog and bumps `updated` (a fix version alone does not, as in Jira).
 * Returns the entry, or null when nothing changed.
 */
export function recordChange(ctx: RenderContext, issue: Issue, items: ChangeItem[]): ChangelogEntry | null {
  if (items.length === 0) return null;
  const now = ctx.state.now();
  const entry: ChangelogEntry = { id: String(ctx.state.nextId("changelog")), authorId: ctx.viewerId, created: now, items };
  issue.changelog.push(entry);
  const onlyFixVersions = items.every((item) => item.fieldId === "fixVersions");
  if (!(onlyFixVersions && ctx.state.quirks.fixVersionSkipsUpdated)) issue.updated = now;
  return entry;
}

/** Jira's issue_event_type_name for an update, from what changed. */
export function eventTypeFor(items: ChangeItem[]): string {
  const ids = new Set(items.map((item) => item.fieldId));
  if (ids.has("status")) {
    const resolution = items.find((item) => item.fieldId === "resolution");
    if (resolution?.to) return "issue_resolved";
    if (resolution && !resolution.to) return "issue_reopened";
    return "issue_generic";
  }
  if (ids.size === 1 && ids.has("assignee")) return "issue_assigned";
  return "issue_updated";
}
