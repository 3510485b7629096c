// A connector's people: each Tandem person with the Jira account their email matches, and the manual overrides
// (Jira user → Tandem person) that win over the match where Jira hides an email or the addresses differ.
import { html } from "hono/html";
import { page } from "./layout.ts";
import { makeKit, type Fetcher, type WebApp } from "./kit.ts";

export function peoplePages(app: WebApp, api: Fetcher): void {
  const kit = makeKit(api);


  app.get("/connectors/:id/people", async (c) => {
    const id = c.req.param("id");
    const found = await kit.call<any>(c, "GET", `/connectors/${id}`);
    if (found.status !== 200) return kit.back(c, "/connectors", "error", kit.errorOf(found));
    const overrides = (await kit.call<{ jiraUser: string; email: string }[]>(c, "GET", `/connectors/${id}/people`)).body;
    const matches = kit.canChange(c) ? await kit.call<{ email: string; name: string; jiraUser: string | null; jiraDisplayName: string | null; override: string | null }[]>(c, "GET", `/connectors/${id}/people/matches`) : null;
    const jiraUserHint = found.body.flavour === "cloud" ? "Jira account id" : "Jira username";
    const body = html`<h1>People · ${found.body.name}</h1>${kit.messages(c)}
<section><h2>Email matches</h2><p>Jira people are matched to Tandem people by email address automatically. Where Jira hides an email, or the addresses differ, add a manual override below; an override wins over the email match.</p>
${matches === null ? "" : matches.status !== 200 ? html`<div class="error" role="alert">Could not look the people up in Jira: ${kit.errorOf(matches)}</div>`
  : html`<table id="matches"><thead><tr><th>Tandem person</th><th>Jira account (by email)</th><th>Used when syncing</th></tr></thead><tbody>${matches.body.map((person) => html`<tr data-email="${person.email}"><td>${person.name} &lt;${person.email}&gt;</td>
<td>${person.jiraUser ? html`<span class="ok">${person.jiraDisplayName ?? person.jiraUser}</span> <span class="muted">${person.jiraUser}</span>` : html`<span class="muted">no Jira account with this email</span>`}</td>
<td>${person.override ? html`override: ${person.override}` : person.jiraUser ? "the email match" : html`<span class="warn">nobody — add an override if this person works in Jira</span>`}</td></tr>`)}</tbody></table>`}</section>
<section><h2>Manual overrides</h2>${overrides.length === 0 ? html`<p id="no-overrides" class="muted">No override: every person is matched by email.</p>` : html`<table id="overrides"><thead><tr><th>${jiraUserHint}</th><th>Tandem person (email)</th></tr></thead><tbody>${overrides.map((override) => html`<tr><td>${override.jiraUser}</td><td>${override.email}</td></tr>`)}</tbody></table>`}
${kit.canChange(c) ? html`<form method="post" action="/connectors/${found.body.id}/people" class="grid" aria-label="Add an override"><div><label for="jiraUser">${jiraUserHint}</label><input id="jiraUser" name="jiraUser" required></div><div><label for="personEmail">Tandem person's email</label><input id="personEmail" name="email" type="email" required></div><div><span class="label">&nbsp;</span><button id="add-override">Save override</button></div></form>` : ""}</section>
<p><a href="/connectors/${found.body.id}">Back to ${found.body.name}</a></p>`;
    return c.html(page(`People · ${found.body.name}`, body, kit.me(c)));
  });

  app.post("/connectors/:id/people", async (c) => {
    const id = c.req.param("id");
    const input = await kit.form(c);
    const result = await kit.call(c, "PUT", `/connectors/${id}/people`, { jiraUser: input.jiraUser, email: input.email });
    if (result.status !== 200) return kit.back(c, `/connectors/${id}/people`, "error", kit.errorOf(result));
    return kit.back(c, `/connectors/${id}/people`, "notice", `${input.jiraUser} is now ${input.email}.`);
  });
}
