// The import wizard: connector → Jira project → filter or JQL → preview page by page (key, type, summary, status,
// assignee) → select some, or all matches (not only the visible page), with or without Done issues → import,
// with progress while it runs and the result (imported / updated / skipped). Works without JavaScript: the
// selection travels with the paging form; scripts only add "select the page" and the progress display.
import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import { withoutOrderBy } from "../jira/jql.ts";
import { page, type Html } from "./layout.ts";
import { apiCaller, back, canChange, errorOf, messages, readForm, signedIn, type Fetcher, type WebEnv } from "./session-api.ts";

/** Common filters to start from, after the saved filters of the connector's Jira. */
const FILTERS: [string, string][] = [
  ["", "Every issue of the project"],
  ["issuetype = Story", "Stories"],
  ["issuetype = Task", "Tasks"],
  ["issuetype = Bug", "Bugs"],
  ["assignee is EMPTY", "Unassigned issues"],
];

const PAGE_SIZES = [5, 10, 25, 50, 100];

const SCRIPT = `(() => {
  const all = document.getElementById("select-page");
  const boxes = () => [...document.querySelectorAll('input[name="issues"][type="checkbox"]:not(:disabled)')];
  if (all) all.addEventListener("change", () => { for (const box of boxes()) box.checked = all.checked; });
  const form = document.getElementById("preview-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || !button.formAction || !button.formAction.endsWith("/import/run")) return;
    const progress = document.getElementById("import-progress");
    const bar = progress.querySelector("progress");
    const text = document.getElementById("import-progress-text");
    const all = button.value === "all";
    const expected = all ? Number(form.dataset.total) : form.querySelectorAll('input[name="issues"]:checked, input[name="issues"][type="hidden"]').length;
    const before = Number(form.dataset.items);
    progress.hidden = false;
    text.textContent = all ? "Importing every match; large imports take a while…" : "Importing the selected issues…";
    setTimeout(() => { for (const other of form.querySelectorAll("button")) other.disabled = true; }, 0);
    // Issues are stored page by page as they arrive: the project's item count is the import's progress.
    if (!(expected > 0)) return;
    bar.max = expected;
    const poll = async () => {
      try {
        const response = await fetch("/api/v1/projects/" + encodeURIComponent(form.dataset.project) + "/items");
        if (response.ok) {
          const added = Math.max(0, (await response.json()).length - before);
          bar.value = Math.min(added, expected);
          text.textContent = added + " of about " + expected + " new issues stored; their fields are filled next…";
        }
      } catch {}
      setTimeout(poll, 1000);
    };
    setTimeout(poll, 500);
  });
})();`;

interface WizardState {
  connector: string;
  jiraProject: string;
  filter: string;
  jql: string;
  includeDone: boolean;
  pageSize: number;
}

export function importPages(api: Fetcher): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const call = apiCaller(api);

  const stateOf = (values: (name: string) => string | undefined, project: any): WizardState => ({
    connector: values("connector") ?? project.connectorId ?? "",
    jiraProject: (values("jiraProject") ?? "").toUpperCase(),
    filter: values("filter") ?? "",
    jql: values("jql") ?? "",
    includeDone: values("includeDone") === "1",
    pageSize: PAGE_SIZES.includes(Number(values("pageSize"))) ? Number(values("pageSize")) : 25,
  });
  /** The JQL sent to the API: the chosen Jira project, the filter and the person's own JQL together. */
  const combinedJql = (state: WizardState) =>
    [`project = "${state.jiraProject}"`, state.filter, state.jql.trim()]
      .map((part) => withoutOrderBy(part)) // an order inside parentheses is not JQL
      .filter(Boolean)
      .map((part) => `(${part})`)
      .join(" AND ");
  const hidden = (state: WizardState) => html`<input type="hidden" name="connector" value="${state.connector}"><input type="hidden" name="jiraProject" value="${state.jiraProject}">`;

  app.get("/projects/:key/import", async (c) => {
    const key = c.req.param("key");
    const project = await call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    if (!canChange(signedIn(c))) return back(c, `/projects/${key}`, "error", "Importing changes the project: ask a member or an admin to do it.");
    const p = project.body;
    const state = stateOf((name) => c.req.query(name), p);
    // A project already syncing with a Jira project starts there: choosing another one is a deliberate change.
    if (!state.jiraProject && state.connector === p.connectorId && p.jiraProjects.length) state.jiraProject = p.jiraProjects[0];
    const connectors = (await call<any[]>(c, "GET", "/connectors")).body ?? [];
    const ready = state.jiraProject && state.connector === p.connectorId && p.jiraProjects.includes(state.jiraProject);

    const step1 = html`<section><h2>1. Connector</h2>${connectors.length === 0 ? html`<p id="no-connectors">No connector yet: <a href="/connectors">add one</a> (an admin can), then come back.</p>` : html`<form method="get" class="grid">
<div><label for="connector">Jira connection</label><select id="connector" name="connector">${connectors.map((connector) => html`<option value="${connector.id}" ${connector.id === state.connector ? "selected" : ""}>${connector.name}</option>`)}</select></div>
<div><label>&nbsp;</label><button id="choose-connector">Next</button></div></form>`}</section>`;

    let step2: Html | string = "";
    if (state.connector) {
      const listed = await call<any[]>(c, "GET", `/connectors/${encodeURIComponent(state.connector)}/jira-projects`);
      step2 = listed.status !== 200
        ? html`<section><h2>2. Jira project</h2><div class="error" role="alert">The connector's Jira projects could not be read: ${errorOf(listed)} Check the connector with Connect &amp; Test.</div></section>`
        : html`<section><h2>2. Jira project</h2>${listed.body.length === 0 ? html`<p>The connector's account may not browse any Jira project. Give it the Browse Projects permission in Jira.</p>` : html`<form method="post" action="/projects/${key}/import/source" class="grid"><input type="hidden" name="connector" value="${state.connector}">
<div><label for="jiraProject">Jira project</label><select id="jiraProject" name="jiraProject">${listed.body.map((entry) => html`<option value="${entry.key}" ${entry.key === state.jiraProject ? "selected" : ""}>${entry.key} · ${entry.name}</option>`)}</select></div>
<div><label>&nbsp;</label><button id="choose-project">Next</button></div></form>
<p class="muted" id="jira-project-note">${state.connector === p.connectorId && p.jiraProjects.length ? `${key} syncs with ${p.jiraProjects.join(", ")}; choosing another Jira project adds it to those.` : `Choosing a Jira project connects ${key} to it (through this connector).`}</p>`}</section>`;
    }

    let step3: Html | string = "";
    let step4: Html | string = "";
    if (ready) {
      const filters = await call<{ id: string; name: string; jql: string }[]>(c, "GET", `/connectors/${encodeURIComponent(state.connector)}/filters`);
      const saved = filters.status === 200 ? filters.body : [];
      const savedError = filters.status === 200 ? "" : errorOf(filters);
      step3 = html`<section><h2>3. Which issues</h2><form method="get" id="filter-form"><input type="hidden" name="preview" value="1">${hidden(state)}<div class="grid">
<div><label for="filter">Start from a filter</label><select id="filter" name="filter">${saved.length ? html`<optgroup label="Saved filters in Jira">${saved.map((filter) => html`<option value="${filter.jql}" ${filter.jql === state.filter ? "selected" : ""}>${filter.name}</option>`)}</optgroup><optgroup label="Common filters">` : ""}${FILTERS.map(([jql, label]) => html`<option value="${jql}" ${jql === state.filter ? "selected" : ""}>${label}</option>`)}${saved.length ? html`</optgroup>` : ""}</select>
${savedError ? html`<small class="warn">Jira's saved filters could not be read (${savedError}); write the JQL instead.</small>` : ""}</div>
<div><label for="pageSize">Issues per page</label><select id="pageSize" name="pageSize">${PAGE_SIZES.map((size) => html`<option ${size === state.pageSize ? "selected" : ""}>${size}</option>`)}</select></div>
<div><label for="includeDone"><input type="checkbox" id="includeDone" name="includeDone" value="1" ${state.includeDone ? "checked" : ""}> Include Done issues</label></div></div>
<label for="jql">JQL (optional, added to the filter)</label><textarea id="jql" name="jql" rows="2" style="width:100%" placeholder='labels = q4 AND updated >= -30d'>${state.jql}</textarea>
<p><button id="preview">Preview</button></p></form></section>`;
      if (c.req.query("preview") === "1") step4 = await preview(c, key, state, c.req.queries("issues") ?? []);
    }
    const body = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Import issues into ${key}</h1>${messages(c)}${step1}${step2}${step3}${step4}<script>${raw(SCRIPT)}</script>`;
    return c.html(page(`Import into ${key}`, body, signedIn(c)));
  });

  async function preview(c: Context<WebEnv>, key: string, state: WizardState, selected: string[]): Promise<Html> {
    // Pages visited so far, as the tokens that fetched them (the first page has none).
    let tokens: string[] = [];
    try {
      tokens = JSON.parse(c.req.query("tokens") ?? "[]");
    } catch {
      tokens = [];
    }
    if (c.req.query("go") === "next" && c.req.query("next")) tokens.push(c.req.query("next")!);
    if (c.req.query("go") === "prev") tokens.pop();
    const token = tokens.at(-1);
    const result = await call<any>(c, "POST", `/projects/${key}/import/preview`, { jql: combinedJql(state), includeDone: state.includeDone, pageSize: state.pageSize, ...(token ? { pageToken: token } : {}) });
    if (result.status !== 200) return html`<section><div class="error" role="alert">The preview failed: ${errorOf(result)} Correct the JQL above and preview again.</div></section>`;
    const { rows, total, nextPageToken } = result.body as { rows: any[]; total: number | null; nextPageToken: string | null };
    const totalKnown = total ?? Number(c.req.query("total") ?? NaN);
    const onPage = new Set(rows.map((row) => row.key));
    const chosen = new Set(selected);
    const carried = selected.filter((issue) => !onPage.has(issue));
    const jql = combinedJql(state);
    const itemCount = ((await call<any[]>(c, "GET", `/projects/${key}/items`)).body ?? []).length;
    return html`<section id="preview-section" aria-labelledby="preview-title"><h2 id="preview-title">4. Preview</h2>
<p id="match-count">${Number.isFinite(totalKnown) ? html`About <strong>${totalKnown}</strong> matching issues` : "Matching issues"}${state.includeDone ? "" : ", Done issues left out"} · page <span id="page-number">${tokens.length + 1}</span>.</p>
<p class="muted"><code>${jql}</code></p>
${rows.length === 0 ? html`<p id="no-matches">No issue matches. Change the filter or the JQL${state.includeDone ? "" : ", or include Done issues"}.</p>` : ""}
<form method="get" id="preview-form" data-project="${key}" data-items="${itemCount}" data-total="${Number.isFinite(totalKnown) ? totalKnown : ""}"><input type="hidden" name="preview" value="1">${hidden(state)}<input type="hidden" name="filter" value="${state.filter}"><input type="hidden" name="jql" value="${state.jql}">
<input type="hidden" name="pageSize" value="${state.pageSize}">${state.includeDone ? html`<input type="hidden" name="includeDone" value="1">` : ""}<input type="hidden" name="tokens" value="${JSON.stringify(tokens)}"><input type="hidden" name="next" value="${nextPageToken ?? ""}">
${Number.isFinite(totalKnown) ? html`<input type="hidden" name="total" value="${totalKnown}">` : ""}<input type="hidden" name="combinedJql" value="${jql}">
${carried.map((issue) => html`<input type="hidden" name="issues" value="${issue}">`)}
${rows.length ? html`<table id="preview-table"><thead><tr><th><input type="checkbox" id="select-page" aria-label="Select every issue on this page"></th><th>Key</th><th>Type</th><th>Summary</th><th>Status</th><th>Assignee</th></tr></thead><tbody>
${rows.map((row) => html`<tr data-issue="${row.key}"><td><input type="checkbox" name="issues" value="${row.key}" aria-label="Select ${row.key}" ${chosen.has(row.key) ? "checked" : ""}></td><td>${row.key}</td><td>${row.type ?? ""}</td><td>${row.summary ?? ""}</td><td>${row.status ?? ""}</td><td>${row.assignee ?? html`<span class="muted">unassigned</span>`}${row.linked ? html` <span class="pill">already imported: will be updated</span>` : ""}</td></tr>`)}
</tbody></table>` : ""}
<p>${tokens.length ? html`<button id="prev-page" name="go" value="prev" class="secondary">← Previous page</button> ` : ""}${nextPageToken ? html`<button id="next-page" name="go" value="next" class="secondary">Next page →</button>` : ""}
${carried.length ? html`<span class="muted"> · ${carried.length} selected on other pages</span>` : ""}</p>
${rows.length ? html`<p><button id="import-selected" formmethod="post" formaction="/projects/${key}/import/run" name="scope" value="selected">Import selected</button>
<button id="import-all" formmethod="post" formaction="/projects/${key}/import/run" name="scope" value="all">Import all ${Number.isFinite(totalKnown) ? totalKnown : ""} matches</button></p>` : ""}
<div id="import-progress" hidden role="status" aria-live="polite"><progress aria-label="Import progress"></progress> <span id="import-progress-text"></span></div>
</form></section>`;
  }

  // Step 2 done: the project is connected to the connector and the chosen Jira project (added to its Jira projects).
  app.post("/projects/:key/import/source", async (c) => {
    const key = c.req.param("key");
    const input = (await readForm(c)).one;
    const project = await call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    const p = project.body;
    const jiraProject = (input.jiraProject ?? "").toUpperCase();
    const next = `/projects/${key}/import?connector=${encodeURIComponent(input.connector ?? "")}&jiraProject=${encodeURIComponent(jiraProject)}`;
    if (p.connectorId === input.connector && p.jiraProjects.includes(jiraProject)) return c.redirect(next, 303);
    const sameConnector = p.connectorId === input.connector;
    const saved = await call(c, "PUT", `/projects/${key}/jira`, {
      connector: input.connector,
      jiraProjects: sameConnector ? [...p.jiraProjects, jiraProject] : [jiraProject],
      jqlScope: sameConnector ? p.jqlScope : "",
      direction: p.direction,
      conflictPolicy: p.conflictPolicy,
      syncIdentity: p.syncIdentity,
    });
    if (saved.status !== 200) return back(c, `/projects/${key}/import?connector=${encodeURIComponent(input.connector ?? "")}`, "error", errorOf(saved));
    return back(c, next, "notice", `${key} now syncs with Jira project ${jiraProject}.`);
  });

  app.post("/projects/:key/import/run", async (c) => {
    const key = c.req.param("key");
    const form = await readForm(c);
    const input = form.one;
    const all = input.scope === "all";
    const issues = form.all("issues");
    const wizard = `/projects/${key}/import?connector=${encodeURIComponent(input.connector ?? "")}&jiraProject=${encodeURIComponent(input.jiraProject ?? "")}`;
    if (!all && issues.length === 0) return back(c, wizard, "error", "Select the issues to import (or use Import all matches), then import again.");
    const result = await call<any>(c, "POST", `/projects/${key}/import`, { jql: input.combinedJql ?? "", includeDone: input.includeDone === "1", ...(all ? {} : { issues }) });
    if (result.status !== 200) return back(c, wizard, "error", `Nothing was imported: ${errorOf(result)}`);
    const { created, existing, run } = result.body as { created: string[]; existing: string[]; run: any };
    const skipped = all ? 0 : Math.max(0, issues.length - created.length - existing.length);
    const problems = run ? ((await call<any>(c, "GET", `/runs/${run.id}?outcome=warning`)).body?.items ?? []).length + ((await call<any>(c, "GET", `/runs/${run.id}?outcome=failed`)).body?.items ?? []).length : 0;
    const body = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Import finished</h1>
<section id="import-result" role="status"><p><strong id="imported-count">${created.length}</strong> imported · <strong id="updated-count">${existing.length}</strong> updated · <strong id="skipped-count">${skipped}</strong> skipped</p>
${skipped ? html`<p class="warn">Skipped issues no longer match the filter (or are Done while Done issues are left out).</p>` : ""}
${created.length ? html`<p>New items: ${created.map((item, index) => html`${index ? ", " : ""}<a href="/items/${item}">${item}</a>`)}</p>` : ""}
${run ? html`<p>Their fields were filled by <a href="/runs/${run.id}">a Pull</a>${problems ? html` <span class="warn">with ${problems} warnings or errors to read</span>` : ""}.</p>` : ""}
<p><a id="to-items" href="/projects/${key}">See the items</a> · <a href="${wizard}">Import more</a></p></section>`;
    return c.html(page("Import finished", body, signedIn(c)));
  });

  return app;
}
