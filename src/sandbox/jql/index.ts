// The sandbox's JQL: parse, validate against the site, evaluate for a viewer, order.
import type { SandboxState } from "../model/state.ts";
import type { Issue } from "../model/types.ts";
import { compile } from "./evaluate.ts";
import type { EvalContext } from "./fields.ts";
import { sortIssues } from "./order.ts";
import { isBounded, parseJql, type JqlQuery } from "./parser.ts";

export { JqlError } from "./errors.ts";
export { parseJql, isBounded, type JqlQuery };

export interface SearchOptions {
  /** Account id of the caller: results are what they may browse; dates read in their time zone. null = no restriction. */
  viewerId: string | null;
  now?: number;
}

function evalContext(state: SandboxState, viewerId: string | null, now: number): EvalContext {
  const viewer = viewerId ? (state.userByAccountId(viewerId) ?? null) : null;
  return { state, viewer, now, timeZone: viewer?.timeZone ?? state.site.defaultTimeZone };
}

/** Issues matching the JQL that the viewer may browse and the search index already holds, in ORDER BY order. */
export function searchIssues(state: SandboxState, jql: string, options: SearchOptions): Issue[] {
  const now = options.now ?? state.now();
  const query = parseJql(jql);
  const ctx = evalContext(state, options.viewerId, now);
  const matches = query.where ? compile(query.where, ctx) : () => true;
  const found: Issue[] = [];
  for (const issue of state.issues.values()) {
    if (issue.indexedAt > now) continue;
    if (options.viewerId !== null && !state.canBrowse(options.viewerId, issue)) continue;
    if (matches(issue)) found.push(issue);
  }
  return sortIssues(state, found, query.orderBy);
}

/** Whether one issue matches a webhook's JQL filter (no permission or index checks; false when the JQL is invalid). */
export function issueMatchesJql(state: SandboxState, jql: string, issue: Issue): boolean {
  if (jql.trim() === "") return true;
  try {
    const query = parseJql(jql);
    return query.where ? compile(query.where, evalContext(state, null, state.now()))(issue) : true;
  } catch {
    return false;
  }
}
