// A field of the sandbox Jira: how it is described (/field), rendered, parsed on write and recorded in the changelog.
import type { RenderContext } from "../render/context.ts";
import type { ChangeItem, Issue } from "../model/types.ts";

export interface JsonTypeBean {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface FieldDef {
  id: string;
  key: string;
  name: string;
  custom: boolean;
  schema: JsonTypeBean | null;
  clauseNames: string[];
  navigable: boolean;
  orderable: boolean;
  searchable: boolean;
  /** Part of `*navigable` (the default field set of bulk fetch and legacy search). */
  inNavigable: boolean;
  render(issue: Issue, ctx: RenderContext): unknown;
  /** Parses a REST input value (the `fields` form, or the value of a `set` operation). Absent = not settable. */
  parse?: (value: unknown, ctx: RenderContext, issue: Issue | null) => ParseResult;
  /** Stores a parsed value; returns the changelog items it caused (empty when nothing changed). */
  apply?: (issue: Issue, value: unknown, ctx: RenderContext) => ChangeItem[];
  /** `add`/`remove` operations for array fields: returns the new parsed value. */
  addRemove?: (issue: Issue, op: "add" | "remove", value: unknown, ctx: RenderContext) => ParseResult;
  /** Operations Jira lists for the field in create/edit metadata. */
  operations: string[];
  /** Allowed values for create/edit metadata. */
  allowedValues?: (ctx: RenderContext, projectId: string) => unknown[];
}

export function ok(value: unknown): ParseResult {
  return { ok: true, value };
}

export function fail(error: string): ParseResult {
  return { ok: false, error };
}

/** A changelog item; DC's REST and webhook changelogs carry no fieldId, which the renderer drops there. */
export function change(
  field: string,
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toString: string | null,
  fieldtype: "jira" | "custom" = "jira",
): ChangeItem {
  return { field, fieldtype, fieldId, from, fromString, to, toString };
}
