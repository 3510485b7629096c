// "Create in Jira" for one or many unlinked items: pick the Jira project and issue type, then fill a form built
// from Jira's create metadata (required fields marked, allowed values as choices, defaults filled). Each item
// becomes linked to its new issue; the summary and description come from the item itself.
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { control, jiraValue, type FormField } from "./create-form-fields.ts";
import { page } from "./layout.ts";
import { apiCaller, back, errorOf, messages, readForm, signedIn, type Fetcher, type WebEnv } from "./session-api.ts";

/** Filled by Tandem itself: the choice made above, or the item's own title and description. */
const FROM_TANDEM = new Set(["project", "issuetype", "summary", "description", "parent"]);

export function createInJiraPages(api: Fetcher): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const call = apiCaller(api);

  app.get("/projects/:key/create", async (c) => {
    const key = c.req.param("key");
    const project = await call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    const p = project.body;
    const wanted = (c.req.query("items") ?? "").split(",").map((entry) => entry.trim().toUpperCase()).filter(Boolean);
    const items = ((await call<any[]>(c, "GET", `/projects/${key}/items`)).body ?? []).filter((item) => wanted.includes(item.key));
    const unlinked = items.filter((item) => !item.link);
    const linked = items.filter((item) => item.link);
    if (unlinked.length === 0) return back(c, `/projects/${key}`, "error", linked.length ? `${linked.map((item) => `${item.key} (${item.link.jiraKey})`).join(", ")} ${linked.length === 1 ? "is" : "are"} already linked; choose items without a Jira key.` : "Choose one or more items to create Jira issues from.");
    const jiraProject = (c.req.query("jiraProject") ?? (p.jiraProjects.length === 1 ? p.jiraProjects[0] : "")).toUpperCase();
    const issueType = c.req.query("issueType") ?? "";
    const itemsParam = unlinked.map((item) => item.key).join(",");
    const heading = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Create in Jira</h1>${messages(c)}
<section><p>New Jira issues for: ${unlinked.map((item) => html`<span class="pill">${item.key} ${item.values.title}</span> `)}</p>
${linked.length ? html`<p class="warn">Left out, already linked: ${linked.map((item) => `${item.key} (${item.link.jiraKey})`).join(", ")}.</p>` : ""}</section>`;

    // Step 1: the Jira project and issue type.
    let types: { id: string; name: string; subtask: boolean }[] = [];
    let typeError = "";
    if (jiraProject) {
      const listed = await call<any>(c, "GET", `/projects/${key}/create-form?jiraProject=${encodeURIComponent(jiraProject)}`);
      if (listed.status === 200) types = listed.body.issueTypes;
      else typeError = errorOf(listed);
    }
    // Until one is chosen, the everyday type (Task, else the first that is not an Epic) rather than Jira's first.
    const creatable = types.filter((type) => !type.subtask);
    const proposed = issueType || (creatable.find((type) => type.name === "Task") ?? creatable.find((type) => type.name !== "Epic") ?? creatable[0])?.id || "";
    const chooser = html`<section><h2>1. Where</h2><form method="get" class="grid"><input type="hidden" name="items" value="${itemsParam}">
<div><label for="jiraProject">Jira project</label><select id="jiraProject" name="jiraProject">${p.jiraProjects.map((candidate: string) => html`<option ${candidate === jiraProject ? "selected" : ""}>${candidate}</option>`)}</select></div>
${types.length ? html`<div><label for="issueType">Issue type</label><select id="issueType" name="issueType">${creatable.map((type) => html`<option value="${type.id}" ${type.id === proposed ? "selected" : ""}>${type.name}</option>`)}</select></div>` : ""}
<div><label>&nbsp;</label><button id="choose-type">${types.length ? "Show its fields" : "Show issue types"}</button></div></form>
${typeError ? html`<div class="error" role="alert">${typeError}</div>` : ""}</section>`;
    if (!jiraProject || !issueType || typeError) return c.html(page("Create in Jira", html`${heading}${chooser}`, signedIn(c)));

    // Step 2: the fields of that issue type, from Jira's create metadata.
    const form = await call<any>(c, "GET", `/projects/${key}/create-form?jiraProject=${encodeURIComponent(jiraProject)}&issueType=${encodeURIComponent(issueType)}`);
    if (form.status !== 200) return c.html(page("Create in Jira", html`${heading}${chooser}<div class="error" role="alert">${errorOf(form)}</div>`, signedIn(c)));
    const fields = (form.body.fields as FormField[]).filter((field) => !FROM_TANDEM.has(field.fieldId));
    const required = fields.filter((field) => field.required);
    const optional = fields.filter((field) => !field.required);
    const body = html`${heading}${chooser}<section><h2>2. ${form.body.issueType.name} fields</h2>
<p>Summary and description come from each item. ${required.length ? html`Fields marked <abbr title="required">*</abbr> are required by Jira.` : html`<span id="nothing-required">Jira requires no other field for a ${form.body.issueType.name}: press Create, or fill optional fields first.</span>`}</p>
<form method="post" action="/projects/${key}/create" id="create-form"><input type="hidden" name="items" value="${itemsParam}"><input type="hidden" name="jiraProject" value="${jiraProject}"><input type="hidden" name="issueType" value="${form.body.issueType.id}">
<div class="grid">${required.map((field) => control(field))}</div>
${optional.length ? html`<details><summary>Optional fields (${optional.length})</summary><div class="grid">${optional.map((field) => control(field))}</div></details>` : ""}
<p><button id="create">Create ${unlinked.length === 1 ? "the issue" : `${unlinked.length} issues`} in ${jiraProject}</button></p></form></section>`;
    return c.html(page("Create in Jira", body, signedIn(c)));
  });

  app.post("/projects/:key/create", async (c) => {
    const key = c.req.param("key");
    const posted = await readForm(c);
    const input = posted.one;
    const itemKeys = (input.items ?? "").split(",").filter(Boolean);
    const again = `/projects/${key}/create?items=${encodeURIComponent(input.items ?? "")}&jiraProject=${encodeURIComponent(input.jiraProject ?? "")}&issueType=${encodeURIComponent(input.issueType ?? "")}`;
    const form = await call<any>(c, "GET", `/projects/${key}/create-form?jiraProject=${encodeURIComponent(input.jiraProject ?? "")}&issueType=${encodeURIComponent(input.issueType ?? "")}`);
    if (form.status !== 200) return back(c, again, "error", errorOf(form));
    const fields: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const field of (form.body.fields as FormField[]).filter((candidate) => !FROM_TANDEM.has(candidate.fieldId))) {
      const value = jiraValue(field, posted.all(`f.${field.fieldId}`).join(","));
      if (value === undefined) {
        if (field.required && !field.hasDefaultValue) missing.push(field.name);
        continue;
      }
      fields[field.fieldId] = value;
    }
    if (missing.length) return back(c, again, "error", `Nothing was created: fill in ${missing.join(", ")} (required by Jira).`);
    const created: string[] = [];
    const failed: string[] = [];
    for (const item of itemKeys) {
      const result = await call<any>(c, "POST", `/items/${item}/create-in-jira`, { jiraProject: input.jiraProject, issueType: input.issueType, fields });
      if (result.status === 200) created.push(`${item} → ${result.body.key}`);
      else failed.push(`${item}: ${errorOf(result)}`);
    }
    if (failed.length) return back(c, created.length ? `/projects/${key}?notice=${encodeURIComponent(`Created ${created.join(", ")}.`)}` : again, "error", `Not created: ${failed.join(" ")} Correct the fields and try again.`);
    return back(c, `/projects/${key}`, "notice", `Created and linked ${created.join(", ")}.`);
  });

  return app;
}
