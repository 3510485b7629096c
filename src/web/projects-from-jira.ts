// "Make Tandem projects from Jira" (reference workflow 4, reporting): from a connector, choose its Jira projects and
// how Tandem projects are made — one per Jira project, one per Epic (its children become the items), or one per
// value of a custom field such as a product area — with or without closed issues, and the new projects' direction
// (read-only Pull by default). Submitting calls POST /connectors/{id}/import-projects, which is idempotent: a second
// run reuses the projects and their items. New projects can get the reporting preset's mappings, their issues'
// mapped fields pulled in the same pass (the API reads each issue once), so their items carry Jira's status, assignee
// and reporter. Guests are not offered the page (the API refuses them).
import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import { page, type Html } from "./layout.ts";
import type { SourcedProject } from "../crossing/project-sources.ts";
import { apiCaller, back, canChange, errorOf, messages, readForm, signedIn, type Fetcher, type WebEnv } from "./session-api.ts";

type By = "jira-project" | "epic" | "field";
type Direction = "pull" | "two-way" | "push";

interface Choices {
  jiraProjects: string[];
  by: By;
  field: string;
  includeDone: boolean;
  direction: Direction;
  preset: boolean;
}

const DEFAULTS: Choices = { jiraProjects: [], by: "jira-project", field: "", includeDone: false, direction: "pull", preset: true };

const WAYS: { value: By; label: string; hint: string }[] = [
  { value: "jira-project", label: "One per Jira project", hint: "Every issue of the Jira project becomes an item of its Tandem project." },
  { value: "epic", label: "One per Epic", hint: "Each Epic becomes a Tandem project; the Epic's children become its items." },
  { value: "field", label: "One per value of a custom field", hint: "Such as a product area: each issue goes to the project named by its value; issues without a value are left out." },
];

const DIRECTIONS: { value: Direction; label: string }[] = [
  { value: "pull", label: "Read-only: Pull (Jira → Tandem)" },
  { value: "two-way", label: "Two-way" },
  { value: "push", label: "Push (Tandem → Jira)" },
];

/** Shows "Making the projects…" while the request runs (it reads every matching issue before answering). */
const SCRIPT = `(() => {
  const form = document.getElementById("make-projects-form");
  if (!form) return;
  form.addEventListener("submit", () => {
    const status = document.getElementById("making");
    status.hidden = false;
    status.textContent = "Making the projects: reading the issues from Jira. This takes a moment for large Jira projects…";
    setTimeout(() => { document.getElementById("make-projects").disabled = true; }, 0);
  });
})();`;

function choicesFrom(form: { one: Record<string, string>; all: (name: string) => string[] }): Choices {
  const by = WAYS.some((way) => way.value === form.one.by) ? (form.one.by as By) : DEFAULTS.by;
  const direction = DIRECTIONS.some((choice) => choice.value === form.one.direction) ? (form.one.direction as Direction) : DEFAULTS.direction;
  return {
    jiraProjects: [...new Set(form.all("jiraProjects").map((key) => key.trim().toUpperCase()).filter(Boolean))],
    by,
    field: (form.one.field ?? "").trim(),
    includeDone: form.one.includeDone === "1",
    direction,
    preset: form.one.preset === "1",
  };
}

/** The choices again as hidden fields (for "Run again"). */
function hiddenChoices(choices: Choices): Html {
  return html`${choices.jiraProjects.map((key) => html`<input type="hidden" name="jiraProjects" value="${key}">`)}<input type="hidden" name="by" value="${choices.by}"><input type="hidden" name="field" value="${choices.field}">
<input type="hidden" name="includeDone" value="${choices.includeDone ? "1" : "0"}"><input type="hidden" name="direction" value="${choices.direction}"><input type="hidden" name="preset" value="${choices.preset ? "1" : "0"}">`;
}

export function projectsFromJiraPages(api: Fetcher): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const call = apiCaller(api);

  /** The form, filled with the person's choices; after a refusal, the reason at the top and the choices kept. */
  async function formPage(c: Context<WebEnv>, connector: any, choices: Choices, refused: string | null = null) {
    const [listed, siteFields] = await Promise.all([
      call<{ key: string; name: string }[]>(c, "GET", `/connectors/${encodeURIComponent(connector.id)}/jira-projects`),
      call<{ id: string; name: string; type: string; custom: boolean }[]>(c, "GET", `/connectors/${encodeURIComponent(connector.id)}/fields`),
    ]);
    // The suggestions: the site's custom fields whose values can name a project.
    const fields = siteFields.status === 200 ? siteFields.body.filter((field) => field.custom && ["option", "string"].includes(field.type)) : [];
    const chosen = new Set(choices.jiraProjects);
    const jiraProjects =
      listed.status !== 200
        ? html`<div class="error" role="alert" id="jira-projects-error">The connector's Jira projects could not be read: ${errorOf(listed)} Check the connector with Connect &amp; Test on <a href="/connectors/${connector.id}">its page</a>.</div>`
        : listed.body.length === 0
          ? html`<p id="no-jira-projects">The connector's account may not browse any Jira project. Give it the Browse Projects permission in Jira, then come back.</p>`
          : html`<fieldset id="jira-projects"><legend>Jira projects to read</legend>${listed.body.map((entry) => html`<div><input type="checkbox" id="jp-${entry.key}" name="jiraProjects" value="${entry.key}" ${chosen.has(entry.key) ? "checked" : ""}> <label for="jp-${entry.key}" style="display:inline;font-weight:normal">${entry.key} · ${entry.name}</label></div>`)}</fieldset>`;
    const body = html`<p><a href="/connectors/${connector.id}">← ${connector.name}</a></p><h1>Make Tandem projects from Jira</h1>${messages(c)}
${refused ? html`<div class="error" role="alert" id="make-refused">${refused}</div>` : ""}
<section><p>Tandem reads the chosen Jira projects through <strong>${connector.name}</strong> and makes a Tandem project for each Jira project, Epic or field value, its issues becoming the project's items.
Running it again reuses the projects it made and never duplicates an item, so it is safe to repeat.</p>
${listed.status === 200 && listed.body.length ? html`<form method="post" action="/connectors/${connector.id}/make-projects" id="make-projects-form">
${jiraProjects}
<fieldset id="ways"><legend>How Tandem projects are made</legend>${WAYS.map((way) => html`<div><input type="radio" id="by-${way.value}" name="by" value="${way.value}" aria-describedby="by-${way.value}-hint" ${way.value === choices.by ? "checked" : ""}> <label for="by-${way.value}" style="display:inline">${way.label}</label>
<small id="by-${way.value}-hint" class="muted">— ${way.hint}</small></div>`)}
<div style="margin-left:24px"><label for="field">Custom field (for one project per value)</label><input id="field" name="field" value="${choices.field}" list="site-fields" autocomplete="off" placeholder="Product Area" aria-describedby="field-hint" style="min-width:260px">
<datalist id="site-fields">${fields.map((field) => html`<option value="${field.name}">${field.id} · ${field.type}</option>`)}</datalist>
<small id="field-hint" class="muted">${fields.length ? "Its name as Jira shows it, or its id (customfield_…); type to pick from the site's custom fields." : "Its name as Jira shows it, or its id (customfield_…)."}</small></div></fieldset>
<fieldset><legend>Options</legend>
<div><input type="hidden" name="includeDone" value="0"><input type="checkbox" id="includeDone" name="includeDone" value="1" ${choices.includeDone ? "checked" : ""} aria-describedby="includeDone-hint"> <label for="includeDone" style="display:inline">Include closed issues</label> <small id="includeDone-hint" class="muted">— issues in a Done status are left out unless you ask.</small></div>
<div><label for="direction">Direction of the new projects</label><select id="direction" name="direction" aria-describedby="direction-hint">${DIRECTIONS.map((choice) => html`<option value="${choice.value}" ${choice.value === choices.direction ? "selected" : ""}>${choice.label}</option>`)}</select>
<small id="direction-hint" class="muted" style="display:block">Read-only never writes to Jira: the project's connection refuses every write before it leaves Tandem. It is the natural choice for reporting. Projects that already exist keep their own direction.</small></div>
<div><input type="hidden" name="preset" value="0"><input type="checkbox" id="preset" name="preset" value="1" ${choices.preset ? "checked" : ""} aria-describedby="preset-hint"> <label for="preset" style="display:inline">Map the reporting fields and Pull them now</label>
<small id="preset-hint" class="muted">— the reporting preset pulls title, status, assignee, reporter and product area from Jira into new projects; projects that already exist keep their mappings.</small></div></fieldset>
<p><button id="make-projects">Make projects</button> <span id="making" role="status" aria-live="polite" hidden></span></p></form><script>${raw(SCRIPT)}</script>` : jiraProjects}</section>`;
    return c.html(page("Make Tandem projects from Jira", body, signedIn(c)));
  }

  app.get("/connectors/:id/make-projects", async (c) => {
    const id = c.req.param("id");
    const found = await call<any>(c, "GET", `/connectors/${encodeURIComponent(id)}`);
    if (found.status !== 200) return back(c, "/connectors", "error", errorOf(found));
    if (!canChange(signedIn(c))) return back(c, `/connectors/${id}`, "error", "Making projects from Jira changes Tandem: ask a member or an admin to do it.");
    return formPage(c, found.body, DEFAULTS);
  });

  app.post("/connectors/:id/make-projects", async (c) => {
    const id = c.req.param("id");
    const found = await call<any>(c, "GET", `/connectors/${encodeURIComponent(id)}`);
    if (found.status !== 200) return back(c, "/connectors", "error", errorOf(found));
    const connector = found.body;
    const choices = choicesFrom(await readForm(c));
    if (choices.jiraProjects.length === 0) return formPage(c, connector, choices, "Nothing was made: tick at least one Jira project to read, then press Make projects again.");
    if (choices.by === "field" && !choices.field) return formPage(c, connector, choices, "Nothing was made: one project per value needs the custom field whose value names the project (for example Product Area). Type its name or id, then press Make projects again.");
    const source = choices.by === "field" ? { mode: "field", field: choices.field } : { mode: choices.by };
    // A push-only project is not given the reporting preset, which only pulls: the API says so in its row.
    const preset = choices.preset ? { preset: "reporting" } : {};
    const result = await call<SourcedProject[]>(c, "POST", `/connectors/${encodeURIComponent(connector.id)}/import-projects`, { jiraProjects: choices.jiraProjects, source, includeDone: choices.includeDone, direction: choices.direction, ...preset });
    if (result.status === 401 || result.status === 403) return back(c, `/connectors/${connector.id}`, "error", errorOf(result));
    if (result.status !== 200) {
      const code = (result.body as any)?.error?.code;
      const advice =
        code === "unknown_field" ? " Pick one of the site's custom fields from the suggestions (or type its id, such as customfield_10047) and press Make projects again."
        : result.status === 502 ? " Jira did not answer as expected; check the connector with Connect & Test and try again."
        : " Correct the choices below and try again.";
      return formPage(c, connector, choices, `Nothing was made: ${errorOf(result)}${advice}`);
    }
    // (The API schedules the new projects' catch-ups and puts them in the connector's webhook filter.)
    return c.html(page("Projects made from Jira", resultPage(connector, choices, result.body), signedIn(c)));
  });

  return app;
}

function resultPage(connector: any, choices: Choices, made: SourcedProject[]): Html {
  const how = choices.by === "epic" ? "one per Epic" : choices.by === "field" ? `one per value of '${choices.field}'` : "one per Jira project";
  const reused = made.filter((row) => !row.created);
  const mappings = (key: string) => html`<a href="/projects/${key}/mappings">Mappings</a>`;
  const pulled = (row: SourcedProject) => (row.runId ? html`<a href="/runs/${row.runId}">pulled</a>` : "nothing to pull");
  // What happened to a project's fields: a new one got the reporting preset and its Pull (or why not); a reused one
  // keeps its own mappings, by which its issues were pulled.
  const fieldsCell = (row: SourcedProject) =>
    !row.created ? html`<span class="muted">kept as they were${row.runId ? html` and ${pulled(row)}` : ""}</span>`
    : !choices.preset ? html`<span class="muted">not mapped: <a href="/projects/${row.key}/mappings">choose mappings</a></span>`
    : row.mappingProblem ? html`<span class="warn">The reporting fields could not be mapped: ${row.mappingProblem} Choose its mappings on its Mappings page, then Pull.</span> ${mappings(row.key)}`
    : html`reporting fields mapped and ${pulled(row)}`;
  const empty = choices.by === "epic" ? `No Epic in ${choices.jiraProjects.join(", ")}${choices.includeDone ? "" : " (closed issues left out)"}` : choices.by === "field" ? `No issue of ${choices.jiraProjects.join(", ")} has a value in '${choices.field}'${choices.includeDone ? "" : " among the open ones"}` : "No Jira project was read";
  return html`<p><a href="/connectors/${connector.id}">← ${connector.name}</a></p><h1>Projects made from Jira</h1>
<section id="made-result" aria-labelledby="made-summary"><p id="made-summary" role="status"><strong id="made-count">${made.length - reused.length}</strong> new project${made.length - reused.length === 1 ? "" : "s"} · <strong id="reused-count">${reused.length}</strong> already existed and ${reused.length === 1 ? "was" : "were"} reused — ${how} from ${choices.jiraProjects.join(", ")}${choices.includeDone ? ", closed issues included" : ", closed issues left out"}.</p>
${made.length === 0 ? html`<p id="nothing-made">${empty}: nothing was made. Choose other Jira projects or another way of making projects${choices.includeDone ? "" : ", or include closed issues"}.</p>` : html`<table id="made-projects"><thead><tr><th>Project</th><th>Name</th><th>Made</th><th>Items</th><th>Fields</th><th><span class="visually-hidden">Open</span></th></tr></thead><tbody>
${made.map((row) => html`<tr data-project="${row.key}"><td><a class="project-link" href="/projects/${row.key}">${row.key}</a></td><td class="name">${row.name}</td>
<td class="made">${row.created ? "new" : "already existed"}</td>
<td class="items"><span class="item-count">${row.itemsCreated + row.itemsExisting}</span> <span class="muted">(${row.itemsCreated} new, ${row.itemsExisting} already there)</span></td>
<td class="fields">${fieldsCell(row)}</td>
<td class="nowrap"><a href="/projects/${row.key}/reports" aria-label="Reports of ${row.key}">Reports</a> · <a href="/projects/${row.key}/realtime" aria-label="Real time of ${row.key}">Real time</a></td></tr>`)}
</tbody></table>`}
<p>${choices.direction === "pull" ? html`<strong>Read-only:</strong> new projects only pull; Tandem never writes to their Jira. ` : ""}Assignees and reporters are matched to Tandem people by email; where Jira hides an email or the addresses differ, add an override on <a id="people-link" href="/connectors/${connector.id}/people">${connector.name}'s People page</a>.
Each project also catches up with Jira on its schedule (daily by default): see or change it, or Sync now, on its Real time page.</p>
<form method="post" action="/connectors/${connector.id}/make-projects" class="inline">${hiddenChoices(choices)}<button id="run-again" class="secondary">Run again</button></form>
 · <a href="/connectors/${connector.id}/make-projects">Make other projects</a> · <a href="/projects">All projects</a></section>`;
}
