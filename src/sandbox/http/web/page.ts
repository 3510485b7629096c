// A small Jira-like web page: projects and issues at `/`, an issue at `/browse/KEY` where a person edits the
// summary and fields, comments and transitions — so a demo can show a change made "in Jira".
import { Hono, type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Issue, SandboxUser } from "../../model/types.ts";
import { toWiki } from "../../content/index.ts";
import { addComment } from "../../ops/comments.ts";
import { editIssue, transitionIssue } from "../../ops/issues.ts";
import type { RenderContext } from "../../render/context.ts";
import { availableTransitions } from "../../render/transitions.ts";
import { searchIssues, JqlError } from "../../jql/index.ts";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `body{font:14px system-ui,sans-serif;margin:0;color:#172b4d}header{background:#0052cc;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header a{color:#fff}main{padding:20px;max-width:1100px}table{border-collapse:collapse;width:100%;margin-bottom:24px}td,th{border-bottom:1px solid #dfe1e6;padding:6px;text-align:left}
.lozenge{border-radius:3px;padding:1px 6px;font-size:12px;font-weight:600;background:#dfe1e6}.done{background:#e3fcef;color:#006644}.indeterminate{background:#deebff;color:#0747a6}
.error{background:#ffebe6;border:1px solid #de350b;padding:8px;margin-bottom:12px}form.inline{display:inline}label{display:block;margin-top:8px;font-weight:600}
input[type=text],textarea,select{width:100%;max-width:600px;padding:4px}.comment{border-left:3px solid #dfe1e6;padding:4px 10px;margin:8px 0}`;

export function webPageRoutes(state: SandboxState): Hono {
  const app = new Hono();

  const actingUser = (cookie: string | undefined): SandboxUser => {
    const chosen = cookie ? state.findUser(cookie) : undefined;
    return chosen ?? [...state.users.values()].find((user) => user.admin) ?? [...state.users.values()][0]!;
  };
  const ctxFor = (user: SandboxUser, origin: string): RenderContext => ({ state, baseUrl: origin, apiVersion: "2", viewerId: user.accountId });

  const layout = (user: SandboxUser, title: string, body: Html) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} — Sandbox Jira</title><link rel="icon" href="data:,"><style>${raw(STYLE)}</style></head>
<body><header><strong><a href="/">Sandbox Jira</a></strong><span>${state.flavour === "cloud" ? "Cloud" : "Data Center"}</span>
<form method="get" action="/as" class="inline">Acting as <select name="user" onchange="this.form.submit()" aria-label="Acting user">
${[...state.users.values()].map((candidate) => html`<option value="${candidate.accountId}" ${candidate.accountId === user.accountId ? "selected" : ""}>${candidate.displayName}</option>`)}
</select></form></header><main>${body}</main></body></html>`;

  app.get("/as", (c) => {
    const user = state.findUser(c.req.query("user") ?? "");
    if (user) setCookie(c, "sandbox_as", user.accountId, { path: "/", httpOnly: true, sameSite: "Lax" });
    return c.redirect(c.req.header("referer") ?? "/", 303);
  });

  app.get("/", (c) => {
    const user = actingUser(getCookie(c, "sandbox_as"));
    const jql = c.req.query("jql") ?? "";
    let error = "";
    let found: Issue[] | null = null;
    if (jql.trim()) {
      try {
        found = searchIssues(state, jql, { viewerId: user.accountId, now: Number.MAX_SAFE_INTEGER });
      } catch (caught) {
        error = caught instanceof JqlError ? caught.messages.join(" ") : String(caught);
      }
    }
    const projects = [...state.projects.values()].filter((project) => state.hasPermission(user.accountId, project, "BROWSE_PROJECTS"));
    const table = (issues: Issue[]) => html`<table><thead><tr><th>Key</th><th>Type</th><th>Summary</th><th>Status</th><th>Assignee</th><th>Updated</th></tr></thead><tbody>
${issues.map((issue) => {
      const status = state.statuses.get(issue.statusId)!;
      return html`<tr><td><a href="/browse/${issue.key}">${issue.key}</a></td><td>${state.issueTypeOf(issue).name}</td><td>${issue.summary}</td>
<td><span class="lozenge ${status.category}">${status.name}</span></td><td>${issue.assigneeId ? state.userByAccountId(issue.assigneeId)?.displayName : "Unassigned"}</td>
<td>${new Date(issue.updated).toISOString().slice(0, 16).replace("T", " ")}</td></tr>`;
    })}</tbody></table>`;
    const limit = 50;
    const body = html`<form method="get" action="/"><label for="jql">Search with JQL</label><input type="text" id="jql" name="jql" value="${jql}" placeholder="project = ROAD AND status != Done"> <button>Search</button></form>
${error ? html`<div class="error" role="alert">${error}</div>` : ""}
${found ? html`<h2>${found.length} issue(s)</h2>${table(found.slice(0, 200))}` : projects.map((project) => {
      const issues = [...state.issues.values()].filter((issue) => issue.projectId === project.id).sort((a, b) => Number(b.id) - Number(a.id));
      return html`<h2>${project.name} (${project.key})</h2><p>${project.description} — ${issues.length} issue(s)${issues.length > limit ? html`, newest ${limit} shown; <a href="/?jql=${encodeURIComponent(`project = ${project.key}`)}">search for more</a>` : ""}</p>${table(issues.slice(0, limit))}`;
    })}`;
    return c.html(layout(user, "Projects", body));
  });

  const issuePage = (c: Context, user: SandboxUser, issue: Issue, error = "") => {
    const ctx = ctxFor(user, new URL(c.req.url).origin);
    const status = state.statuses.get(issue.statusId)!;
    const project = state.projectOf(issue);
    const transitions = availableTransitions(ctx, issue);
    const priorities = [...state.priorities.values()];
    const assignable = [...state.users.values()].filter((candidate) => state.hasPermission(candidate.accountId, project, "BROWSE_PROJECTS"));
    const body = html`<p><a href="/">Projects</a> / ${project.name} / ${issue.key}</p>
<h1>${issue.key}: ${issue.summary}</h1>
${error ? html`<div class="error" role="alert">${error}</div>` : ""}
<p><span class="lozenge ${status.category}">${status.name}</span> ${state.issueTypeOf(issue).name}
${transitions.map((transition) => html` <form method="post" action="/browse/${issue.key}/transition" class="inline"><input type="hidden" name="transition" value="${transition.id}"><button>${transition.name}</button></form>`)}</p>
<form method="post" action="/browse/${issue.key}/edit">
<label for="summary">Summary</label><input type="text" id="summary" name="summary" value="${issue.summary}">
<label for="description">Description (wiki markup)</label><textarea id="description" name="description" rows="6">${issue.description ? toWiki(issue.description) : ""}</textarea>
<label for="priority">Priority</label><select id="priority" name="priority">${priorities.map((priority) => html`<option value="${priority.id}" ${priority.id === issue.priorityId ? "selected" : ""}>${priority.name}</option>`)}</select>
<label for="assignee">Assignee</label><select id="assignee" name="assignee"><option value="">Unassigned</option>${assignable.map((candidate) => html`<option value="${candidate.accountId}" ${candidate.accountId === issue.assigneeId ? "selected" : ""}>${candidate.displayName}</option>`)}</select>
<label for="labels">Labels (space separated)</label><input type="text" id="labels" name="labels" value="${issue.labels.join(" ")}">
<p><button>Save</button></p></form>
<h2>Comments</h2>
${issue.comments.map((comment) => html`<div class="comment"><strong>${state.userByAccountId(comment.authorId)?.displayName}</strong> ${new Date(comment.created).toISOString().slice(0, 16).replace("T", " ")}<pre>${toWiki(comment.body)}</pre></div>`)}
<form method="post" action="/browse/${issue.key}/comment"><label for="comment">Add a comment</label><textarea id="comment" name="body" rows="3"></textarea><p><button>Comment</button></p></form>`;
    return c.html(layout(user, issue.key, body), error ? 400 : 200);
  };

  const findIssue = (user: SandboxUser, key: string) => {
    const issue = state.issueByIdOrKey(key);
    return issue && state.canBrowse(user.accountId, issue) ? issue : undefined;
  };
  const act = async (c: Context, action: (ctx: RenderContext, issue: Issue, form: Record<string, string>) => void) => {
    const user = actingUser(getCookie(c, "sandbox_as"));
    const issue = findIssue(user, c.req.param("key") ?? "");
    if (!issue) return c.html(layout(user, "Not found", html`<div class="error" role="alert">Issue does not exist or you do not have permission to see it.</div>`), 404);
    const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([key, value]) => [key, String(value)]));
    try {
      action(ctxFor(user, new URL(c.req.url).origin), issue, form);
    } catch (error) {
      if (!(error instanceof JiraError)) throw error;
      return issuePage(c, user, issue, [...error.errorMessages, ...Object.entries(error.errors).map(([field, message]) => `${field}: ${message}`)].join(" "));
    }
    return c.redirect(`/browse/${issue.key}`, 303);
  };

  app.get("/browse/:key", (c) => {
    const user = actingUser(getCookie(c, "sandbox_as"));
    const issue = findIssue(user, c.req.param("key"));
    if (!issue) return c.html(layout(user, "Not found", html`<div class="error" role="alert">Issue does not exist or you do not have permission to see it.</div>`), 404);
    return issuePage(c, user, issue);
  });
  app.post("/browse/:key/edit", (c) =>
    act(c, (ctx, issue, form) => {
      const fields: Record<string, unknown> = {
        summary: form.summary ?? issue.summary,
        description: form.description?.trim() ? form.description : null,
        priority: form.priority ? { id: form.priority } : undefined,
        labels: (form.labels ?? "").split(/\s+/).filter(Boolean),
      };
      const assignee = form.assignee ? state.userByAccountId(form.assignee) : null;
      fields.assignee = assignee ? (state.flavour === "cloud" ? { accountId: assignee.accountId } : { name: assignee.name }) : null;
      editIssue(ctx, issue, { fields: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) });
    }));
  app.post("/browse/:key/comment", (c) => act(c, (ctx, issue, form) => void addComment(ctx, issue, { body: form.body ?? "" })));
  app.post("/browse/:key/transition", (c) => act(c, (ctx, issue, form) => transitionIssue(ctx, issue, { transition: { id: form.transition } })));

  return app;
}
