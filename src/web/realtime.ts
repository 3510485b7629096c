// Real time: the connector's webhook panel (URL, secret and events to copy; connected indicator with the last
// verified delivery and the failures; register in Jira; a test ping) and, per project, the catch-up schedule and
// "sync now". Everything goes through the API as the signed-in person.
import { html, raw } from "hono/html";
import { page, when, type Html } from "./layout.ts";
import { COPY_SCRIPT, makeKit, type Fetcher, type WebApp } from "./kit.ts";

/** A read-only value with its copy button (the button names what it copies for screen readers). */
function copyable(id: string, label: string, value: string, multiline = false): Html {
  return html`<div class="copy-row"><label for="${id}">${label}</label>
${multiline ? html`<textarea id="${id}" readonly rows="${value.split("\n").length}">${value}</textarea>` : html`<input id="${id}" readonly value="${value}">`}
<button type="button" class="secondary" data-copy="${id}" aria-label="Copy ${label.toLowerCase()}">Copy</button> <span id="${id}-copied" role="status" class="muted"></span></div>`;
}

/** The connector page's panel. `details` (URL, secret, events) is shown to admins only. */
export function realtimePanel(connector: { id: string; authMode: string }, status: any, details: any, admin: boolean): Html {
  const failures = (status?.rejected ?? 0) + (status?.inbox?.failed ?? 0);
  const indicator = status?.connected
    ? html`<p id="webhook-state" class="ok"><strong>● Connected</strong> · last verified delivery ${when(status.lastVerifiedDelivery)}</p>`
    : status?.registeredInJira
      ? html`<p id="webhook-state" class="muted"><strong>○ Not connected yet</strong> · registered in Jira, no delivery received so far. Send a test ping, or change an issue in Jira, to see the first one arrive.</p>`
      : html`<p id="webhook-state" class="muted"><strong>○ Not connected yet</strong> · no verified delivery. ${admin ? "Register the webhook in Jira (or paste the details below into Jira's webhook settings), then send a test ping." : "Ask an admin to register the webhook."}</p>`;
  return html`<section id="realtime"><h2>Real time (webhook)</h2>${indicator}
<p>Verified deliveries: <span id="webhook-verified">${status?.verified ?? 0}</span> · refused (bad signature): <span id="webhook-rejected" class="${status?.rejected ? "bad" : ""}">${status?.rejected ?? 0}</span> · failed to apply: <span class="${status?.inbox?.failed ? "bad" : ""}">${status?.inbox?.failed ?? 0}</span>${failures ? html` <span class="warn">— a refused delivery usually means the secret in Jira differs from this one: paste it again.</span>` : ""}
${status ? html` · ${status.registeredInJira ? "registered in Jira" : "not registered in Jira by Tandem"}` : ""}</p>
${details ? html`${copyable("webhook-url", "Webhook URL", details.url)}
${details.secret ? copyable("webhook-secret", "Secret", details.secret) : html`<p class="muted">OAuth (dynamic) webhooks carry no secret: the unguessable URL authenticates them.</p>`}
${details.jql ? copyable("webhook-jql", "JQL filter", details.jql) : html`<p class="muted">No JQL filter yet: associate a project with this connector first, so only its issues are sent.</p>`}
${copyable("webhook-events", "Events", (details.events as string[]).join("\n"), true)}
<form method="post" action="/connectors/${connector.id}/webhook/register" class="inline"><button id="register-webhook" class="secondary">Register in Jira</button></form> ` : ""}
${status ? html`<form method="post" action="/connectors/${connector.id}/webhook/ping" class="inline"><button id="webhook-ping">Send a test ping</button></form>` : ""}</section>${COPY_SCRIPT}`;
}

/**
 * Live updates on a project's page: when a run of this project changes something (a webhook, a catch-up, someone
 * else's Pull), the page reloads itself, unless the person is typing or editing a row, when a banner offers the
 * reload. Runs that changed nothing (an echo of Tandem's own write, a catch-up with nothing new) and the person's own
 * runs (the event says `mine`: a quick edit's push, a Pull) are not news: reloading for them would wipe the answer the
 * person is reading.
 */
export function liveUpdates(projectKey: string): Html {
  return html`<div id="live-banner" class="notice" role="status" style="position:fixed;bottom:16px;left:50%;transform:translateX(-50%)" hidden>Changes arrived from Jira. <button type="button" id="live-reload">Show them</button></div>
<script>
(() => {
  if (!window.EventSource) return;
  const banner = document.getElementById("live-banner");
  document.getElementById("live-reload").addEventListener("click", () => location.reload());
  const events = new EventSource("/api/v1/events");
  // Marks the page as listening (tests wait for it before changing Jira).
  events.addEventListener("ready", () => { document.body.dataset.live = "on"; });
  events.addEventListener("run", (event) => {
    const run = JSON.parse(event.data);
    if (run.project !== ${raw(JSON.stringify(projectKey))} || run.dryRun) return;
    const news = !run.mine && (Object.entries(run.counts || {}).some(([outcome, count]) => outcome !== "unchanged" && count > 0) || run.status === "failed");
    if (news) {
      const typing = document.activeElement && ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName) && document.activeElement.value;
      if (typing || document.querySelector("tr[data-editing]")) banner.hidden = false;
      else { events.close(); location.reload(); }
    }
    document.body.dataset.lastRun = event.lastEventId; // what the page has heard and weighed (tests wait for it)
  });
  window.addEventListener("pagehide", () => events.close());
  // The person's own action (Pull, Push, a save) is leaving the page: a reload for someone else's run would cut it off.
  document.addEventListener("submit", () => events.close());
})();
</script>`;
}

export function realtimePages(app: WebApp, api: Fetcher): void {
  const kit = makeKit(api);

  app.post("/connectors/:id/webhook/ping", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call<{ verified: boolean; message: string }>(c, "POST", `/connectors/${id}/webhook/ping`);
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}#realtime`, result.body.verified ? "notice" : "error", result.body.message);
  });

  app.post("/connectors/:id/webhook/register", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call<{ registered: boolean; instructions: string | null }>(c, "POST", `/connectors/${id}/webhook`);
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}#realtime`, result.body.registered ? "notice" : "error", result.body.registered ? "Webhook registered in Jira: changes now arrive as they happen. Send a test ping to check the path." : result.body.instructions ?? "Jira did not accept the registration.");
  });

  // ---- per project: catch-up schedule and sync now ----

  app.get("/projects/:key/realtime", async (c) => {
    const key = c.req.param("key");
    const found = await kit.call<any>(c, "GET", `/projects/${key}`);
    if (found.status !== 200) return kit.back(c, "/projects", "error", kit.errorOf(found));
    const project = found.body;
    const status = project.connectorId ? (await kit.call<any>(c, "GET", `/connectors/${project.connectorId}/webhook`)).body : null;
    const editable = kit.canChange(c);
    const body = html`<h1>${project.key} · real time</h1>${kit.messages(c)}
${project.connectorId ? html`<section><h2>Webhook</h2>${status?.connected ? html`<p id="webhook-state" class="ok"><strong>● Connected</strong> · last verified delivery ${when(status.lastVerifiedDelivery)}</p>` : html`<p id="webhook-state" class="muted"><strong>○ Not connected yet</strong></p>`}
<p>The webhook belongs to the connector: <a href="/connectors/${project.connectorId}#realtime">its URL, secret, events and test ping</a>.</p></section>` : html`<section><p>This project is not connected to Jira yet: <a href="/projects/${project.key}">associate it with a connector</a> first.</p></section>`}
<section id="catch-up"><h2>Catch-up</h2><p>A catch-up asks Jira for everything changed since the last one, so nothing a missed webhook carried is lost.
Last catch-up: <span id="last-catch-up">${when(project.lastCatchUpAt)}</span>. Schedule: <code id="catch-up-cron">${project.catchUpCron}</code> (${project.catchUpTimeZone}).</p>
${editable ? html`<form method="post" action="/projects/${project.key}/catch-up-schedule" class="grid" aria-label="Catch-up schedule">
<div><label for="cron">When (cron: minute hour day month weekday)</label><input id="cron" name="cron" value="${project.catchUpCron}" required aria-describedby="cron-help"><small id="cron-help" class="muted">e.g. <code>0 2 * * *</code> is daily at 02:00</small></div>
<div><label for="timeZone">Time zone</label><input id="timeZone" name="timeZone" value="${project.catchUpTimeZone}" required></div>
<div><span class="label">&nbsp;</span><button id="save-schedule">Save schedule</button></div></form>
${project.connectorId ? html`<form method="post" action="/projects/${project.key}/sync-now" class="inline"><button id="sync-now">Sync now</button></form>` : ""}` : ""}</section>
<p><a href="/projects/${project.key}">Back to ${project.key}</a></p>`;
    return c.html(page(`${project.key} · real time`, body, kit.me(c)));
  });

  app.post("/projects/:key/catch-up-schedule", async (c) => {
    const key = c.req.param("key");
    const input = await kit.form(c);
    const result = await kit.call(c, "PUT", `/projects/${key}/catch-up-schedule`, { cron: input.cron, timeZone: input.timeZone || "UTC" });
    if (result.status !== 200) return kit.back(c, `/projects/${key}/realtime`, "error", kit.errorOf(result));
    return kit.back(c, `/projects/${key}/realtime`, "notice", `Catch-up schedule saved: ${input.cron} (${input.timeZone || "UTC"}).`);
  });

  app.post("/projects/:key/sync-now", async (c) => {
    const key = c.req.param("key");
    const result = await kit.call<any>(c, "POST", `/projects/${key}/catch-up`);
    if (result.status !== 200) return kit.back(c, `/projects/${key}/realtime`, "error", kit.errorOf(result));
    if (result.body.run) return c.redirect(`/runs/${result.body.run.id}`, 303);
    return kit.back(c, `/projects/${key}/realtime`, "notice", "Synced: nothing changed in Jira since the last catch-up.");
  });
}
