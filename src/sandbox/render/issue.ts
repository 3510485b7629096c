// An issue as Jira's IssueBean: field selection (*all, *navigable, id, -exclusions), expands and properties.
import type { Issue } from "../model/types.ts";
import { allFields, findField } from "../fields/registry.ts";
import { toWiki } from "../content/index.ts";
import type { FieldDef } from "../fields/types.ts";
import { renderChangeItem, renderHistory } from "./changelog.ts";
import { renderCommentField, renderWorklogField } from "./comments.ts";
import { apiUrl, type RenderContext } from "./context.ts";
import { renderTransitions } from "./transitions.ts";

export type DefaultFields = "*all" | "*navigable" | "id";

export interface IssueRenderOptions {
  /** Field names as the client sent them (comma lists already split); empty = the endpoint's default. */
  fields: string[];
  defaultFields: DefaultFields;
  expand: string[];
  properties: string[];
  /** Most histories `expand=changelog` returns (Jira: 40 on search and bulk fetch); null = all. */
  changelogLimit?: number | null;
}

/** Pseudo-fields rendered from collections rather than from a FieldDef. */
const COLLECTION_FIELDS = ["comment", "worklog"] as const;

export function selectFields(ctx: RenderContext, requested: string[], fallback: DefaultFields): { defs: FieldDef[]; collections: string[] } {
  const names = requested.length ? requested : [fallback];
  const all = allFields(ctx.state);
  const chosen = new Set<FieldDef>();
  const collections = new Set<string>();
  const excluded = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === "" || name === "id" || name === "key") continue;
    if (name.startsWith("-")) {
      excluded.add(name.slice(1));
      continue;
    }
    if (name === "*all") {
      all.forEach((field) => chosen.add(field));
      COLLECTION_FIELDS.forEach((field) => collections.add(field));
    } else if (name === "*navigable") {
      all.filter((field) => field.inNavigable).forEach((field) => chosen.add(field));
    } else if ((COLLECTION_FIELDS as readonly string[]).includes(name)) {
      collections.add(name);
    } else {
      const field = findField(ctx.state, name);
      if (field) chosen.add(field);
    }
  }
  return {
    defs: [...chosen].filter((field) => !excluded.has(field.id) && !excluded.has(field.name)),
    collections: [...collections].filter((name) => !excluded.has(name)),
  };
}

export function renderIssue(ctx: RenderContext, issue: Issue, options: IssueRenderOptions) {
  const { defs, collections } = selectFields(ctx, options.fields, options.defaultFields);
  const fields: Record<string, unknown> = {};
  for (const field of defs) {
    const value = field.render(issue, ctx);
    if (value !== undefined) fields[field.id] = value;
  }
  if (collections.includes("comment")) fields.comment = renderCommentField(ctx, issue);
  if (collections.includes("worklog")) fields.worklog = renderWorklogField(ctx, issue);

  const expand = new Set(options.expand.map((item) => item.trim()));
  const bean: Record<string, unknown> = {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issue.id,
    self: apiUrl(ctx, `issue/${issue.id}`),
    key: issue.key,
  };
  if (expand.has("renderedFields")) bean.renderedFields = renderedFields(ctx, issue, defs);
  if (expand.has("names")) bean.names = Object.fromEntries(defs.map((field) => [field.id, field.name]));
  if (expand.has("schema")) bean.schema = Object.fromEntries(defs.filter((field) => field.schema).map((field) => [field.id, field.schema]));
  if (expand.has("transitions")) bean.transitions = renderTransitions(ctx, issue, false);
  if (expand.has("changelog")) {
    // expand=changelog is newest first, and search/bulk fetch cap it (Jira returns at most 40 there).
    const histories = [...issue.changelog].reverse();
    const limit = options.changelogLimit ?? null;
    const shown = limit === null ? histories : histories.slice(0, limit);
    bean.changelog = { startAt: 0, maxResults: shown.length, total: histories.length, histories: shown.map((entry) => renderHistory(ctx, entry)) };
  }
  if (options.properties.length) {
    bean.properties = Object.fromEntries(
      options.properties.filter((key) => key in issue.properties).map((key) => [key, issue.properties[key]]),
    );
  }
  if (Object.keys(fields).length || options.fields.length || options.defaultFields !== "id") bean.fields = fields;
  return bean;
}

function renderedFields(ctx: RenderContext, issue: Issue, defs: FieldDef[]) {
  const out: Record<string, unknown> = {};
  for (const field of defs) {
    if (field.id === "description") out.description = issue.description ? `<p>${escapeHtml(toWiki(issue.description))}</p>` : null;
    else out[field.id] = null;
  }
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[char]!);
}

export { renderChangeItem };
