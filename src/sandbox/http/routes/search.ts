// Search: the enhanced JQL search with nextPageToken (Cloud), the approximate count, bulk fetch of issues and
// changelogs, and the legacy /search (removed on Cloud with 410; DC's startAt/total search).
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { isBounded, JqlError, parseJql, searchIssues } from "../../jql/index.ts";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Issue } from "../../model/types.ts";
import { renderHistory } from "../../render/changelog.ts";
import type { RenderContext } from "../../render/context.ts";
import { renderIssue } from "../../render/issue.ts";
import { intValue, listParam, listValue, readObject, renderContext, type SandboxContext, type SandboxEnv } from "../request.ts";

const LEGACY_SEARCH_REMOVED =
  "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

/** A search's matching ids, frozen at the first page so later pages are consistent (Jira's token does the same). */
interface SearchCursor {
  ids: string[];
  viewerId: string;
  jql: string;
  createdAt: number;
}

const TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;
const MAX_CURSORS = 2000;

interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults: number;
  fields: string[];
  expand: string[];
  properties: string[];
  reconcileIssues: string[];
}

export function searchRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const cursors = new Map<string, SearchCursor>();

  function runSearch(ctx: RenderContext, jql: string): Issue[] {
    try {
      return searchIssues(state, jql, { viewerId: ctx.viewerId, now: state.now() });
    } catch (error) {
      if (error instanceof JqlError) throw new JiraError(400, error.messages);
      throw error;
    }
  }

  function enhancedSearch(c: SandboxContext, params: SearchParams) {
    const ctx = renderContext(state, c);
    if (params.maxResults < 1 || params.maxResults > 5000) {
      throw new JiraError(400, [`The value '${params.maxResults}' for 'maxResults' is invalid: it must be between 1 and 5000.`]);
    }
    if (params.properties.length > 5) throw new JiraError(400, ["At most 5 issue properties can be requested."]);
    let cursor: SearchCursor;
    let offset = 0;
    if (params.nextPageToken) {
      const decoded = decodeToken(params.nextPageToken);
      const found = decoded ? cursors.get(decoded.id) : undefined;
      if (!decoded || !found || found.viewerId !== ctx.viewerId || found.jql !== params.jql || state.now() - found.createdAt > TOKEN_LIFETIME_MS) {
        throw new JiraError(400, ["The provided next page token is invalid or expired."]);
      }
      cursor = found;
      offset = decoded.offset;
    } else {
      let query;
      try {
        query = parseJql(params.jql);
      } catch (error) {
        if (error instanceof JqlError) throw new JiraError(400, error.messages);
        throw error;
      }
      if (!isBounded(query)) {
        throw new JiraError(400, ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]);
      }
      cursor = { ids: runSearch(ctx, params.jql).map((issue) => issue.id), viewerId: ctx.viewerId, jql: params.jql, createdAt: state.now() };
    }
    // Large pages only for id-only searches; with fields Jira hands back at most 100 per page.
    const onlyIds = params.fields.length === 0 || params.fields.every((field) => field === "id" || field === "key");
    const pageSize = onlyIds ? params.maxResults : Math.min(params.maxResults, 100);
    const pageIds = cursor.ids.slice(offset, offset + pageSize);
    const issues = pageIds.flatMap((id) => {
      const issue = state.issues.get(id);
      // An issue deleted or hidden since the first page drops out, as it would in Jira.
      return issue && state.canBrowse(ctx.viewerId, issue) ? [issue] : [];
    });
    const reconciled = params.reconcileIssues.flatMap((id) => {
      const issue = state.issues.get(id);
      return issue && !pageIds.includes(id) && state.canBrowse(ctx.viewerId, issue) && offset === 0 ? [issue] : [];
    });
    const isLast = offset + pageSize >= cursor.ids.length;
    let nextPageToken: string | undefined;
    if (!isLast) {
      const id = params.nextPageToken ? decodeToken(params.nextPageToken)!.id : storeCursor(cursors, cursor);
      nextPageToken = encodeToken(id, offset + pageSize);
    }
    const rendered = [...issues, ...reconciled].map((issue) =>
      renderIssue(ctx, issue, { fields: params.fields, defaultFields: "id", expand: params.expand, properties: params.properties, changelogLimit: state.quirks.changelogExpandLimit }),
    );
    return c.json({ issues: rendered, ...(nextPageToken ? { nextPageToken } : {}), isLast });
  }

  app.get("/search/jql", (c) => {
    requireCloud(state);
    return enhancedSearch(c, {
      jql: c.req.query("jql") ?? "",
      nextPageToken: c.req.query("nextPageToken"),
      maxResults: intValue(c.req.query("maxResults"), "maxResults", 50, Number.MIN_SAFE_INTEGER),
      fields: listParam(c, "fields"),
      expand: listParam(c, "expand"),
      properties: listParam(c, "properties"),
      reconcileIssues: listParam(c, "reconcileIssues"),
    });
  });

  app.post("/search/jql", async (c) => {
    requireCloud(state);
    const body = await readObject(c);
    const known = new Set(["jql", "nextPageToken", "maxResults", "fields", "expand", "properties", "fieldsByKeys", "failFast", "reconcileIssues"]);
    const unknown = Object.keys(body).filter((key) => !known.has(key));
    if (unknown.length) throw new JiraError(400, [`Unrecognized field "${unknown[0]}". Known fields: ${[...known].join(", ")}.`]);
    return enhancedSearch(c, {
      jql: typeof body.jql === "string" ? body.jql : "",
      nextPageToken: typeof body.nextPageToken === "string" ? body.nextPageToken : undefined,
      maxResults: intValue(body.maxResults, "maxResults", 50, Number.MIN_SAFE_INTEGER),
      fields: listValue(body.fields),
      expand: listValue(body.expand),
      properties: listValue(body.properties),
      reconcileIssues: listValue(body.reconcileIssues),
    });
  });

  app.post("/search/approximate-count", async (c) => {
    requireCloud(state);
    const body = await readObject(c);
    if (typeof body.jql !== "string") throw new JiraError(400, ["The 'jql' field is required."]);
    const ctx = renderContext(state, c);
    try {
      if (!isBounded(parseJql(body.jql))) throw new JiraError(400, ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]);
    } catch (error) {
      if (error instanceof JqlError) throw new JiraError(400, error.messages);
      throw error;
    }
    return c.json({ count: runSearch(ctx, body.jql).length });
  });

  // The legacy search: gone on Cloud, the search API on Data Center.
  const legacy = async (c: SandboxContext) => {
    if (state.flavour === "cloud") throw new JiraError(410, [LEGACY_SEARCH_REMOVED]);
    const ctx = renderContext(state, c);
    const body = c.req.method === "POST" ? await readObject(c) : null;
    const jql = String((body ? body.jql : c.req.query("jql")) ?? "");
    const startAt = intValue(body ? body.startAt : c.req.query("startAt"), "startAt", 0);
    const requested = intValue(body ? body.maxResults : c.req.query("maxResults"), "maxResults", 50);
    const maxResults = Math.min(requested, 1000);
    const fields = body ? listValue(body.fields) : listParam(c, "fields");
    const expand = body ? listValue(body.expand) : listParam(c, "expand");
    const matches = runSearch(ctx, jql);
    const issues = matches.slice(startAt, startAt + maxResults).map((issue) =>
      renderIssue(ctx, issue, { fields, defaultFields: "*navigable", expand, properties: [], changelogLimit: null }),
    );
    return c.json({ expand: "schema,names", startAt, maxResults, total: matches.length, issues });
  };
  app.get("/search", legacy);
  app.post("/search", legacy);

  app.post("/issue/bulkfetch", async (c) => {
    requireCloud(state);
    const ctx = renderContext(state, c);
    const body = await readObject(c);
    const refs = listValue(body.issueIdsOrKeys);
    if (refs.length === 0) throw new JiraError(400, ["issueIdsOrKeys must list at least one issue id or key."]);
    if (refs.length > 100) throw new JiraError(400, ["Too many issue ids or keys: at most 100 may be requested at once."]);
    const properties = listValue(body.properties);
    if (properties.length > 5) throw new JiraError(400, ["At most 5 issue properties can be requested."]);
    const found = new Map<string, Issue>();
    for (const ref of refs) {
      const issue = state.issueByIdOrKey(ref);
      // Not found or not visible: silently left out.
      if (issue && state.canBrowse(ctx.viewerId, issue)) found.set(issue.id, issue);
    }
    const issues = [...found.values()].sort((a, b) => Number(a.id) - Number(b.id)).map((issue) =>
      renderIssue(ctx, issue, { fields: listValue(body.fields), defaultFields: "*navigable", expand: listValue(body.expand), properties, changelogLimit: state.quirks.changelogExpandLimit }),
    );
    return c.json({ issues, issueErrors: [] });
  });

  app.post("/changelog/bulkfetch", async (c) => {
    requireCloud(state);
    const ctx = renderContext(state, c);
    const body = await readObject(c);
    const refs = listValue(body.issueIdsOrKeys);
    if (refs.length === 0 || refs.length > 1000) throw new JiraError(400, ["issueIdsOrKeys must list between 1 and 1000 issue ids or keys."]);
    const fieldIds = listValue(body.fieldIds);
    if (fieldIds.length > 10) throw new JiraError(400, ["fieldIds may list at most 10 fields."]);
    const maxResults = intValue(body.maxResults, "maxResults", 1000, 1);
    if (maxResults > 10000) throw new JiraError(400, ["maxResults must be between 1 and 10000."]);
    const offset = typeof body.nextPageToken === "string" ? decodeToken(body.nextPageToken)?.offset ?? -1 : 0;
    if (offset < 0) throw new JiraError(400, ["The provided next page token is invalid or expired."]);
    // Oldest first across all issues, then by issue id; each entry filtered to the asked fields.
    const entries: { issueId: string; entry: Issue["changelog"][number] }[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const issue = state.issueByIdOrKey(ref);
      if (!issue || seen.has(issue.id) || !state.canBrowse(ctx.viewerId, issue)) continue;
      seen.add(issue.id);
      for (const entry of issue.changelog) {
        const items = fieldIds.length ? entry.items.filter((item) => fieldIds.includes(item.fieldId)) : entry.items;
        if (items.length) entries.push({ issueId: issue.id, entry: { ...entry, items } });
      }
    }
    entries.sort((a, b) => a.entry.created - b.entry.created || Number(a.issueId) - Number(b.issueId));
    const page = entries.slice(offset, offset + maxResults);
    const grouped = new Map<string, unknown[]>();
    for (const { issueId, entry } of page) grouped.set(issueId, [...(grouped.get(issueId) ?? []), renderHistory(ctx, entry)]);
    const more = offset + maxResults < entries.length;
    return c.json({
      issueChangeLogs: [...grouped.entries()].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
      ...(more ? { nextPageToken: encodeToken("changelog", offset + maxResults) } : {}),
    });
  });

  return app;
}

function requireCloud(state: SandboxState) {
  // Data Center has none of these endpoints.
  if (state.flavour !== "cloud") throw new JiraError(404, ["null for uri: the resource does not exist on Jira Data Center"]);
}

function storeCursor(cursors: Map<string, SearchCursor>, cursor: SearchCursor): string {
  const id = randomBytes(9).toString("base64url");
  cursors.set(id, cursor);
  // Oldest cursors go first when the sandbox has handed out many.
  while (cursors.size > MAX_CURSORS) cursors.delete(cursors.keys().next().value!);
  return id;
}

function encodeToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ c: id, o: offset })).toString("base64url");
}

function decodeToken(token: string): { id: string; offset: number } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { c?: unknown; o?: unknown };
    if (typeof parsed.c !== "string" || typeof parsed.o !== "number" || !Number.isInteger(parsed.o) || parsed.o < 0) return null;
    return { id: parsed.c, offset: parsed.o };
  } catch {
    return null;
  }
}
