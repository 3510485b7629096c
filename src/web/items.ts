// A project's items: the table (Jira key typed or searched, multi-select with bulk update and "Create in Jira"),
// an item's page (edit every field, comments from Jira, link/unlink, delete that leaves Jira untouched). Edits of a
// linked item in a push or two-way project are sent to Jira straight away with a Push of that one item.
import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import { jiraIssueUrl, page, when, type Html } from "./layout.ts";
import { CORE, changedValues, display, fieldControl, fieldName, parseField, statusesOf, type FieldDef } from "./item-fields.ts";
import { plainMessage } from "./plain-words.ts";
import { runTitle } from "./history.ts";
import { splitIdentity } from "../connectors/run-identity.ts";
import { apiCaller, back, canChange, errorOf, messages, readForm, signedIn, type Call, type WebEnv, type Fetcher } from "./session-api.ts";

export interface ItemPages {
  routes: Hono<WebEnv>;
  /** The items section of a project's page, from the project's items as GET /projects/{key}/items lists them. */
  section: (c: Context<WebEnv>, project: any, items: any[], jiraSite?: string | null) => Html;
}

/**
 * One run in an item's history, titled as the run history titles it ("Sync (webhook)", "Push (dry run)"); a dry
 * run's changes are what it would have made, and say so.
 */
function historyEntry(entry: any, nameOf: (key: string) => string): Html {
  const changes = entry.changes as any[];
  const listed = html`${changes.map((change, index) => html`${index ? "; " : ""}${nameOf(change.field)} ${change.side === "jira" ? "in Jira" : "in Tandem"} ${display(change.before) || "(empty)"} → ${display(change.after) || "(empty)"}`)}`;
  const outcome = entry.dryRun ? `${entry.outcome === "changed" ? "would change" : entry.outcome} (nothing was written)` : entry.outcome;
  return html`<li data-run="${entry.runId}"${entry.dryRun ? html` class="dry-run"` : ""}><a href="/runs/${entry.runId}">${runTitle(entry)} ${when(entry.startedAt)}</a> · ${outcome}${changes.length ? html`: ${listed}` : ""}</li>`;
}

const SELECT_SCRIPT = `(() => {
  const all = document.getElementById("select-all");
  const boxes = () => [...document.querySelectorAll('input[name="items"][form="bulk"]')];
  const count = document.getElementById("selected-count");
  const update = () => { const n = boxes().filter((box) => box.checked).length; count.textContent = n + " selected"; all.checked = n > 0 && n === boxes().length; all.indeterminate = n > 0 && n < boxes().length; };
  all.addEventListener("change", () => { for (const box of boxes()) box.checked = all.checked; update(); });
  for (const box of boxes()) box.addEventListener("change", update);
  update();
})();`;

// Typing in a Jira key field suggests issues by summary words or key (from Jira, through the API's search).
const SUGGEST_SCRIPT = `(() => {
  for (const input of document.querySelectorAll("input[data-suggest]")) {
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null, asked = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || text === asked || /^[A-Za-z][A-Za-z0-9_]*-\\d+$/.test(text) && list.querySelector('option[value="' + text.toUpperCase() + '"]')) return;
      timer = setTimeout(async () => {
        asked = text;
        try {
          const response = await fetch("/api/v1/projects/" + encodeURIComponent(input.dataset.suggest) + "/search-issues?text=" + encodeURIComponent(text));
          if (!response.ok) return;
          const issues = await response.json();
          list.replaceChildren(...issues.map((issue) => { const option = document.createElement("option"); option.value = issue.key; option.label = issue.key + " · " + (issue.summary || "") + (issue.status ? " (" + issue.status + ")" : ""); return option; }));
        } catch {}
      }, 300);
    });
  }
})();`;

// Quick edit of a row's title and status in place (the item's page edits everything, without JavaScript too).
const QUICK_EDIT_SCRIPT = `(() => {
  const table = document.getElementById("items");
  const live = document.getElementById("inline-status");
  if (!table || !live) return;
  const statuses = JSON.parse(table.dataset.statuses || "[]");
  const button = (text, label) => { const made = document.createElement("button"); made.type = "button"; made.textContent = text; made.setAttribute("aria-label", label); return made; };
  for (const quick of table.querySelectorAll("button.quick-edit")) {
    quick.hidden = false;
    quick.addEventListener("click", () => start(quick.closest("tr")));
  }
  function start(row) {
    if (row.dataset.editing) return;
    row.dataset.editing = "1";
    const key = row.dataset.item;
    const titleCell = row.querySelector("td.title"), statusCell = row.querySelector("td.status"), actions = row.querySelector("td.actions");
    const before = { title: titleCell.textContent, status: statusCell.textContent };
    const kept = [...actions.childNodes];
    const title = document.createElement("input");
    title.value = before.title;
    title.setAttribute("aria-label", "Title of " + key);
    const status = document.createElement("select");
    status.setAttribute("aria-label", "Status of " + key);
    for (const value of statuses) { const option = document.createElement("option"); option.textContent = value; option.selected = value === before.status; status.append(option); }
    const save = button("Save", "Save " + key), cancel = button("Cancel", "Cancel editing " + key);
    cancel.className = "secondary";
    titleCell.replaceChildren(title);
    statusCell.replaceChildren(status);
    actions.replaceChildren(save, " ", cancel);
    title.focus();
    const finish = (values) => {
      titleCell.textContent = values.title;
      statusCell.textContent = values.status || "";
      actions.replaceChildren(...kept);
      delete row.dataset.editing;
      row.onkeydown = null;
      kept.find((node) => node.classList && node.classList.contains("quick-edit"))?.focus();
    };
    cancel.addEventListener("click", () => finish(before));
    row.onkeydown = (event) => {
      if (event.key === "Escape") finish(before);
      if (event.key === "Enter" && event.target === title) save.click();
    };
    save.addEventListener("click", async () => {
      save.disabled = true;
      live.className = "";
      live.textContent = "Saving " + key + "…";
      try {
        // The push this causes is the person's own run: the page's live updates do not reload for it.
        const response = await fetch("/items/" + encodeURIComponent(key), { method: "POST", headers: { "X-Tandem-Inline": "1" }, body: new URLSearchParams({ "v.title": title.value, "v.status": status.value }) });
        const answer = await response.json();
        live.textContent = answer.message;
        live.className = answer.ok ? "ok" : "bad";
        if (answer.values) finish({ title: answer.values.title, status: answer.values.status });
        else save.disabled = false;
      } catch {
        live.className = "bad";
        live.textContent = key + " was not saved: the answer could not be read. Reload the page (you may need to sign in again) and try again.";
        save.disabled = false;
      }
    });
  }
})();`;

export function itemPages(api: Fetcher): ItemPages {
  const app = new Hono<WebEnv>();
  const call = apiCaller(api);

  /** `jiraSite` (the connector's site URL) makes each Jira key a link to its issue in Jira. */
  function section(c: Context<WebEnv>, p: any, items: any[], jiraSite: string | null = null): Html {
    const editable = canChange(signedIn(c));
    const extra = (p.fields as FieldDef[]).slice(0, 4);
    const connected = Boolean(p.connectorId);
    // A pull-only project never writes to Jira: it offers no "Create in Jira" (the API would refuse it).
    const creates = connected && p.direction !== "pull";
    const otherFields = (p.fields as FieldDef[]).filter((field) => field.type !== "status");
    return html`<section id="items-section" aria-labelledby="items-title"><h2 id="items-title">Items</h2>
${editable ? html`<p><form method="post" action="/projects/${p.key}/items" class="inline"><input name="title" placeholder="A new item" aria-label="New item title" required> <button id="add-item">Add item</button></form>
${connected ? html` · <a id="import-link" href="/projects/${p.key}/import">Import issues from Jira</a>` : ""}</p>` : ""}
${items.length === 0 ? html`<p id="no-items">No items yet. ${editable ? html`Add one above${connected ? html`, or <a href="/projects/${p.key}/import">import issues from Jira</a>` : ", or connect the project to Jira and import its issues"}.` : "A member can add items or import them from Jira."}</p>` : html`
<p id="inline-status" role="status" aria-live="polite"></p>
<table id="items" data-statuses="${JSON.stringify(statusesOf(p.mappings ?? []))}"><caption class="muted" style="text-align:left">${items.length} items${editable ? html` · <span id="selected-count" aria-live="polite">0 selected</span>` : ""}</caption>
<thead><tr>${editable ? html`<th><input type="checkbox" id="select-all" aria-label="Select all items"></th>` : ""}<th>Key</th><th>Jira</th><th>Title</th><th>Status</th><th>Assignee</th>${extra.map((field) => html`<th>${field.name}</th>`)}<th>Actions</th></tr></thead><tbody>
${items.map((item) => html`<tr data-item="${item.key}">${editable ? html`<td><input type="checkbox" form="bulk" name="items" value="${item.key}" aria-label="Select ${item.key}"></td>` : ""}
<td class="nowrap"><a href="/items/${item.key}" aria-label="Open ${item.key}">${item.key}</a></td>
<td class="jira">${item.link ? (jiraSite ? html`<a class="jira-key nowrap" href="${jiraIssueUrl(jiraSite, item.link.jiraKey)}" target="_blank" rel="noopener" aria-label="${item.link.jiraKey} in Jira (opens a new tab)">${item.link.jiraKey} ↗</a>` : html`<span class="jira-key">${item.link.jiraKey}</span>`) : editable && connected ? html`<form method="post" action="/items/${item.key}/link?project=${p.key}" class="inline"><input name="jiraKey" placeholder="ABC-123" size="12" aria-label="Jira key of ${item.key}" list="suggest-${item.key}" autocomplete="off" data-suggest="${p.key}"><datalist id="suggest-${item.key}"></datalist><button>Link</button></form> <a href="/items/${item.key}/find" aria-label="Search Jira for the issue of ${item.key}">Search</a>${creates ? html` · <a class="create-one" href="/projects/${p.key}/create?items=${item.key}" aria-label="Create a Jira issue from ${item.key}">Create in Jira</a>` : ""}` : html`<span class="muted">not linked</span>`}</td>
<td class="title">${item.values.title}</td><td class="status">${item.values.status ?? ""}</td><td class="assignee">${display(item.values.assignee)}</td>${extra.map((field) => html`<td>${display(item.values[field.key])}</td>`)}
<td class="actions">${editable ? html`<button type="button" class="quick-edit secondary" hidden aria-label="Quick edit ${item.key}">Quick edit</button> <a href="/items/${item.key}" aria-label="Edit every field of ${item.key}">Edit</a>` : html`<a href="/items/${item.key}" aria-label="View ${item.key}">View</a>`}</td></tr>`)}
</tbody></table>
${editable ? html`<form method="post" action="/projects/${p.key}/bulk" id="bulk"><fieldset><legend>Change the selected items</legend><div class="grid">
<div><label for="bulk-status">Status</label><select id="bulk-status" name="status"><option value="">(keep)</option>${statusesOf(p.mappings ?? []).map((status) => html`<option>${status}</option>`)}</select></div>
<div><label for="bulk-assignee">Assignee</label><input id="bulk-assignee" name="assignee" type="email" placeholder="(keep)"></div>
<div><label for="bulk-field">Another field</label><select id="bulk-field" name="field"><option value="">(none)</option>${otherFields.map((field) => html`<option value="${field.key}">${field.name}</option>`)}</select></div>
<div><label for="bulk-value">Its new value</label><input id="bulk-value" name="value" aria-describedby="bulk-value-hint"><small id="bulk-value-hint" class="muted">For a list (labels): values separated by commas.</small></div>
</div><p><button id="bulk-update" name="action" value="update">Update selected</button> ${creates ? html`<button id="bulk-create" name="action" value="create" class="secondary">Create in Jira…</button>` : ""}</p></fieldset></form>
<script>${raw(SELECT_SCRIPT)}${raw(QUICK_EDIT_SCRIPT)}${raw(SUGGEST_SCRIPT)}</script>` : ""}`}</section>`;
  }

  app.post("/projects/:key/items", async (c) => {
    const key = c.req.param("key");
    const result = await call<any>(c, "POST", `/projects/${key}/items`, { values: { title: (await readForm(c)).one.title } });
    if (result.status !== 201) return back(c, `/projects/${key}`, "error", errorOf(result));
    return back(c, `/projects/${key}`, "notice", `Added ${result.body.key}.`);
  });

  app.post("/items/:key/link", async (c) => {
    const input = (await readForm(c)).one;
    const item = c.req.param("key");
    const target = c.req.query("project") ? `/projects/${c.req.query("project")}` : `/items/${item}`;
    const result = await call(c, "PUT", `/items/${item}/link`, { jiraKey: (input.jiraKey ?? "").trim() });
    if (result.status !== 200) return back(c, target, "error", `${item} was not linked: ${errorOf(result)}`);
    return back(c, target, "notice", `${item} linked to ${input.jiraKey?.trim().toUpperCase()}.`);
  });

  app.post("/items/:key/unlink", async (c) => {
    const item = c.req.param("key");
    const result = await call(c, "DELETE", `/items/${item}/link`);
    if (result.status !== 204) return back(c, `/items/${item}`, "error", errorOf(result));
    return back(c, `/items/${item}`, "notice", `${item} is no longer linked. The Jira issue is untouched; link it again at any time.`);
  });

  // Search Jira by summary or key for the issue to link.
  app.get("/items/:key/find", async (c) => {
    const key = c.req.param("key");
    const loaded = await loadItem(call, c, key);
    if ("error" in loaded) return back(c, "/projects", "error", loaded.error);
    const text = (c.req.query("text") ?? "").trim();
    const found = text ? await call<any[]>(c, "GET", `/projects/${loaded.project.key}/search-issues?text=${encodeURIComponent(text)}`) : null;
    const body = html`<p><a href="/projects/${loaded.project.key}">← ${loaded.project.key}</a></p><h1>Find the Jira issue of ${key}</h1>${messages(c)}
<section><form method="get" role="search"><label for="search-text">Summary words or an issue key</label><input id="search-text" name="text" value="${text}" required autofocus> <button id="search">Search</button></form></section>
${found === null ? "" : found.status !== 200 ? html`<div class="error" role="alert">The search failed: ${errorOf(found)}</div>` : html`<section>${found.body.length === 0 ? html`<p id="no-results">No issue in ${loaded.project.jiraProjects.join(", ")} matches '${text}'. Try other words, or the issue key.</p>` : html`<table id="results"><thead><tr><th>Key</th><th>Summary</th><th>Status</th><th></th></tr></thead><tbody>
${found.body.map((issue) => html`<tr><td>${issue.key}</td><td>${issue.summary}</td><td>${issue.status ?? ""}</td><td><form method="post" action="/items/${key}/link" class="inline"><input type="hidden" name="jiraKey" value="${issue.key}"><button aria-label="Link ${key} to ${issue.key}">Link</button></form></td></tr>`)}</tbody></table>`}</section>`}`;
    return c.html(page(`Find ${key}`, body, signedIn(c)));
  });

  app.get("/items/:key", async (c) => {
    const key = c.req.param("key");
    const loaded = await loadItem(call, c, key);
    if ("error" in loaded) return back(c, "/projects", "error", loaded.error);
    const { item, project } = loaded;
    const editable = canChange(signedIn(c));
    const fields = [...CORE, ...(project.fields as FieldDef[])];
    const statuses = statusesOf(project.mappings ?? []);
    const pushes = item.link && project.direction !== "pull";
    // The page's other reads at once: the issue's comments and the connector's site (for a linked item), the history.
    const [comments, history, connector] = await Promise.all([
      item.link ? call<any[]>(c, "GET", `/items/${key}/comments`) : null,
      call<any[]>(c, "GET", `/items/${key}/history`),
      item.link && project.connectorId ? call<any>(c, "GET", `/connectors/${encodeURIComponent(project.connectorId)}`) : null,
    ]);
    const site: string | null = connector?.status === 200 ? connector.body.siteUrl ?? null : null;
    const nameOf = fieldName(project);
    const body = html`<p><a href="/projects/${project.key}">← ${project.key}</a></p><h1>${item.key} · ${item.values.title}</h1>${messages(c)}
<section id="jira-link"><h2>Jira</h2>${item.link
      ? html`<p>Linked to <strong id="linked-key">${item.link.jiraKey}</strong>${site ? html` (<a id="open-in-jira" href="${jiraIssueUrl(site, item.link.jiraKey)}" target="_blank" rel="noopener">open it in Jira ↗</a>)` : ""}.${pushes ? " Saving sends your changes to it." : " This project only pulls: changes here stay in Tandem."}</p>${editable ? html`<form method="post" action="/items/${key}/unlink" class="inline"><button class="secondary" id="unlink">Unlink</button></form>` : ""}`
      : html`<p>Not linked to a Jira issue.</p>${editable && project.connectorId ? html`<form method="post" action="/items/${key}/link" class="inline"><label for="link-key" style="display:inline">Jira key</label> <input id="link-key" name="jiraKey" placeholder="ABC-123" size="10"> <button>Link</button></form>
 · <a href="/items/${key}/find">Search Jira</a>${project.direction === "pull" ? "" : html` · <a id="create-in-jira" href="/projects/${project.key}/create?items=${key}">Create a Jira issue from it</a>`}` : ""}`}</section>
<section id="edit"><h2>Fields</h2>${editable
      ? html`<form method="post" action="/items/${key}" id="edit-form"><div class="grid">${fields.map((field) => fieldControl(field, item.values[field.key], `f-${field.key}`, statuses))}</div><p><button id="save">Save${pushes ? " and push to Jira" : ""}</button></p></form>`
      : html`<dl>${fields.map((field) => html`<dt><strong>${field.name}</strong></dt><dd class="value-${field.key}" style="white-space:pre-wrap">${display(item.values[field.key]) || html`<span class="muted">(empty)</span>`}</dd>`)}</dl>`}</section>
<section id="comments" aria-labelledby="comments-title"><h2 id="comments-title">Comments</h2>${comments === null
      ? html`<p class="muted">Comments live on the Jira issue: link this item or create its issue first.</p>`
      : comments.status !== 200 ? html`<div class="error" role="alert">The comments could not be read from Jira: ${errorOf(comments)}</div>`
      : html`${comments.body.length === 0 ? html`<p class="muted" id="no-comments">No comments on ${item.link.jiraKey} yet.</p>` : html`<ol id="comment-list" style="list-style:none;padding:0">${comments.body.map((comment) => html`<li class="comment" style="border-bottom:1px solid #eceff3;padding:6px 0"><strong class="author">${comment.author ?? "Someone"}</strong>${comment.viaTandem ? html` <span class="muted via">via Tandem, as ${comment.jiraAuthor?.displayName ?? "the connector's account"}</span>` : ""} <span class="muted">${when(comment.created)}</span><div class="body" style="white-space:pre-wrap">${comment.body}</div></li>`)}</ol>`}
${editable && pushes ? html`<form method="post" action="/items/${key}/comments"><label for="comment">Add a comment to ${item.link.jiraKey}</label><textarea id="comment" name="body" rows="3" style="width:100%" required></textarea><p><button id="add-comment">Add comment</button></p></form>` : ""}`}</section>
<section><h2>History</h2>${history.status === 200 && history.body.length ? html`<ul id="item-history">${history.body.map((entry) => historyEntry(entry, nameOf))}</ul>` : html`<p class="muted">No run has touched this item yet.</p>`}</section>
${editable ? html`<section><h2>Delete</h2><p>Deleting removes ${item.key} from Tandem${item.link ? html`; the Jira issue ${item.link.jiraKey} is untouched` : ""}.</p><a id="delete" href="/items/${key}/delete">Delete ${item.key}…</a></section>` : ""}`;
    return c.html(page(item.key, body, signedIn(c)));
  });

  // Saves an item's edits (from its page, or from the table's quick edit, which asks for a JSON answer).
  app.post("/items/:key", async (c) => {
    const key = c.req.param("key");
    const inline = c.req.header("X-Tandem-Inline") === "1";
    const answer = (ok: boolean, message: string, values?: Record<string, unknown>) =>
      inline ? c.json({ ok, message, values: values ?? null }, 200) : back(c, `/items/${key}`, ok ? "notice" : "error", message);
    const loaded = await loadItem(call, c, key);
    if ("error" in loaded) return inline ? answer(false, loaded.error) : back(c, "/projects", "error", loaded.error);
    const { item, project } = loaded;
    const { values, problems } = changedValues([...CORE, ...(project.fields as FieldDef[])], (await readForm(c)).one, item.values);
    if (problems.length) return answer(false, `Nothing was saved: ${problems.join(" ")}`);
    if (Object.keys(values).length === 0) return answer(true, `${key}: nothing changed.`, item.values);
    const saved = await call<any>(c, "PATCH", `/items/${key}`, { values });
    if (saved.status !== 200) return answer(false, `Nothing was saved: ${errorOf(saved)}`);
    const names = Object.keys(values).join(", ");
    if (!item.link || project.direction === "pull") return answer(true, `Saved ${names} of ${key}.`, saved.body.values);
    const pushed = await pushOne(call, c, project, item);
    return answer(pushed.ok, pushed.ok ? `Saved ${names} of ${key} and pushed to ${item.link.jiraKey}.` : `Saved ${names} of ${key} in Tandem, but ${pushed.message}`, saved.body.values);
  });

  app.post("/items/:key/comments", async (c) => {
    const key = c.req.param("key");
    const text = (await readForm(c)).one.body ?? "";
    const result = await call<any>(c, "POST", `/items/${key}/comments`, { body: text.replace(/\r\n/g, "\n").trim() });
    if (result.status !== 201) return back(c, `/items/${key}`, "error", `The comment was not added: ${errorOf(result)}`);
    return back(c, `/items/${key}`, "notice", `Comment added to ${result.body.jiraKey} as ${result.body.writtenAs}.`);
  });

  app.get("/items/:key/delete", async (c) => {
    const key = c.req.param("key");
    const loaded = await loadItem(call, c, key);
    if ("error" in loaded) return back(c, "/projects", "error", loaded.error);
    const { item, project } = loaded;
    const body = html`<h1>Delete ${item.key}?</h1><section role="alertdialog" aria-labelledby="confirm-text"><p id="confirm-text">${item.key} “${item.values.title}” will be removed from Tandem with its history links.
${item.link ? html`<strong>The Jira issue ${item.link.jiraKey} is untouched</strong>: it stays in Jira as it is, and can be linked to another item later.` : "It is not linked to Jira, so nothing in Jira is concerned."}</p>
<form method="post" action="/items/${key}/delete" class="inline"><button id="confirm-delete">Delete ${item.key}</button></form> <a href="/items/${key}">Keep it</a> · <a href="/projects/${project.key}">Back to ${project.key}</a></section>`;
    return c.html(page(`Delete ${item.key}`, body, signedIn(c)));
  });

  app.post("/items/:key/delete", async (c) => {
    const key = c.req.param("key");
    const loaded = await loadItem(call, c, key);
    if ("error" in loaded) return back(c, "/projects", "error", loaded.error);
    const result = await call<any>(c, "DELETE", `/items/${key}`);
    if (result.status !== 200) return back(c, `/items/${key}`, "error", errorOf(result));
    return back(c, `/projects/${loaded.project.key}`, "notice", `Deleted ${result.body.deleted}.${result.body.jiraIssueUntouched ? ` The Jira issue ${result.body.jiraIssueUntouched} is untouched.` : ""}`);
  });

  app.post("/projects/:key/bulk", async (c) => {
    const key = c.req.param("key");
    const form = await readForm(c);
    const chosen = form.all("items");
    if (chosen.length === 0) return back(c, `/projects/${key}`, "error", "Select one or more items first (the boxes in the first column).");
    if (form.one.action === "create") return c.redirect(`/projects/${key}/create?items=${encodeURIComponent(chosen.join(","))}`, 303);
    const project = await call<any>(c, "GET", `/projects/${key}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    const values: Record<string, unknown> = {};
    if (form.one.status) values.status = form.one.status;
    if (form.one.assignee?.trim()) values.assignee = form.one.assignee.trim();
    if (form.one.field) {
      const field = (project.body.fields as FieldDef[]).find((candidate) => candidate.key === form.one.field);
      if (!field) return back(c, `/projects/${key}`, "error", `'${form.one.field}' is not a field of ${key}.`);
      const parsed = parseField(field, form.one.value ?? "");
      if (!parsed.ok) return back(c, `/projects/${key}`, "error", `Nothing was changed: ${parsed.problem}`);
      values[field.key] = parsed.value;
    }
    if (Object.keys(values).length === 0) return back(c, `/projects/${key}`, "error", "Choose what to change: a status, an assignee, or another field and its value.");
    const result = await call<any>(c, "POST", `/projects/${key}/bulk-edit`, { items: chosen, values });
    if (result.status !== 200) return back(c, `/projects/${key}`, "error", `Nothing was changed: ${errorOf(result)}`);
    const { updated, failed, run } = result.body as { updated: string[]; failed: { item: string; reason: string }[]; run: any };
    const identity = run?.identity ? splitIdentity(String(run.identity)).account : "Tandem";
    const jiraKeys = new Map(((await call<any[]>(c, "GET", `/projects/${key}/items`)).body ?? []).map((item) => [item.key, item.link?.jiraKey ?? null]));
    const body = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Bulk update of ${chosen.length} items</h1>
<section id="bulk-result"><p class="ok" role="status">${updated.length - failed.filter((entry) => updated.includes(entry.item)).length} of ${chosen.length} updated${run ? html` and pushed to Jira (<a href="/runs/${run.id}">the run</a>)` : ""}.</p>
${failed.length ? html`<div class="error" role="alert"><p><strong>${failed.length} could not be done:</strong></p><ul id="bulk-failures">${failed.map((entry) => {
      const jiraKey = jiraKeys.get(entry.item) ?? null;
      const plain = plainMessage(entry.reason, { identity, jiraKey });
      return html`<li data-item="${entry.item}"><strong>${entry.item}${jiraKey ? ` (${jiraKey})` : ""}</strong>: ${plain.text}${plain.fix ? html` <em>${plain.fix}</em>` : ""}</li>`;
    })}</ul></div>` : ""}
<p><a href="/projects/${key}">Back to the items</a></p></section>`;
    return c.html(page("Bulk update", body, signedIn(c)));
  });

  return { routes: app, section };
}

/** An item with its project (fields, mappings, direction), or a message saying what is wrong. */
async function loadItem(call: Call, c: Context, key: string): Promise<{ item: any; project: any } | { error: string }> {
  const items = await call<any>(c, "GET", `/items/${key}/history`);
  if (items.status === 404) return { error: `There is no item ${key}; it may have been deleted.` };
  const projects = await call<any[]>(c, "GET", "/projects");
  for (const candidate of projects.body ?? []) {
    if (!key.toUpperCase().startsWith(`${candidate.key}-`)) continue;
    const list = await call<any[]>(c, "GET", `/projects/${candidate.key}/items`);
    const item = (list.body ?? []).find((entry) => entry.key === key.toUpperCase());
    if (!item) continue;
    const project = await call<any>(c, "GET", `/projects/${candidate.key}`);
    return { item, project: project.body };
  }
  return { error: `There is no item ${key}; it may have been deleted.` };
}

/** Sends one item's edits to its Jira issue; what went wrong, in plain words, when it did. */
async function pushOne(call: Call, c: Context, project: any, item: any): Promise<{ ok: true } | { ok: false; message: string }> {
  const result = await call<any>(c, "POST", `/projects/${project.key}/push`, { items: [item.id] });
  if (result.status !== 200) return { ok: false, message: `it was not pushed to Jira: ${errorOf(result)}` };
  const entry = (result.body.items as any[]).find((candidate) => candidate.itemKey === item.key);
  if (!entry || (entry.outcome !== "warning" && entry.outcome !== "failed" && entry.outcome !== "conflict")) return { ok: true };
  const identity = splitIdentity(String(result.body.run.identity)).account;
  const said = (entry.messages as string[]).map((message) => {
    const plain = plainMessage(message, { identity, jiraKey: item.link.jiraKey });
    return plain.fix ? `${plain.text} ${plain.fix}` : plain.text;
  });
  return { ok: false, message: `Jira did not take all of it: ${said.join(" ")}` };
}
