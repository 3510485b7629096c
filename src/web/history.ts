// The run history: a project's runs with filters (kind, outcome), one run's items with before → after and its
// warnings and errors in plain words, conflicts side by side with the value to keep, and the live activity panel
// that shows runs finishing (from the API's event feed) without a reload.
import { Hono, type Context } from "hono";
import { html, raw } from "hono/html";
import { page, when, type Html } from "./layout.ts";
import { fieldName } from "./item-fields.ts";
import { plainMessage } from "./plain-words.ts";
import { splitIdentity } from "../connectors/run-identity.ts";
import { apiCaller, back, canChange, errorOf, messages, readForm, signedIn, type Fetcher, type WebEnv } from "./session-api.ts";

const KINDS = { pull: "Pull", push: "Push", sync: "Sync" } as Record<string, string>;
const RUN_STATUSES = { succeeded: "Succeeded", partial: "With warnings or conflicts", failed: "Failed", running: "Running" } as Record<string, string>;
const ITEM_OUTCOMES = ["changed", "unchanged", "warning", "failed", "conflict"] as const;

const outcomeClass = (outcome: string) => (outcome === "failed" ? "bad" : outcome === "warning" || outcome === "conflict" ? "warn" : outcome === "changed" ? "ok" : "muted");
const statusClass = (status: string) => (status === "failed" ? "bad" : status === "partial" ? "warn" : "ok");
const show = (value: unknown) => (value === null || value === undefined || value === "" ? "(empty)" : typeof value === "string" ? value : JSON.stringify(value));
/**
 * What started a run when it was not a person's button — a webhook delivery, a catch-up, the demo's setup — from
 * the run's identity ("webhook, as …"), or from who started it for runs whose identity does not say.
 */
function triggerOf(run: { userId?: string; identity?: string }): string | null {
  const { trigger } = splitIdentity(run.identity ?? "");
  if (trigger) return trigger;
  if (run.userId === "webhook") return "webhook";
  if (run.userId === "catch-up" || run.userId === "scheduler") return "catch-up";
  return null;
}

/** The Jira account a run acted as, to follow "as" ("tandem-sync@… (service account of 'Acme')"). */
const accountOf = (run: { identity?: string }) => splitIdentity(run.identity ?? "").account;

/** "Pull", "Sync (webhook)", "Push (dry run)": what kind of run, and what started it when no one clicked. */
export function runTitle(run: { kind: string; dryRun?: boolean; userId?: string; identity?: string }): string {
  const trigger = triggerOf(run);
  return `${KINDS[run.kind] ?? run.kind}${trigger ? ` (${trigger})` : ""}${run.dryRun ? " (dry run)" : ""}`;
}

const DRY_RUN_NOTE = /^dry run: nothing was written$/i;

export function historyPages(api: Fetcher): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const call = apiCaller(api);

  app.get("/projects/:key/runs", async (c) => {
    const key = c.req.param("key");
    const kind = c.req.query("kind") ?? "";
    const status = c.req.query("status") ?? "";
    const result = await call<any[]>(c, "GET", `/projects/${key}/runs${KINDS[kind] ? `?kind=${kind}` : ""}`);
    if (result.status !== 200) return back(c, "/projects", "error", errorOf(result));
    const runs = result.body.filter((run) => !RUN_STATUSES[status] || run.status === status);
    const option = (value: string, label: string, current: string) => html`<option value="${value}" ${value === current ? "selected" : ""}>${label}</option>`;
    const body = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Run history of ${key}</h1>${messages(c)}
<section><form method="get" class="grid" aria-label="Filter runs">
<div><label for="kind">Kind</label><select id="kind" name="kind">${option("", "All kinds", kind)}${Object.entries(KINDS).map(([value, label]) => option(value, label, kind))}</select></div>
<div><label for="status">Outcome</label><select id="status" name="status">${option("", "All outcomes", status)}${Object.entries(RUN_STATUSES).map(([value, label]) => option(value, label, status))}</select></div>
<div><label>&nbsp;</label><button id="filter-runs">Show</button></div></form></section>
<section>${runs.length === 0
      ? html`<p id="no-runs">No runs ${kind || status ? "match these filters" : "yet"}. ${kind || status ? html`<a href="/projects/${key}/runs">Show all runs</a>.` : html`Start one with Pull or Push on the <a href="/projects/${key}">project page</a>.`}</p>`
      : html`<table id="runs"><thead><tr><th>Started</th><th>Kind</th><th>Outcome</th><th>Items</th><th>As</th></tr></thead><tbody>
${runs.map((run) => html`<tr data-run="${run.id}"><td><a href="/runs/${run.id}">${when(run.startedAt)}</a></td><td>${runTitle(run)}</td>
<td class="${statusClass(run.status)}">${RUN_STATUSES[run.status] ?? run.status}</td><td>${counts(run.counts)}</td><td>${accountOf(run)}</td></tr>`)}</tbody></table>`}</section>`;
    return c.html(page(`${key} history`, body, signedIn(c)));
  });

  app.get("/runs/:id", async (c) => {
    const outcome = c.req.query("outcome") ?? "";
    const wanted = (ITEM_OUTCOMES as readonly string[]).includes(outcome) ? outcome : "";
    const result = await call<any>(c, "GET", `/runs/${c.req.param("id")}${wanted ? `?outcome=${wanted}` : ""}`);
    if (result.status !== 200) return back(c, "/projects", "error", `${errorOf(result)} Open the run again from the project's history.`);
    const { run, items } = result.body as { run: any; items: any[] };
    const found = await call<any>(c, "GET", `/projects/${encodeURIComponent(run.projectId)}`);
    const project = found.status === 200 ? found.body : null;
    // The run's items held as conflicts, with the open ones side by side (none to look up when it held none).
    const held = new Set(items.filter((item) => item.outcome === "conflict").map((item) => item.itemId));
    const conflicts = project && held.size ? await conflictsOf(c, project, held) : "";
    const who = accountOf(run);
    const nameOf = fieldName(project);
    const editable = canChange(signedIn(c));
    // A dry run's note is the same for every item: said once at the top, with the way to run it for real.
    const messagesOf = (item: any) => (item.messages as string[]).filter((message) => !(run.dryRun && DRY_RUN_NOTE.test(message)));
    const dryRunNote = run.dryRun
      ? html`<div id="dry-run-note" class="notice" role="note">Dry run: nothing was written to Jira or Tandem. The changes below are what a real ${KINDS[run.kind] ?? run.kind} would make.
${project && editable && KINDS[run.kind] ? html` <form method="post" action="/projects/${project.key}/run" class="inline"><input type="hidden" name="kind" value="${run.kind}"><button id="run-for-real">${KINDS[run.kind]} for real</button></form>` : ""}</div>`
      : "";
    const body: Html = html`${project ? html`<p><a href="/projects/${project.key}">← ${project.key}</a> · <a href="/projects/${project.key}/runs">all runs</a></p>` : ""}
<h1>${runTitle(run)}</h1>${messages(c)}
<section><p id="run-status" class="${statusClass(run.status)}"><strong>${run.status}</strong> · ${when(run.startedAt)} · as ${accountOf(run)}</p>
${dryRunNote}
${run.error ? html`<div class="error" role="alert">${run.error}</div>` : ""}
<p>${counts(run.counts)}</p>
<form method="get" class="inline" aria-label="Filter items"><label for="outcome" style="display:inline">Show items</label> <select id="outcome" name="outcome"><option value="">all</option>${ITEM_OUTCOMES.map((value) => html`<option ${value === wanted ? "selected" : ""}>${value}</option>`)}</select> <button class="secondary">Show</button></form></section>
${conflicts}
<section>${items.length === 0 ? html`<p class="muted">No items ${wanted ? html`with outcome ${wanted} in this run. <a href="/runs/${run.id}">Show all items</a>.` : "in this run."}</p>` : html`<table id="run-items"><thead><tr><th>Item</th><th>Jira</th><th>Outcome</th><th>Changes (before → after)</th><th>Warnings and errors</th></tr></thead><tbody>
${items.map((item) => html`<tr data-item="${item.itemKey}"><td>${item.itemKey}</td><td>${item.jiraKey ?? ""}</td><td class="${outcomeClass(item.outcome)}">${item.outcome}</td>
<td>${(item.changes as any[]).map((change) => html`<div class="change"><strong>${nameOf(change.field)}</strong> ${change.side === "jira" ? "in Jira" : "in Tandem"}: <del>${show(change.before)}</del> → <ins>${show(change.after)}</ins></div>`)}</td>
<td>${messagesOf(item).map((message) => {
        const plain = plainMessage(message, { identity: who, jiraKey: item.jiraKey });
        return html`<div class="message"><p class="plain">${plain.text}</p>${plain.fix ? html`<p class="fix"><strong>What to do:</strong> ${plain.fix}</p>` : ""}${plain.detail !== plain.text ? html`<details><summary>Details</summary><code>${plain.detail}</code></details>` : ""}</div>`;
      })}</td></tr>`)}
</tbody></table>`}</section>`;
    return c.html(page("Run", body, signedIn(c)));
  });

  /**
   * Open conflicts of a project (GET /projects/{key}'s answer, with its mappings; only the conflicts of `itemIds` when
   * given), each field side by side with the choices.
   */
  async function conflictsOf(c: Context<WebEnv>, project: any, itemIds?: Set<string>): Promise<Html | string> {
    const listed = await call<any[]>(c, "GET", `/projects/${encodeURIComponent(project.key)}/conflicts`);
    if (listed.status !== 200) return "";
    const open = listed.body.filter((conflict) => !itemIds || itemIds.has(conflict.itemId));
    if (open.length === 0) return itemIds ? "" : html`<section><p id="no-conflicts">No open conflicts: every field agrees with Jira or was settled by the project's conflict policy.</p></section>`;
    const items = await call<any[]>(c, "GET", `/projects/${encodeURIComponent(project.key)}/items`);
    const mappings = new Map<string, any>((project.mappings ?? []).map((mapping: any) => [mapping.id, mapping]));
    const itemKeys = new Map<string, any>((items.body ?? []).map((item: any) => [item.id, item]));
    const editable = canChange(signedIn(c));
    return html`<section id="conflicts" aria-labelledby="conflicts-title"><h2 id="conflicts-title">Conflicts to resolve</h2>
<p>Each field below was changed on both sides since the last sync. Choose the value to keep; the other side is updated on the next sync.</p>
${open.map((conflict) => {
      const mapping = mappings.get(conflict.mappingId);
      const item = itemKeys.get(conflict.itemId);
      const field = mapping?.tandemField ?? "a field";
      return html`<div class="conflict" data-conflict="${conflict.id}" style="border:1px solid #dde1e7;border-radius:6px;padding:10px;margin-bottom:10px">
<h3 style="margin:0 0 8px">${item?.key ?? "An item"}${item?.link ? ` (${item.link.jiraKey})` : ""} · ${field}</h3>
<div style="display:grid;grid-template-columns:1fr 1fr;gap:12px">
<div class="side tandem"><h4 style="margin:0">In Tandem</h4><p class="value">${show(conflict.tandem)}</p>${editable ? html`<form method="post" action="/conflicts/${conflict.id}/resolve?back=${encodeURIComponent(c.req.path)}"><input type="hidden" name="keep" value="tandem"><button aria-label="Keep Tandem's ${field} of ${item?.key ?? "the item"}">Keep Tandem's value</button></form>` : ""}</div>
<div class="side jira"><h4 style="margin:0">In Jira</h4><p class="value">${show(conflict.jira)}</p>${editable ? html`<form method="post" action="/conflicts/${conflict.id}/resolve?back=${encodeURIComponent(c.req.path)}"><input type="hidden" name="keep" value="jira"><button aria-label="Keep Jira's ${field} of ${item?.key ?? "the item"}">Keep Jira's value</button></form>` : ""}</div>
</div></div>`;
    })}</section>`;
  }

  app.get("/projects/:key/conflicts", async (c) => {
    const key = c.req.param("key");
    const project = await call<any>(c, "GET", `/projects/${encodeURIComponent(key)}`);
    if (project.status !== 200) return back(c, "/projects", "error", errorOf(project));
    const body = html`<p><a href="/projects/${key}">← ${key}</a></p><h1>Conflicts in ${key}</h1>${messages(c)}${await conflictsOf(c, project.body)}`;
    return c.html(page(`${key} conflicts`, body, signedIn(c)));
  });

  app.post("/conflicts/:id/resolve", async (c) => {
    const input = await readForm(c);
    const target = c.req.query("back")?.startsWith("/") ? c.req.query("back")! : "/projects";
    const result = await call<any>(c, "POST", `/conflicts/${c.req.param("id")}/resolve`, { keep: input.one.keep });
    if (result.status === 404) return back(c, target, "error", "This conflict is no longer open: someone settled it already, or a newer sync replaced it. Reload the page to see what is open now.");
    if (result.status !== 200) return back(c, target, "error", errorOf(result));
    const side = result.body.kept === "jira" ? "Jira's" : "Tandem's";
    return back(c, target, "notice", `Kept ${side} ${result.body.field} for ${result.body.item}. ${result.body.kept === "tandem" ? "The next Push or Sync sends it to Jira." : ""}`.trim());
  });

  return app;
}

function counts(byOutcome: Record<string, number>): Html {
  const entries = Object.entries(byOutcome ?? {}).filter(([, count]) => count > 0);
  if (entries.length === 0) return html`<span class="muted">no items</span>`;
  return html`${entries.map(([outcome, count]) => html`<span class="pill ${outcomeClass(outcome)}">${count} ${outcome}</span> `)}`;
}

/**
 * The project page's live activity: runs of this project appear as they finish (Pull, Push, Sync, webhooks,
 * catch-up — from anyone), and a Pull or Push button shows that it is working while its run goes on.
 */
export function liveRuns(projectKey: string, options: { recent?: any[]; watch?: { jiraKey: string; url: string } | null } = {}): Html {
  const recent = options.recent ?? [];
  const script = `(() => {
  const project = ${JSON.stringify(projectKey)};
  const list = document.getElementById("live-list");
  const state = document.getElementById("live-state");
  const names = { pull: "Pull", push: "Push", sync: "Sync" };
  for (const form of document.querySelectorAll('form[action$="/run"]')) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button");
      const kind = (form.querySelector('input[name="kind"]') || {}).value || "run";
      if (button) setTimeout(() => { button.disabled = true; button.setAttribute("aria-busy", "true"); button.textContent = (names[kind] || "Run") + " running…"; }, 0);
      state.dataset.busy = "1";
      state.textContent = (names[kind] || "The run") + " is running; its result opens when it is done.";
    });
  }
  if (!window.EventSource) { state.textContent = "This browser cannot show live activity; reload to see new runs."; return; }
  const events = new EventSource("/api/v1/events");
  events.addEventListener("ready", () => { if (!state.dataset.busy) state.textContent = "Live: runs of " + project + " appear here as they finish."; });
  events.addEventListener("run", (event) => {
    const run = JSON.parse(event.data);
    if (run.project !== project) return;
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/runs/" + event.lastEventId;
    // The event says what started the run (null when a person did: the title names it) and the account it acted as.
    link.textContent = (names[run.kind] || run.kind) + (run.trigger ? " (" + run.trigger + ")" : "") + (run.dryRun ? " (dry run)" : "") + " " + run.status;
    item.className = run.status === "failed" ? "bad" : run.status === "partial" ? "warn" : "ok";
    item.dataset.run = event.lastEventId;
    const counts = Object.entries(run.counts || {}).filter((entry) => entry[1] > 0).map((entry) => entry[1] + " " + entry[0]).join(", ");
    item.append(link, document.createTextNode(" · " + (counts || "no items") + " · as " + run.account + (run.error ? " · " + run.error : "")));
    list.prepend(item);
  });
  events.onerror = () => { state.textContent = "Live activity paused; it reconnects by itself."; };
  window.addEventListener("pagehide", () => events.close());
})();`;
  return html`<section id="live-runs" aria-labelledby="live-title"><h2 id="live-title">Activity</h2>
<p id="live-state" class="muted">Runs of ${projectKey} appear here as they finish.</p><ul id="live-list" aria-live="polite"></ul>
${options.watch ? html`<p id="watch-hint">Changes made in Jira arrive by themselves: change <a href="${options.watch.url}" target="_blank" rel="noopener">${options.watch.jiraKey} in Jira</a> (edit or transition it) and keep this page open; it shows the change when the webhook brings it.</p>` : ""}
${recent.length ? html`<h3 id="recent-title" style="margin-bottom:4px">Latest runs</h3><ul id="recent-runs" aria-labelledby="recent-title">${recent.map((run) => html`<li data-run="${run.id}"><a href="/runs/${run.id}">${runTitle(run)}</a> <span class="${statusClass(run.status)}">${RUN_STATUSES[run.status]?.toLowerCase() ?? run.status}</span> · ${counts(run.counts)} · <span class="muted">${when(run.startedAt)} · as ${accountOf(run)}</span></li>`)}</ul>` : ""}
<p><a href="/projects/${projectKey}/runs">Run history</a> · <a href="/projects/${projectKey}/conflicts">Conflicts</a></p>
<script>${raw(script)}</script></section>`;
}
