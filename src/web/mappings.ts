// A project's mappings page: presets, field mappings (a type mismatch is shown as the fields are picked, by the
// engine's own check, and refused on save), statuses (many Jira statuses onto one Tandem status), value maps,
// the Jira hierarchy levels, and where people are matched. Saving replaces the project's mappings through the API.
import type { Context } from "hono";
import { html } from "hono/html";
import { PRESETS } from "../engine/presets.ts";
import { defaultLevel } from "../crossing/import.ts";
import { page, type Html } from "./layout.ts";
import { makeKit, type Fetcher, type Kit, type WebApp } from "./kit.ts";

type MappingInput = { tandemField: string; jiraField: string; direction: string; transform: Record<string, unknown> & { kind: string } };
type Options = {
  tandemFields: { key: string; name: string; type: string }[];
  tandemStatuses: string[];
  jiraFields: { id: string; name: string; type: string }[];
  jiraStatuses: { id: string; name: string; category: string }[];
  issueTypes: { id: string; name: string; hierarchyLevel: number | null; subtask: boolean }[];
  presets: { name: string; description: string }[];
};

/** The transforms offered when adding a mapping, in words. */
const TRANSFORMS: { kind: string; label: string }[] = [
  { kind: "copy", label: "copy the value" },
  { kind: "richText", label: "rich text ↔ Markdown" },
  { kind: "person", label: "person (by email)" },
  { kind: "date", label: "date" },
  { kind: "datetime", label: "date and time" },
  { kind: "number", label: "number (push only)" },
  { kind: "options", label: "select options" },
  { kind: "labels", label: "labels" },
  { kind: "valueMap", label: "value map (Jira value = Tandem value)" },
  { kind: "duration", label: "time tracking → hours" },
  { kind: "status", label: "status" },
  { kind: "itemUrl", label: "the item's Tandem URL (push only)" },
  { kind: "now", label: "today's date (push only)" },
];

/** The reference roles' presets as options of a select (the add-project form starts a project from one). */
export const PRESET_CHOICES = html`${Object.values(PRESETS).map((preset) => html`<option value="${preset.name}">${preset.name[0]!.toUpperCase()}${preset.name.slice(1)} preset</option>`)}`;

const CATEGORY_DEFAULT: Record<string, string> = { new: "Not Started", indeterminate: "Started", done: "Completed" };

/** "Jira value = Tandem value" lines; a line without "=" is refused with its text. */
export function parseValueMap(text: string): { map: Record<string, string>; problem: string | null } {
  const map: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).map((entry) => entry.trim()).filter(Boolean)) {
    const at = line.indexOf("=");
    if (at <= 0 || at === line.length - 1) return { map, problem: `Could not read '${line}': write one pair per line as Jira value = Tandem value.` };
    map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { map, problem: null };
}

/** A mapping from the add form: the transform's parameters follow from the kind and the Tandem field. */
function mappingFromForm(input: Record<string, string>, options: Options | null): { mapping: MappingInput; problem: string | null } {
  const kind = input.transform ?? "copy";
  const tandemType = options?.tandemFields.find((field) => field.key === input.tandemField)?.type;
  let transform: MappingInput["transform"] = { kind };
  let problem: string | null = null;
  if (kind === "options") transform = { kind, multiple: tandemType === "multiselect" };
  if (kind === "duration") transform = { kind, unit: "hours", estimate: "remaining" };
  if (kind === "valueMap") {
    const parsed = parseValueMap(input.valueMap ?? "");
    transform = { kind, map: parsed.map };
    problem = parsed.problem;
  }
  return { mapping: { tandemField: input.tandemField ?? "", jiraField: input.jiraField ?? "", direction: input.direction ?? "pull", transform }, problem };
}

const strip = (mappings: any[]): MappingInput[] => mappings.map((mapping) => ({ tandemField: mapping.tandemField, jiraField: mapping.jiraField, direction: mapping.direction, transform: mapping.transform }));

/** Checks the mapping as typed in the add form, without saving; the page's script shows the answer beside the form. */
const CHECK_SCRIPT = (key: string) => html`<script>
(() => {
  const form = document.getElementById("add-mapping");
  if (!form) return;
  const out = document.getElementById("mapping-check");
  const save = document.getElementById("save-mapping");
  const valueMap = document.getElementById("valueMap-row");
  let asked = 0;
  const check = async () => {
    valueMap.hidden = form.transform.value !== "valueMap";
    if (!form.tandemField.value || !form.jiraField.value) { out.textContent = ""; return; }
    const mine = ++asked;
    out.className = "muted"; out.textContent = "Checking…";
    let answer;
    try {
      const response = await fetch("/projects/${key}/mappings/check", { method: "POST", body: new URLSearchParams(new FormData(form)) });
      answer = await response.json();
    } catch {
      answer = { ok: true, problem: null, unchecked: true };
    }
    if (mine !== asked) return;
    out.className = answer.ok ? "ok" : "error";
    out.setAttribute("role", answer.ok ? "status" : "alert");
    out.textContent = answer.unchecked ? "Could not check now (signed out?); saving checks again." : answer.ok ? "✓ These types fit." : answer.problem;
    save.disabled = !answer.ok;
  };
  form.addEventListener("change", check);
  check();
})();
</script>`;

export function mappingPages(app: WebApp, api: Fetcher): void {
  const kit = makeKit(api);

  async function load(c: Context, key: string) {
    const project = await kit.call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return { project, options: null, optionsError: null };
    const options = project.body.connectorId ? await kit.call<Options>(c, "GET", `/projects/${key}/mapping-options`) : null;
    return { project, options: options?.status === 200 ? options.body : null, optionsError: options && options.status !== 200 ? kit.errorOf(options) : null };
  }

  /** Replaces the project's mappings; the API checks every one and refuses the lot with the reasons. */
  async function save(c: Context, key: string, mappings: MappingInput[], notice: string) {
    const result = await kit.call<any[]>(c, "PUT", `/projects/${key}/mappings`, { mappings });
    if (result.status !== 200) return kit.back(c, `/projects/${key}/mappings`, "error", `Not saved: ${kit.errorOf(result)}`);
    return kit.back(c, `/projects/${key}/mappings`, "notice", notice);
  }

  app.get("/projects/:key/mappings", async (c) => {
    const key = c.req.param("key");
    const { project, options, optionsError } = await load(c, key);
    if (project.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(project));
    const p = project.body;
    const body = html`<h1>${p.key} · mappings</h1>${kit.messages(c)}
${!p.connectorId ? html`<section id="mappings-empty"><p>This project is not connected to Jira yet. <a href="/projects/${p.key}">Associate it with a connector</a> first; then map its fields here, or start from a preset.</p></section>`
      : optionsError ? html`<section><div class="error" role="alert">Could not read the Jira site's fields: ${optionsError}</div></section>`
      : mappingSections(kit, c, p, options!)}
<p><a href="/projects/${p.key}">Back to ${p.key}</a></p>${kit.canChange(c) && options ? CHECK_SCRIPT(p.key) : ""}`;
    return c.html(page(`${p.key} · mappings`, body, kit.me(c)));
  });

  app.post("/projects/:key/mappings/check", async (c) => {
    const key = c.req.param("key");
    const input = await kit.form(c);
    const options = await kit.call<Options>(c, "GET", `/projects/${key}/mapping-options`);
    const { mapping, problem } = mappingFromForm(input, options.status === 200 ? options.body : null);
    if (problem) return c.json({ ok: false, problem });
    const result = await kit.call<{ ok: boolean; problem: string | null }>(c, "POST", `/projects/${key}/mappings/check`, mapping);
    if (result.status !== 200) return c.json({ ok: false, problem: kit.errorOf(result) });
    return c.json(result.body);
  });

  app.post("/projects/:key/mappings/add", async (c) => {
    const key = c.req.param("key");
    const { project, options } = await load(c, key);
    if (project.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(project));
    const { mapping, problem } = mappingFromForm(await kit.form(c), options);
    if (problem) return kit.back(c, `/projects/${key}/mappings`, "error", problem);
    return save(c, key, [...strip(project.body.mappings), mapping], `Mapped ${mapping.tandemField} ↔ ${mapping.jiraField}.`);
  });

  app.post("/projects/:key/mappings/remove", async (c) => {
    const key = c.req.param("key");
    const { project } = await load(c, key);
    if (project.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(project));
    const id = (await kit.form(c)).id;
    const kept = (project.body.mappings as any[]).filter((mapping) => mapping.id !== id);
    return save(c, key, strip(kept), "Mapping removed.");
  });

  app.post("/projects/:key/mappings/preset", async (c) => {
    const key = c.req.param("key");
    const preset = (await kit.form(c)).preset;
    const result = await kit.call<any[]>(c, "PUT", `/projects/${key}/mappings`, { preset });
    if (result.status !== 200) return kit.back(c, `/projects/${key}/mappings`, "error", `The ${preset} preset does not fit this project: ${kit.errorOf(result)}`);
    return kit.back(c, `/projects/${key}/mappings`, "notice", `${result.body.length} mappings saved from the ${preset} preset.`);
  });

  // Many Jira statuses onto one Tandem status: one select per Jira status; "by category" leaves it to the category.
  app.post("/projects/:key/mappings/statuses", async (c) => {
    const key = c.req.param("key");
    const { project } = await load(c, key);
    if (project.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(project));
    const input = await kit.form(c);
    const byStatus = Object.fromEntries(Object.entries(input).filter(([name, value]) => name.startsWith("status:") && value).map(([name, value]) => [name.slice("status:".length), value]));
    const mappings = strip(project.body.mappings);
    const existing = mappings.find((mapping) => mapping.transform.kind === "status");
    if (existing) existing.transform = { ...existing.transform, byStatus };
    else mappings.push({ tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status", byStatus } });
    const count = Object.keys(byStatus).length;
    return save(c, key, mappings, `Statuses saved: ${count} Jira status${count === 1 ? "" : "es"} mapped by name, the rest by category.`);
  });

  app.post("/projects/:key/mappings/hierarchy", async (c) => {
    const key = c.req.param("key");
    const input = await kit.form(c);
    const levels = Object.fromEntries(Object.entries(input).filter(([name, value]) => name.startsWith("level:") && value.trim()).map(([name, value]) => [name.slice("level:".length), value]));
    const saved = await kit.call<any>(c, "PUT", `/projects/${key}/hierarchy`, { levels });
    if (saved.status !== 200) return kit.back(c, `/projects/${key}/mappings#hierarchy`, "error", `Levels not saved: ${kit.errorOf(saved)}`);
    const count = Object.keys(levels).length;
    return kit.back(c, `/projects/${key}/mappings#hierarchy`, "notice", `Levels saved: ${count ? `${count} issue type${count === 1 ? "" : "s"} named, the rest by Jira's hierarchy` : "every issue type by Jira's hierarchy"}. The next import applies them.`);
  });

  app.post("/projects/:key/mappings/value-map", async (c) => {
    const key = c.req.param("key");
    const { project } = await load(c, key);
    if (project.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(project));
    const input = await kit.form(c);
    const parsed = parseValueMap(input.valueMap ?? "");
    if (parsed.problem) return kit.back(c, `/projects/${key}/mappings`, "error", parsed.problem);
    const mappings = (project.body.mappings as any[]).map((mapping) => (mapping.id === input.id ? { ...mapping, transform: { kind: "valueMap", map: parsed.map } } : mapping));
    return save(c, key, strip(mappings), "Value map saved.");
  });
}

function mappingSections(kit: Kit, c: Context<any>, p: any, options: Options): Html {
  const editable = kit.canChange(c);
  const tandemName = (key: string) => {
    const field = options.tandemFields.find((entry) => entry.key === key);
    return field ? `${field.name} (${field.type})` : key;
  };
  const jiraName = (id: string) => {
    const field = options.jiraFields.find((entry) => entry.id === id);
    return field ? `${field.name} (${field.type})` : id;
  };
  const mappings = p.mappings as any[];
  const status = mappings.find((mapping) => mapping.transform.kind === "status");
  const byStatus = (status?.transform.byStatus ?? {}) as Record<string, string>;
  const valueMaps = mappings.filter((mapping) => mapping.transform.kind === "valueMap");
  return html`
${editable ? html`<section id="presets"><h2>Presets</h2><p>A preset is a starting configuration for one of the reference roles; it replaces this project's mappings.</p>
<form method="post" action="/projects/${p.key}/mappings/preset" class="inline"><label for="preset-name">Preset</label><select id="preset-name" name="preset">${options.presets.map((preset) => html`<option value="${preset.name}" title="${preset.description}">${preset.name} — ${preset.description}</option>`)}</select> <button id="apply-preset" class="secondary">Apply preset</button></form></section>` : ""}
<section id="fields"><h2>Fields</h2>
${mappings.length === 0 ? html`<p id="no-mappings">No mapping yet: nothing is copied between Tandem and Jira. Add one below, or apply a preset above.</p>`
  : html`<table id="mappings"><thead><tr><th>Tandem field</th><th>Direction</th><th>Jira field</th><th>Transform</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${mappings.map((mapping) => html`<tr data-mapping="${mapping.tandemField}"><td>${tandemName(mapping.tandemField)}</td><td>${mapping.direction === "both" ? "⇄ both" : mapping.direction === "pull" ? "← pull" : "→ push"}</td><td>${jiraName(mapping.jiraField)}</td><td>${mapping.transform.kind}</td>
<td>${editable ? html`<form method="post" action="/projects/${p.key}/mappings/remove" class="inline"><input type="hidden" name="id" value="${mapping.id}"><button class="secondary" aria-label="Remove the mapping of ${mapping.tandemField} to ${mapping.jiraField}">Remove</button></form>` : ""}</td></tr>`)}
</tbody></table>`}
${editable ? html`<h3>Add a field mapping</h3><form method="post" action="/projects/${p.key}/mappings/add" class="grid" id="add-mapping" aria-describedby="mapping-check">
<div><label for="tandemField">Tandem field</label><select id="tandemField" name="tandemField" required><option value="">— pick —</option>${options.tandemFields.map((field) => html`<option value="${field.key}">${field.name} (${field.type})</option>`)}</select></div>
<div><label for="mapping-direction">Direction</label><select id="mapping-direction" name="direction"><option value="pull">← pull (Jira → Tandem)</option><option value="push">→ push (Tandem → Jira)</option><option value="both">⇄ both</option></select></div>
<div><label for="jiraField">Jira field</label><select id="jiraField" name="jiraField" required><option value="">— pick —</option>${options.jiraFields.map((field) => html`<option value="${field.id}">${field.name} (${field.type})</option>`)}</select></div>
<div><label for="transform">Transform</label><select id="transform" name="transform">${TRANSFORMS.map((transform) => html`<option value="${transform.kind}">${transform.label}</option>`)}</select></div>
<div id="valueMap-row" style="grid-column:span 2"><label for="valueMap">Value map (one per line: Jira value = Tandem value)</label><textarea id="valueMap" name="valueMap" rows="3" style="width:100%"></textarea></div>
<div><span class="label">&nbsp;</span><button id="save-mapping">Add mapping</button></div></form>
<div id="mapping-check" aria-live="polite"></div>` : ""}</section>
<section id="statuses"><h2>Statuses</h2><p>Each Jira status becomes a Tandem status. By default its category decides (To Do → Not Started, In Progress → Started, Done → Completed); pick a status to map several Jira statuses onto one.</p>
<form method="post" action="/projects/${p.key}/mappings/statuses"><table id="status-map"><thead><tr><th>Jira status</th><th>Category</th><th>Tandem status</th></tr></thead><tbody>
${options.jiraStatuses.map((jira) => html`<tr><td>${jira.name}</td><td>${jira.category}</td><td><select id="status-${jira.id}" name="status:${jira.name}" aria-label="Tandem status for Jira status ${jira.name}" ${editable ? "" : "disabled"}><option value="">by category (${CATEGORY_DEFAULT[jira.category] ?? "unchanged"})</option>${options.tandemStatuses.map((tandem) => html`<option ${byStatus[jira.name] === tandem ? "selected" : ""}>${tandem}</option>`)}</select></td></tr>`)}
</tbody></table>${editable ? html`<p><button id="save-statuses">Save statuses</button></p>` : ""}</form></section>
<section id="value-maps"><h2>Value maps</h2>${valueMaps.length === 0 ? html`<p class="muted">No value map: add a field mapping with the value map transform (e.g. Jira priority ↔ Tandem importance).</p>` : valueMaps.map((mapping) => html`<form method="post" action="/projects/${p.key}/mappings/value-map"><input type="hidden" name="id" value="${mapping.id}">
<label for="vm-${mapping.id}">${tandemName(mapping.tandemField)} ↔ ${jiraName(mapping.jiraField)} (Jira value = Tandem value)</label><textarea id="vm-${mapping.id}" name="valueMap" rows="${Object.keys(mapping.transform.map).length + 1}" style="width:100%" ${editable ? "" : "readonly"}>${Object.entries(mapping.transform.map as Record<string, string>).map(([jira, tandem]) => `${jira} = ${tandem}\n`).join("")}</textarea>
${editable ? html`<button class="secondary">Save value map</button>` : ""}</form>`)}</section>
<section id="hierarchy"><h2>Hierarchy levels</h2><p>Each Jira issue type becomes a Tandem level when issues are imported: by Jira's hierarchy by default (Initiative &gt; Epic &gt; Story &gt; Sub-task); name another level to change it. The next import applies it.</p>
<form method="post" action="/projects/${p.key}/mappings/hierarchy"><table id="hierarchy-map"><thead><tr><th>Jira issue type</th><th>Jira level</th><th>Tandem level</th></tr></thead><tbody>
${[...options.issueTypes].sort((a, b) => (b.hierarchyLevel ?? 0) - (a.hierarchyLevel ?? 0)).map((type) => html`<tr><td>${type.name}</td><td>${type.hierarchyLevel ?? 0}</td><td><input id="level-${type.id}" name="level:${type.name}" value="${(p.hierarchy ?? {})[type.name] ?? ""}" placeholder="${defaultLevel(type.hierarchyLevel ?? 0)}" aria-label="Tandem level for Jira issue type ${type.name}" size="14" ${editable ? "" : "readonly"}></td></tr>`)}
</tbody></table>${editable ? html`<p><button id="save-hierarchy">Save levels</button></p>` : ""}</form></section>
<section id="people"><h2>People</h2><p>Assignees and reporters are matched to Tandem people by email; <a href="/connectors/${p.connectorId}/people">manual overrides</a> are kept on the connector.</p></section>`;
}
