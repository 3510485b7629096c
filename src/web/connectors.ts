// Connector pages: the list, adding one (the authentication mode as a choice), Connect & Test with its fix hints,
// rename, rotate credentials, default sync options, the OAuth site picker, each person's own Jira authorization,
// the people page (people.ts), and disconnecting after a confirmation that says what goes. Every action is an
// API call as the signed-in person.
import type { Context } from "hono";
import { html } from "hono/html";
import { page, when, type Html } from "./layout.ts";
import { makeKit, type Fetcher, type Kit, type WebApp, type WebEnv } from "./kit.ts";
import { peoplePages } from "./people.ts";
import { realtimePanel } from "./realtime.ts";

/** The authentication modes as a person chooses them: flavour and mode in one value. */
const MODES = [
  { value: "cloud:api-token", label: "Jira Cloud: email + API token" },
  { value: "cloud:oauth", label: "Jira Cloud: OAuth 2.0 (Authorize with Atlassian)" },
  { value: "dc:pat", label: "Jira Data Center: personal access token" },
  { value: "dc:password", label: "Jira Data Center: username + password" },
];

const MODE_NAMES: Record<string, string> = { "api-token": "email + API token", oauth: "OAuth 2.0", pat: "personal access token", password: "username + password" };

/** Credentials as the API takes them, from the form's fields. */
function credentialsFrom(authMode: string, input: Record<string, string>) {
  switch (authMode) {
    case "api-token":
      return { authMode, email: input.login ?? "", apiToken: input.secret ?? "" };
    case "password":
      return { authMode, username: input.login ?? "", password: input.secret ?? "" };
    case "pat":
      return { authMode, token: input.secret ?? "" };
    default:
      return { authMode, clientId: input.clientId ?? "", clientSecret: input.clientSecret ?? "", ...(input.oauthBaseUrl ? { oauthBaseUrl: input.oauthBaseUrl } : {}) };
  }
}

/** What a person typed in the connector form, shown again when the API refuses it: never a token, password or secret. */
const KEPT_FIELDS = ["name", "siteUrl", "mode", "login", "clientId", "oauthBaseUrl", "direction"] as const;
type Typed = Partial<Record<(typeof KEPT_FIELDS)[number], string>>;

/** The credential fields of each mode; a small script shows only the chosen mode's (all show without script). */
function credentialFields(prefix: string, chosen: string, flavour?: "cloud" | "dc", typed: Typed = {}): Html {
  const shows = (value: string, ...modeNames: string[]) => (modeNames.some((mode) => value.endsWith(`:${mode}`)) ? "" : "hidden");
  const login = flavour === "cloud" ? "Email" : flavour === "dc" ? "Username" : "Email (Cloud) or username (Data Center)";
  const secret = flavour === "cloud" ? "API token" : flavour === "dc" ? "Password or personal access token" : "API token, password or personal access token";
  return html`<div data-for="api-token password" ${shows(chosen, "api-token", "password")}><label for="${prefix}login">${login}</label><input id="${prefix}login" name="login" autocomplete="off" value="${typed.login ?? ""}"></div>
<div data-for="api-token password pat" ${shows(chosen, "api-token", "password", "pat")}><label for="${prefix}secret">${secret}</label><input id="${prefix}secret" name="secret" type="password" autocomplete="new-password"></div>
<div data-for="oauth" ${shows(chosen, "oauth")}><label for="${prefix}clientId">OAuth client id</label><input id="${prefix}clientId" name="clientId" value="${typed.clientId ?? ""}"></div>
<div data-for="oauth" ${shows(chosen, "oauth")}><label for="${prefix}clientSecret">OAuth client secret</label><input id="${prefix}clientSecret" name="clientSecret" type="password" autocomplete="new-password"></div>
<div data-for="oauth" ${shows(chosen, "oauth")}><label for="${prefix}oauthBaseUrl">OAuth server (empty for Atlassian's)</label><input id="${prefix}oauthBaseUrl" name="oauthBaseUrl" type="url" placeholder="https://auth.atlassian.com" value="${typed.oauthBaseUrl ?? ""}"></div>
<p data-for="oauth" class="muted" style="grid-column:1/-1" ${shows(chosen, "oauth")}>With OAuth, Atlassian's consent screen asks which site to allow: pick the one whose URL you gave here. Once authorized, the connector's page lists every site the authorization reaches, to switch to another.</p>`;
}

/** Shows only the fields of the chosen mode; hidden fields are also disabled so they are not sent. */
const MODE_SCRIPT = html`<script>
for (const select of document.querySelectorAll("select[data-mode]")) {
  const form = select.form;
  const sync = () => {
    const mode = select.value.split(":").pop();
    for (const box of form.querySelectorAll("[data-for]")) {
      const on = box.dataset.for.split(" ").includes(mode);
      box.hidden = !on;
      for (const input of box.querySelectorAll("input")) input.disabled = !on;
    }
  };
  select.addEventListener("change", sync);
  sync();
}
</script>`;

export function testReport(report: any): Html {
  if (!report) return html`<p class="muted" id="test-result">Not tested yet: press Connect &amp; Test to check the site, the account and its permissions.</p>`;
  return html`<p id="test-result" class="${report.ok ? "ok" : "bad"}"><strong>${report.ok ? "Passed" : "Failed"}</strong> <span class="muted">${when(report.checkedAt)}</span></p>
${report.account ? html`<p>Account: ${report.account.displayName} &lt;${report.account.email ?? report.account.username ?? ""}&gt;</p>` : ""}
${report.site ? html`<p>Site: ${report.site.title} (${report.site.deploymentType} ${report.site.version})</p>` : ""}
${report.browsableProjects !== null && report.browsableProjects !== undefined ? html`<p>Projects the account can browse: ${report.browsableProjects}</p>` : ""}
${report.permissions ? html`<p>${Object.entries(report.permissions as Record<string, boolean>).map(([key, have]) => html`<span class="pill ${have ? "ok" : "bad"}">${have ? "✓" : "✗"} ${key}</span> `)}</p>` : ""}
${(report.problems as { step: string; cause: string; fix: string }[]).map((problem) => html`<div class="error test-problem"><strong>${problem.step}:</strong> ${problem.cause}<br>Fix: ${problem.fix}</div>`)}`;
}

export function connectorPages(app: WebApp, api: Fetcher): void {
  const kit = makeKit(api);

  /** The list and the add form; after a refused add, the API's error and what was typed (secrets left out). */
  async function listPage(c: Context<WebEnv>, refused?: { error: string; typed: Typed }) {
    const list = (await kit.call<any[]>(c, "GET", "/connectors")).body;
    const admin = kit.isAdmin(c);
    const typed = refused?.typed ?? {};
    const mode = MODES.some((candidate) => candidate.value === typed.mode) ? typed.mode! : "cloud:api-token";
    const direction = typed.direction ?? "two-way";
    const option = (value: string, label: string, current: string) => html`<option value="${value}" ${value === current ? "selected" : ""}>${label}</option>`;
    const body = html`<h1>Connectors</h1>${kit.messages(c)}${refused ? html`<div class="error" role="alert" id="add-refused">${refused.error} Nothing was added; what you typed is kept below${typed.mode?.endsWith("oauth") ? "" : " (type the secret again)"}.</div>` : ""}
<section>${list.length === 0
      ? html`<p id="no-connectors">No connector yet. ${admin ? "Add one below: give the Jira site's URL and how Tandem signs in, then press Connect & Test." : "Ask an admin to add one."}</p>`
      : html`<table id="connectors"><thead><tr><th>Name</th><th>Jira</th><th>Authentication</th><th>Last test</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${list.map((connector) => html`<tr data-connector="${connector.name}"><td><a href="/connectors/${connector.id}">${connector.name}</a></td><td>${connector.flavour === "cloud" ? "Cloud" : "Data Center"} · ${connector.siteUrl}</td><td>${MODE_NAMES[connector.authMode] ?? connector.authMode}</td>
<td>${connector.lastTest ? html`<span class="${connector.lastTest.ok ? "ok" : "bad"}">${connector.lastTest.ok ? "passed" : "failed"}</span> <span class="muted">${when(connector.lastTest.checkedAt)}</span>` : html`<span class="muted">never</span>`}</td>
<td>${kit.canChange(c) ? html`<form method="post" action="/connectors/${connector.id}/test" class="inline"><button aria-label="Connect &amp; Test ${connector.name}">Connect &amp; Test</button></form>` : ""}</td></tr>`)}
</tbody></table>`}</section>
${admin ? html`<section><h2>Add a connector</h2><form method="post" action="/connectors" class="grid" id="add-connector">
<div><label for="name">Name</label><input id="name" name="name" required value="${typed.name ?? ""}"></div>
<div><label for="siteUrl">Jira URL</label><input id="siteUrl" name="siteUrl" type="url" required placeholder="https://acme.atlassian.net" value="${typed.siteUrl ?? ""}"></div>
<div><label for="mode">Authentication</label><select id="mode" name="mode" data-mode>${MODES.map((choice) => option(choice.value, choice.label, mode))}</select></div>
${credentialFields("", mode, undefined, typed)}
<div><label for="direction">Default direction</label><select id="direction" name="direction">${option("two-way", "two-way", direction)}${option("pull", "pull (Jira → Tandem)", direction)}${option("push", "push (Tandem → Jira)", direction)}</select></div>
<div><span class="label">&nbsp;</span><button>Add connector</button></div></form></section>${MODE_SCRIPT}` : ""}`;
    return c.html(page("Connectors", body, kit.me(c)));
  }

  app.get("/connectors", (c) => listPage(c));

  app.post("/connectors", async (c) => {
    const input = await kit.form(c);
    const [flavour, authMode] = (input.mode ?? "cloud:api-token").split(":") as [string, string];
    const result = await kit.call<any>(c, "POST", "/connectors", {
      name: input.name,
      flavour,
      siteUrl: input.siteUrl,
      credentials: credentialsFrom(authMode, input),
      defaultSyncOptions: { direction: input.direction ?? "two-way", fields: {} },
    });
    // Refused: the same page again with the API's message and the form as it was typed (not the secret), so
    // fixing one field does not mean typing everything again.
    if (result.status !== 201) return listPage(c, { error: kit.errorOf(result), typed: Object.fromEntries(KEPT_FIELDS.map((field) => [field, input[field] ?? ""])) });
    const next = authMode === "oauth" ? "Now press Authorize with Atlassian, then Connect & Test." : "Press Connect & Test to check it.";
    return kit.back(c, `/connectors/${result.body.id}`, "notice", `Added '${input.name}'. ${next}`);
  });

  app.post("/connectors/:id/test", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call(c, "POST", `/connectors/${id}/test`);
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return c.redirect(`/connectors/${id}#connect-test`, 303);
  });

  app.get("/connectors/:id", async (c) => {
    const id = c.req.param("id");
    const found = await kit.call<any>(c, "GET", `/connectors/${id}`);
    if (found.status !== 200) return kit.back(c, "/connectors", "error", kit.errorOf(found));
    const connector = found.body;
    const [identity, webhook, projects] = await Promise.all([
      kit.call<any>(c, "GET", `/connectors/${id}/identity`),
      kit.call<any>(c, "GET", `/connectors/${id}/webhook`),
      kit.call<any[]>(c, "GET", "/projects"),
    ]);
    const details = kit.isAdmin(c) ? await kit.call<any>(c, "GET", `/connectors/${id}/webhook/details`) : null;
    const sites = kit.isAdmin(c) && connector.authMode === "oauth" && connector.hasCredentials ? await kit.call<any[]>(c, "GET", `/connectors/${id}/oauth/sites`) : null;
    const used = projects.body.filter((project) => project.connectorId === connector.id);
    const modes = MODES.filter((mode) => mode.value.startsWith(`${connector.flavour}:`));
    const admin = kit.isAdmin(c);
    const body = html`<h1>${connector.name}</h1>${kit.messages(c)}
<section><p>${connector.flavour === "cloud" ? "Jira Cloud" : "Jira Data Center"} at <a href="${connector.siteUrl}">${connector.siteUrl}</a>, ${MODE_NAMES[connector.authMode] ?? connector.authMode}${connector.hasCredentials ? "" : html` · <span class="warn">not authorized yet</span>`}</p>
<p>Projects using it: ${used.length ? used.map((project) => html`<a href="/projects/${project.key}">${project.key}</a> `) : html`<span class="muted">none yet — associate a project with it on the project's page</span>`} · <a href="/connectors/${connector.id}/people">People</a>${kit.canChange(c) ? html` · <a id="make-projects-link" href="/connectors/${connector.id}/make-projects">Make Tandem projects from Jira</a>` : ""}</p>
${kit.canChange(c) ? html`<form method="post" action="/connectors/${connector.id}/test" class="inline"><button id="connect-test-button">Connect &amp; Test</button></form>` : ""}
${admin && connector.authMode === "oauth" ? html` <form method="post" action="/connectors/${connector.id}/oauth" class="inline"><input type="hidden" name="purpose" value="connector"><button class="secondary" id="authorize-connector">Authorize with Atlassian</button></form>` : ""}</section>
${sites ? sitePicker(connector.id, sites.status === 200 ? sites.body : null, sites.status === 200 ? null : kit.errorOf(sites)) : ""}
<section id="connect-test"><h2>Connect &amp; Test</h2>${testReport(connector.lastTest)}
${connector.lastTest?.ok ? html`<p id="next-step"><strong>Next:</strong> ${used.length
      ? html`open ${used.map((project, index) => html`${index ? ", " : ""}<a href="/projects/${project.key}">${project.key}</a>`)} and press Pull to bring Jira's changes in, or Push to send Tandem's.`
      : html`on the <a href="/projects">Projects</a> page, add a project (or open one) and connect it to ${connector.name} and its Jira projects.`}</p>` : ""}</section>
${identitySection(kit, c, connector, identity.body)}
${realtimePanel(connector, webhook.body, details && details.status === 200 ? details.body : null, admin)}
${admin ? html`<section id="settings"><h2>Settings</h2>
<form method="post" action="/connectors/${connector.id}/rename" class="grid" aria-label="Rename"><div><label for="rename">Name</label><input id="rename" name="name" value="${connector.name}" required></div><div><span class="label">&nbsp;</span><button id="rename-button">Rename</button></div></form>
<h3>Default sync options</h3><p class="muted">New projects associated with this connector start from these; each project may override them.</p>
<form method="post" action="/connectors/${connector.id}/sync-options" class="grid" aria-label="Default sync options">
<div><label for="default-direction">Direction</label><select id="default-direction" name="direction">${["two-way", "pull", "push"].map((value) => html`<option ${value === connector.defaultSyncOptions.direction ? "selected" : ""}>${value}</option>`)}</select></div>
<div style="grid-column:span 2"><label for="field-directions">Per-field directions (one per line: field = pull, push, both or none)</label><textarea id="field-directions" name="fields" rows="3" style="width:100%">${Object.entries(connector.defaultSyncOptions.fields ?? {}).map(([field, direction]) => `${field} = ${direction}\n`).join("")}</textarea></div>
<div><span class="label">&nbsp;</span><button id="save-sync-options">Save options</button></div></form>
<h3>Rotate credentials</h3><p class="muted">Projects, mappings, links and history stay as they are; only how Tandem signs in changes.</p>
<form method="post" action="/connectors/${connector.id}/credentials" class="grid" aria-label="Rotate credentials">
<div><label for="rotate-mode">Authentication</label><select id="rotate-mode" name="mode" data-mode>${modes.map((mode) => html`<option value="${mode.value}" ${mode.value.endsWith(`:${connector.authMode}`) ? "selected" : ""}>${mode.label}</option>`)}</select></div>
${credentialFields("rotate-", `${connector.flavour}:${connector.authMode}`, connector.flavour)}
<div><span class="label">&nbsp;</span><button id="rotate-button">Rotate credentials</button></div></form>
<h3>Disconnect</h3><p><a href="/connectors/${connector.id}/disconnect" id="disconnect-link" class="danger">Disconnect ${connector.name}…</a></p></section>${MODE_SCRIPT}` : ""}`;
    return c.html(page(connector.name, body, kit.me(c)));
  });

  app.post("/connectors/:id/rename", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call<any>(c, "PATCH", `/connectors/${id}`, { name: (await kit.form(c)).name });
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}`, "notice", `Renamed to '${result.body.name}'. Projects and mappings are unchanged.`);
  });

  app.post("/connectors/:id/sync-options", async (c) => {
    const id = c.req.param("id");
    const input = await kit.form(c);
    const fields: Record<string, string> = {};
    for (const line of (input.fields ?? "").split(/\r?\n/).map((entry) => entry.trim()).filter(Boolean)) {
      const match = /^([A-Za-z][\w]*)\s*[=:]\s*(\S+)$/.exec(line);
      if (!match) return kit.back(c, `/connectors/${id}`, "error", `Could not read '${line}': write one field per line as field = pull (or push, both, none).`);
      fields[match[1]!] = match[2]!;
    }
    const result = await kit.call(c, "PATCH", `/connectors/${id}`, { defaultSyncOptions: { direction: input.direction, fields } });
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}`, "notice", "Default sync options saved.");
  });

  app.post("/connectors/:id/credentials", async (c) => {
    const id = c.req.param("id");
    const input = await kit.form(c);
    const authMode = (input.mode ?? "").split(":").pop() ?? "";
    const result = await kit.call(c, "PUT", `/connectors/${id}/credentials`, credentialsFrom(authMode, input));
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    const next = authMode === "oauth" ? "Press Authorize with Atlassian to finish." : "Press Connect & Test to check them.";
    return kit.back(c, `/connectors/${id}`, "notice", `Credentials rotated; projects and mappings are kept. ${next}`);
  });

  app.post("/connectors/:id/oauth/site", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call<{ url: string }>(c, "PUT", `/connectors/${id}/oauth/site`, { siteId: (await kit.form(c)).siteId ?? "" });
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}`, "notice", `The connector now uses ${result.body.url}. Press Connect & Test to check it.`);
  });

  // OAuth: the API gives the authorization address; the person's browser goes there and comes back to the callback.
  app.post("/connectors/:id/oauth", async (c) => {
    const id = c.req.param("id");
    const purpose = (await kit.form(c)).purpose === "identity" ? "identity" : "connector";
    const result = await kit.call<{ authorizeUrl: string }>(c, "POST", `/connectors/${id}/oauth/start`, { purpose });
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return c.redirect(result.body.authorizeUrl, 303);
  });

  app.post("/connectors/:id/identity", async (c) => {
    const id = c.req.param("id");
    const input = await kit.form(c);
    const result = await kit.call<any>(c, "PUT", `/connectors/${id}/identity`, credentialsFrom(input.authMode ?? "", input));
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}`, "notice", "Your own Jira authorization is saved: Pull and Push on projects that sync as the person who clicks now use it.");
  });

  app.post("/connectors/:id/identity/remove", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call(c, "DELETE", `/connectors/${id}/identity`);
    if (result.status !== 204) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}`, "notice", "Your own Jira authorization is removed.");
  });

  app.get("/connectors/:id/disconnect", async (c) => {
    const id = c.req.param("id");
    const found = await kit.call<any>(c, "GET", `/connectors/${id}`);
    if (found.status !== 200) return kit.back(c, "/connectors", "error", kit.errorOf(found));
    const used = (await kit.call<any[]>(c, "GET", "/projects")).body.filter((project) => project.connectorId === found.body.id);
    const body = html`<h1>Disconnect ${found.body.name}?</h1>${kit.messages(c)}
<section id="disconnect-confirm" role="alertdialog" aria-labelledby="disconnect-what"><p id="disconnect-what"><strong>${used.length === 0 ? "No project uses this connector." : `${used.length} project${used.length === 1 ? "" : "s"} will lose ${used.length === 1 ? "its" : "their"} Jira association${used.length === 1 ? "" : "s"}: ${used.map((project) => project.key).join(", ")}.`}</strong></p>
<p>Removed: the connector, its credentials, everyone's own authorizations for it, its webhook endpoint, and the Jira association of those projects (connector and Jira project keys).</p>
<p>Kept: the projects, their items, their field mappings, links to issue keys and the run history. Nothing in Jira is deleted${found.body.authMode === "oauth" ? "" : "; a webhook registered in Jira stays until a Jira admin removes it"}.</p>
<form method="post" action="/connectors/${found.body.id}/disconnect" class="inline"><button id="confirm-disconnect" class="danger">Disconnect</button></form> <a href="/connectors/${found.body.id}">Cancel</a></section>`;
    return c.html(page(`Disconnect ${found.body.name}`, body, kit.me(c)));
  });

  app.post("/connectors/:id/disconnect", async (c) => {
    const id = c.req.param("id");
    const result = await kit.call<{ removed: string; projectAssociationsRemoved: number }>(c, "DELETE", `/connectors/${id}`);
    if (result.status !== 200) return kit.back(c, `/connectors/${id}`, "error", kit.errorOf(result));
    const count = result.body.projectAssociationsRemoved;
    return kit.back(c, "/connectors", "notice", `Disconnected '${result.body.removed}'; ${count} project${count === 1 ? "" : "s"} lost ${count === 1 ? "its" : "their"} Jira association.`);
  });

  peoplePages(app, api);
}

/** The signed-in person's own Jira authorization for this connector, with its state. */
function identitySection(kit: Kit, c: Context<WebEnv>, connector: any, identity: any): Html {
  const state: string = identity?.state ?? (identity?.connected ? "authorized" : "none");
  // A token authorization stores Jira's account; an OAuth one stores { account: email or name }.
  const account = identity?.account as { displayName?: string; email?: string; username?: string; account?: string } | string | null;
  const who = typeof account === "string" ? account : account ? `${account.displayName ?? ""} ${account.email ?? account.username ?? account.account ?? ""}`.trim() : "";
  const status =
    state === "authorized" ? html`<p id="identity-state" class="ok">Authorized${who ? html` as ${who}` : ""} (${MODE_NAMES[identity.authMode] ?? identity.authMode}).</p>`
    : state === "expired" ? html`<p id="identity-state" class="bad" role="alert">Your authorization has expired: authorize again below.</p>`
    : html`<p id="identity-state" class="muted">You have not authorized Tandem with your own Jira account. Projects that sync as the person who clicks need it; others use the connector's account.</p>`;
  if (!kit.canChange(c)) return html`<section id="identity"><h2>Your Jira authorization</h2>${status}</section>`;
  const form =
    connector.authMode === "oauth"
      ? html`<form method="post" action="/connectors/${connector.id}/oauth" class="inline"><input type="hidden" name="purpose" value="identity"><button id="authorize-me">${state === "none" ? "Authorize with Atlassian" : "Authorize again"}</button></form>`
      : html`<form method="post" action="/connectors/${connector.id}/identity" class="grid" aria-label="Your Jira authorization">
<input type="hidden" name="authMode" value="${connector.authMode}">
${connector.authMode !== "pat" ? html`<div><label for="my-login">Your ${connector.authMode === "api-token" ? "email" : "username"}</label><input id="my-login" name="login" autocomplete="off" required></div>` : ""}
<div><label for="my-secret">Your ${MODE_NAMES[connector.authMode]?.split(" + ").pop() ?? "secret"}</label><input id="my-secret" name="secret" type="password" autocomplete="new-password" required></div>
<div><span class="label">&nbsp;</span><button id="authorize-me">${state === "none" ? "Authorize" : "Authorize again"}</button></div></form>`;
  return html`<section id="identity"><h2>Your Jira authorization</h2>${status}${form}
${state !== "none" ? html`<form method="post" action="/connectors/${connector.id}/identity/remove" class="inline"><button class="secondary" id="forget-me">Remove my authorization</button></form>` : ""}</section>`;
}

/** The sites an OAuth authorization reaches, the one in use checked (Atlassian grants an app per site). */
function sitePicker(connectorId: string, sites: { id: string; url: string; name: string; inUse: boolean }[] | null, problem: string | null): Html {
  if (!sites) return html`<section id="site-picker"><h2>Jira site</h2><div class="error" role="alert">Could not list the sites: ${problem}</div></section>`;
  return html`<section id="site-picker"><h2>Jira site</h2><form method="post" action="/connectors/${connectorId}/oauth/site"><fieldset><legend>Sites this authorization reaches</legend>
${sites.length === 0 ? html`<p>None: authorize again with an account that can use the site.</p>` : sites.map((site) => html`<div><input type="radio" id="site-${site.id}" name="siteId" value="${site.id}" ${site.inUse ? "checked" : ""}> <label for="site-${site.id}" style="display:inline;font-weight:normal">${site.name} — ${site.url}${site.inUse ? " (in use)" : ""}</label></div>`)}
</fieldset>${sites.length ? html`<p><button id="use-site" class="secondary">Use this site</button></p>` : ""}</form></section>`;
}
