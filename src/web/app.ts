// The web app: sign-in, projects (Jira panel, items with their Jira keys, Pull and Push with dry run) and run
// history here; connectors, mappings and real time in their own modules. Every action goes through the HTTP API in-process with the
// person's session, so the API's validation and role checks apply exactly as for any client.
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import { SESSION_COOKIE } from "../api/auth.ts";
import { connectorPages } from "./connectors.ts";
import { flash, jiraIssueUrl, page, when, type Html } from "./layout.ts";
import { reportsWeb } from "./reports.ts";
import { mappingPages } from "./mappings.ts";
import { liveUpdates, realtimePages } from "./realtime.ts";
import { PRESET_CHOICES } from "./mappings.ts";
import { createInJiraPages } from "./create-in-jira.ts";
import { historyPages, liveRuns } from "./history.ts";
import { importPages } from "./import.ts";
import { projectsFromJiraPages } from "./projects-from-jira.ts";
import { itemPages } from "./items.ts";
import { startHere } from "./start-here.ts";

interface Fetcher {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}

type Me = { email: string; role: string };

type WebEnv = { Variables: { me: Me } };

export interface WebOptions {
  /** Set when the server runs with --demo: the sign-in page says so, with the demo admin to sign in as. */
  demo?: { email: string | null; password: string | null } | null;
}

/** The sign-in page's note in demo mode: the demo admin's email, and the password only when it is the public one. */
function demoNote(demo: WebOptions["demo"]): Html | string {
  if (!demo) return "";
  const who = demo.email
    ? demo.password
      ? html`Sign in as <code id="demo-email">${demo.email}</code> with the password <code id="demo-password">${demo.password}</code> (the public demo password, also in the README).`
      : html`Sign in as <code id="demo-email">${demo.email}</code> with the password given in TANDEM_ADMIN_PASSWORD when the demo started.`
    : "Sign in as this data directory's admin.";
  return html`<div id="demo-sign-in" class="notice" role="note"><strong>This is the Tandem demo</strong>, with a sandbox Jira beside it. ${who}</div>`;
}

export function webApp(api: Fetcher, options: WebOptions = {}): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  async function call<T = any>(c: Context, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const token = getCookie(c, SESSION_COOKIE);
    const response = await api.request(`/api/v1${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const errorOf = (result: { body: any }) => String(result.body?.error?.message ?? "Something went wrong.");
  const back = (c: Context, path: string, kind: "notice" | "error", message: string) => c.redirect(`${path}?${kind}=${encodeURIComponent(message)}`, 303);
  async function me(c: Context): Promise<Me | null> {
    const result = await call<Me>(c, "GET", "/me");
    return result.status === 200 ? result.body : null;
  }
  const form = async (c: Context) => Object.fromEntries(Object.entries(await c.req.parseBody()).map(([key, value]) => [key, String(value)]));
  const messages = (c: Context) => html`${flash("notice", c.req.query("notice"))}${flash("error", c.req.query("error"))}`;
  const canChange = (user: Me) => user.role !== "guest";

  // ---- sign-in ----
  app.get("/login", (c) => c.html(page("Sign in", html`<section style="max-width:420px"><h1>Sign in to Tandem</h1>${messages(c)}${demoNote(options.demo)}
<form method="post" action="/login"><label for="email">Email</label><input id="email" name="email" type="email" required autofocus style="width:100%">
<label for="password">Password</label><input id="password" name="password" type="password" required style="width:100%"><p><button>Sign in</button></p></form></section>`, null)));
  app.post("/login", async (c) => {
    const input = await form(c);
    const result = await call<{ token: string }>(c, "POST", "/auth/login", { email: input.email, password: input.password });
    if (result.status !== 200) return back(c, "/login", "error", errorOf(result));
    setCookie(c, SESSION_COOKIE, result.body.token, { httpOnly: true, sameSite: "Strict", path: "/" });
    return c.redirect("/projects", 303);
  });
  app.post("/logout", async (c) => {
    await call(c, "POST", "/auth/logout");
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  // Everything below needs a signed-in person.
  app.use("*", async (c, next) => {
    if (c.req.path === "/login" || c.req.path.startsWith("/api/") || c.req.path.startsWith("/hooks/")) return next();
    const user = await me(c);
    if (!user) return c.redirect("/login", 303);
    c.set("me", user);
    return next();
  });
  const user = (c: Context<WebEnv>) => c.get("me");
  app.route("/", reportsWeb(api));

  app.get("/", (c) => c.redirect("/projects", 303));

  connectorPages(app, api);
  mappingPages(app, api);
  realtimePages(app, api);
  const items = itemPages(api);
  app.route("/", items.routes);
  app.route("/", importPages(api));
  app.route("/", projectsFromJiraPages(api));
  app.route("/", createInJiraPages(api));
  app.route("/", historyPages(api));

  // ---- projects ----
  app.get("/projects", async (c) => {
    const changes = canChange(user(c));
    // The projects and, for those who may change things, the connectors (the getting-started steps name them), at once.
    const [projects, listedConnectors] = await Promise.all([call<any[]>(c, "GET", "/projects"), changes ? call<any[]>(c, "GET", "/connectors") : null]);
    const list = projects.body;
    let start: Html | string = "";
    let fromJira: Html | string = "";
    if (changes) {
      const connectors = listedConnectors?.body ?? [];
      const project = list.find((candidate) => candidate.connectorId) ?? null;
      // The issue to change in Jira: the project's first item's, when linked (one item read, not the project's
      // whole list; otherwise the step sends the person to the project's page, which names one).
      const first = project && connectors.some((connector) => connector.id === project.connectorId) ? await call<any>(c, "GET", `/items/${encodeURIComponent(`${project.key}-1`)}`) : null;
      const linkedKey: string | null = first?.status === 200 ? first.body.link?.jiraKey ?? null : null;
      start = startHere({ connectors, project, linkedKey, admin: user(c).role === "admin" });
      // Projects can also come from Jira itself: one per Jira project, per Epic or per value of a field, through a
      // connector (a link per connector; the only one is #make-projects-from-jira).
      const through = connectors.map((connector, index) => html`${index ? ", " : ""}<a ${connectors.length === 1 ? raw('id="make-projects-from-jira" ') : ""}class="make-projects-from-jira" href="/connectors/${connector.id}/make-projects">${connector.name}</a>`);
      if (connectors.length) fromJira = html`<p id="from-jira">Or make Tandem projects from Jira through ${through}: one per Jira project, per Epic, or per value of a field such as a product area.</p>`;
    }
    const body = html`<h1>Projects</h1>${messages(c)}${start}<section>${list.length === 0
      ? html`<p id="no-projects">No project yet. ${canChange(user(c)) ? "Add one below: give it a key and a name, and pick a preset for its fields and mappings." : "A member or an admin can add one."}</p>${fromJira}`
      : html`<table id="projects"><thead><tr><th>Key</th><th>Name</th><th>Jira</th><th>Direction</th></tr></thead><tbody>
${list.map((project) => html`<tr><td><a href="/projects/${project.key}">${project.key}</a></td><td>${project.name}</td><td>${project.jiraProjects.join(", ") || html`<span class="muted">not connected</span>`}</td><td>${project.direction}</td></tr>`)}
</tbody></table>`}</section>
${canChange(user(c)) ? html`<section><h2>Add a project</h2><form method="post" action="/projects" class="grid">
<div><label for="key">Key</label><input id="key" name="key" required pattern="[A-Za-z][A-Za-z0-9]{1,9}"></div>
<div><label for="pname">Name</label><input id="pname" name="name" required></div>
<div><label for="preset">Fields and mappings</label><select id="preset" name="preset"><option value="">none</option>${PRESET_CHOICES}</select></div>
<div><label>&nbsp;</label><button>Add project</button></div></form>${list.length ? fromJira : ""}</section>` : ""}`;
    return c.html(page("Projects", body, user(c)));
  });

  app.post("/projects", async (c) => {
    const input = await form(c);
    const result = await call<any>(c, "POST", "/projects", { key: input.key, name: input.name, ...(input.preset ? { preset: input.preset } : {}) });
    if (result.status !== 201) return back(c, "/projects", "error", errorOf(result));
    return back(c, `/projects/${result.body.key}`, "notice", `Project ${result.body.key} added. Connect it to Jira below.`);
  });

  app.post("/projects/:key/jira", async (c) => {
    const input = await form(c);
    const key = c.req.param("key");
    const result = await call(c, "PUT", `/projects/${key}/jira`, {
      connector: input.connector,
      jiraProjects: (input.jiraProjects ?? "").split(/[\s,]+/).filter(Boolean),
      jqlScope: input.jqlScope ?? "",
      direction: input.direction,
      conflictPolicy: input.conflictPolicy,
      syncIdentity: input.syncIdentity,
    });
    if (result.status !== 200) return back(c, `/projects/${key}`, "error", errorOf(result));
    return back(c, `/projects/${key}`, "notice", "Jira integration saved.");
  });


  app.get("/projects/:key", async (c) => {
    const key = c.req.param("key");
    const project = await call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    const p = project.body;
    // The page's other reads at once: the connectors (the Jira panel chooses among them), the items, the latest runs.
    const [listed, itemList, latest] = await Promise.all([
      call<any[]>(c, "GET", "/connectors"),
      call<any[]>(c, "GET", `/projects/${key}/items`),
      call<any[]>(c, "GET", `/projects/${key}/runs?limit=5`),
    ]);
    const connectors = listed.body ?? [];
    const projectItems = itemList.body ?? [];
    const runs = latest.body ?? [];
    const selected = (value: string, current: string) => (value === current ? "selected" : "");
    const editable = canChange(user(c));
    const connector = connectors.find((candidate) => candidate.id === p.connectorId) ?? null;
    const itemsSection = items.section(c, p, projectItems, connector?.siteUrl ?? null);
    const linked = connector ? projectItems.find((item) => item.link) : null;
    const watch = connector && linked ? { jiraKey: String(linked.link.jiraKey), url: jiraIssueUrl(connector.siteUrl, linked.link.jiraKey) } : null;
    const body = html`<h1>${p.key} · ${p.name}</h1><p><a id="reports-link" href="/projects/${p.key}/reports">Reports</a></p>${messages(c)}
<section id="jira-panel"><h2>Jira integration</h2><p>Jira projects: ${p.jiraProjects.join(", ") || "none"} · direction ${p.direction} · conflicts: ${p.conflictPolicy} · syncs as ${p.syncIdentity === "user" ? "the person who clicks" : "the connector's service account"}</p>
<p>Last Pull: ${p.lastPull ? html`<a id="last-pull" href="/runs/${p.lastPull.id}">${when(p.lastPull.startedAt)}</a>` : "never"} · Last Push: ${p.lastPush ? html`<a id="last-push" href="/runs/${p.lastPush.id}">${when(p.lastPush.startedAt)}</a>` : "never"}</p>
${p.connectorId && p.direction === "pull" ? html`<p id="read-only-note"><strong>Read-only:</strong> this project only pulls; Tandem never writes to its Jira (its connection refuses every write).</p>` : ""}
${editable && p.connectorId ? html`<form method="post" action="/projects/${p.key}/run" class="inline"><input type="hidden" name="kind" value="pull"><button id="pull">Pull</button></form>
${p.direction === "pull" ? "" : html`<form method="post" action="/projects/${p.key}/run" class="inline"><input type="hidden" name="kind" value="push"><button id="push">Push</button></form>
<form method="post" action="/projects/${p.key}/run" class="inline"><input type="hidden" name="kind" value="push"><input type="hidden" name="dryRun" value="1"><button id="push-dry" class="secondary">Push (dry run)</button></form>`}` : ""}
${connector ? html`<p><a id="open-people" href="/connectors/${connector.id}/people">People</a>: Jira assignees and reporters are matched to Tandem people by email, with manual overrides.</p>` : ""}
${editable ? html`<details ${p.connectorId ? "" : "open"}><summary>Change the Jira integration</summary><form method="post" action="/projects/${p.key}/jira" class="grid">
<div><label for="connector">Connector</label><select id="connector" name="connector">${connectors.map((connector) => html`<option value="${connector.id}" ${selected(connector.id, p.connectorId ?? "")}>${connector.name}</option>`)}</select></div>
<div><label for="jiraProjects">Jira projects</label><input id="jiraProjects" name="jiraProjects" value="${p.jiraProjects.join(", ")}" placeholder="ABC, XYZ" required></div>
<div><label for="jqlScope">JQL scope</label><input id="jqlScope" name="jqlScope" value="${p.jqlScope}"></div>
<div><label for="direction">Direction</label><select id="direction" name="direction">${["two-way", "pull", "push"].map((value) => html`<option ${selected(value, p.direction)}>${value}</option>`)}</select></div>
<div><label for="conflictPolicy">Conflicts</label><select id="conflictPolicy" name="conflictPolicy">${["hold", "jira-wins", "tandem-wins", "newest-wins"].map((value) => html`<option ${selected(value, p.conflictPolicy)}>${value}</option>`)}</select></div>
<div><label for="syncIdentity">Syncs as</label><select id="syncIdentity" name="syncIdentity"><option value="service" ${selected("service", p.syncIdentity)}>the connector's account</option><option value="user" ${selected("user", p.syncIdentity)}>the person who clicks</option></select></div>
<div><label>&nbsp;</label><button id="save-jira">Save</button></div></form></details>` : ""}</section>
${itemsSection}
<section id="mappings-summary"><h2>Mappings</h2><p>${p.mappings.length} field mapping${p.mappings.length === 1 ? "" : "s"}. <a id="open-mappings" href="/projects/${p.key}/mappings">Fields, statuses, value maps and presets</a> · <a id="open-realtime" href="/projects/${p.key}/realtime">Real time: webhook, catch-up, sync now</a></p></section>${liveUpdates(p.key)}`;
    return c.html(page(p.key, html`${body}${liveRuns(p.key, { recent: runs, watch })}`, user(c)));
  });

  app.post("/projects/:key/run", async (c) => {
    const input = await form(c);
    const key = c.req.param("key");
    const result = await call<any>(c, "POST", `/projects/${key}/${input.kind === "push" ? "push" : input.kind === "sync" ? "sync" : "pull"}`, { dryRun: input.dryRun === "1" });
    if (result.status !== 200) return back(c, `/projects/${key}`, "error", errorOf(result));
    return c.redirect(`/runs/${result.body.run.id}`, 303);
  });

  return app;
}
