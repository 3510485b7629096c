// The API routes behind the web app's connector, mapping and real-time pages, against the sandbox Jira over HTTP:
// the webhook's details (admins only) and the signed test ping through Tandem's public intake; the mapping options
// and the engine's check of one mapping before saving; the five presets (and a pull through the roadmap's value
// map); people matched by email; the OAuth site picker; the person's authorization state; and the OAuth callback
// sending a browser to a page instead of JSON.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });

describe("connector, mapping and real-time tools of the API", () => {
  let connectorId = "";

  before(async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "tracker", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } } });
    assert.equal(connector.status, 201, JSON.stringify(connector.body));
    connectorId = connector.body.id;
    assert.equal((await api(t(), "POST", "/projects", { body: { key: "TRK", name: "Tracker", fields: [{ key: "points", name: "Points", type: "number" }, { key: "importance", name: "Importance", type: "select" }] } })).status, 201);
    assert.equal((await api(t(), "PUT", "/projects/TRK/jira", { body: { connector: "tracker", jiraProjects: ["BOARD", "SCHED"] } })).status, 200);
  });

  it("gives admins the URL, secret, JQL and events to paste, and nobody else", async () => {
    const details = await api(t(), "GET", `/connectors/${connectorId}/webhook/details`);
    assert.equal(details.status, 200, JSON.stringify(details.body));
    const endpoint = (await t().tandem.store.inbox.endpointFor(connectorId))!;
    assert.equal(details.body.url, `${t().tandem.url}/hooks/jira/${endpoint.pathToken}`);
    assert.ok(details.body.secret.length >= 32);
    assert.equal(details.body.jql, "project in (BOARD, SCHED)");
    assert.ok(details.body.events.includes("jira:issue_updated") && details.body.events.includes("issuelink_created"));
    assert.equal(details.body.registeredInJira, false);
    for (const token of [t().tokens.member, t().tokens.guest]) {
      const refused = await api(t(), "GET", `/connectors/${connectorId}/webhook/details`, { token });
      assert.equal(refused.status, 403);
      assert.doesNotMatch(JSON.stringify(refused.body), new RegExp(details.body.secret));
    }
    assert.equal((await api(t(), "GET", "/connectors/nope/webhook/details")).status, 404);
  });

  it("pings through the public intake with a signed delivery that is verified, and shows the connection", async () => {
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.connected, false);
    assert.equal((await api(t(), "POST", `/connectors/${connectorId}/webhook/ping`, { token: t().tokens.guest })).status, 403);
    const ping = await api(t(), "POST", `/connectors/${connectorId}/webhook/ping`, { token: t().tokens.member });
    assert.equal(ping.status, 200, JSON.stringify(ping.body));
    assert.equal(ping.body.verified, true, ping.body.message);
    assert.equal(ping.body.status, 202);
    const status = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body;
    assert.equal(status.connected, true);
    assert.equal(status.verified, 1);
    assert.equal(status.rejected, 0);
    assert.equal(status.lastVerifiedDelivery, ping.body.lastVerifiedDelivery);
    // The ping names no issue: processing it changes no item and fails nothing.
    await inboxSettled(t());
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.inbox.failed, undefined);
  });

  it("lists what mappings can use: Tandem and Jira fields with types, statuses, hierarchy levels, presets", async () => {
    const options = await api(t(), "GET", "/projects/TRK/mapping-options", { token: t().tokens.guest });
    assert.equal(options.status, 200, JSON.stringify(options.body));
    assert.deepEqual(options.body.tandemFields.find((field: any) => field.key === "points"), { key: "points", name: "Points", type: "number" });
    assert.deepEqual(options.body.jiraFields.find((field: any) => field.id === "summary"), { id: "summary", name: "Summary", type: "string" });
    assert.deepEqual(options.body.jiraStatuses.find((status: any) => status.name === "In Review"), { id: options.body.jiraStatuses.find((status: any) => status.name === "In Review").id, name: "In Review", category: "indeterminate" });
    assert.deepEqual(options.body.issueTypes.map((type: any) => type.hierarchyLevel), [...options.body.issueTypes.map((type: any) => type.hierarchyLevel)].sort((a, b) => b - a), "highest level first");
    assert.ok(options.body.presets.some((preset: any) => preset.name === "scheduler"));
    assert.deepEqual(options.body.tandemStatuses, ["Not Started", "Started", "Completed"]);
  });

  it("checks one mapping before saving: a mismatch named with both types, a fit resolved to the field id", async () => {
    const mismatch = await api(t(), "POST", "/projects/TRK/mappings/check", { token: t().tokens.member, body: { tandemField: "title", jiraField: "Story point estimate", direction: "pull", transform: { kind: "copy" } } });
    assert.equal(mismatch.status, 200);
    assert.equal(mismatch.body.ok, false);
    assert.match(mismatch.body.problem, /'Title' is text and Jira field 'Story point estimate' \(customfield_10016\) is number/);
    const fit = await api(t(), "POST", "/projects/TRK/mappings/check", { token: t().tokens.member, body: { tandemField: "points", jiraField: "Story point estimate", direction: "push", transform: { kind: "number" } } });
    assert.deepEqual(fit.body, { ok: true, problem: null, jiraField: "customfield_10016" });
    const wrongDirection = await api(t(), "POST", "/projects/TRK/mappings/check", { token: t().tokens.member, body: { tandemField: "points", jiraField: "customfield_10016", direction: "pull", transform: { kind: "number" } } });
    assert.match(wrongDirection.body.problem, /only works as push, not pull/);
    assert.equal((await t().tandem.store.projects.mappings((await t().tandem.store.projects.byId("TRK"))!.id)).length, 0, "checking saves nothing");
  });

  it("refuses a check with bad input, from a guest, or on a project not connected, saying why", async () => {
    const badKind = await api(t(), "POST", "/projects/TRK/mappings/check", { body: { tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "shout" } } });
    assert.equal(badKind.status, 400);
    assert.match(badKind.body.error.message, /transform\.kind/);
    const noField = await api(t(), "POST", "/projects/TRK/mappings/check", { body: { tandemField: "", jiraField: "summary", direction: "pull", transform: { kind: "copy" } } });
    assert.match(noField.body.error.message, /tandemField: Pick a Tandem field/);
    assert.equal((await api(t(), "POST", "/projects/TRK/mappings/check", { token: t().tokens.guest, body: { tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } } })).status, 403);
    assert.equal((await api(t(), "POST", "/projects", { body: { key: "LONE", name: "Alone" } })).status, 201);
    const lone = await api(t(), "GET", "/projects/LONE/mapping-options");
    assert.equal(lone.status, 400);
    assert.equal(lone.body.error.code, "not_connected");
  });

  it("applies each reference role's preset, adding the Tandem fields it needs", async () => {
    const expected: Record<string, number> = { scheduler: 10, board: 6, tracker: 5, reporting: 5, roadmap: 8 };
    for (const [index, preset] of Object.keys(expected).entries()) {
      const key = `PRE${index}`;
      assert.equal((await api(t(), "POST", "/projects", { body: { key, name: preset } })).status, 201);
      assert.equal((await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector: "tracker", jiraProjects: ["ROAD"] } })).status, 200);
      const applied = await api(t(), "PUT", `/projects/${key}/mappings`, { body: { preset } });
      assert.equal(applied.status, 200, `${preset}: ${JSON.stringify(applied.body)}`);
      assert.equal(applied.body.length, expected[preset], preset);
      const fields = (await api(t(), "GET", `/projects/${key}`)).body.fields.map((field: any) => field.key);
      for (const mapping of applied.body) assert.ok(["title", "description", "status", "assignee", ...fields].includes(mapping.tandemField), `${preset}: ${mapping.tandemField} is a field`);
    }
    assert.equal((await api(t(), "PUT", "/projects/PRE0/mappings", { body: { preset: "gardener" } })).status, 400);
  });

  it("pulls with the roadmap preset: priority through its value map, statuses by name", async () => {
    const issue = [...cloud().state.issues.values()].find((candidate) => candidate.key.startsWith("ROAD-") && candidate.priorityId)!;
    const item = await api(t(), "POST", "/projects/PRE4/items", { body: { values: { title: "to be pulled" } } });
    assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: issue.key } })).status, 200);
    const run = await api(t(), "POST", "/projects/PRE4/pull", { body: {} });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    const pulled = (await api(t(), "GET", "/projects/PRE4/items")).body.find((entry: any) => entry.key === item.body.key);
    const priority = cloud().state.priorities.get(issue.priorityId!)!.name;
    const importance: Record<string, string> = { Highest: "Critical", High: "High", Medium: "Medium", Low: "Low", Lowest: "Trivial" };
    assert.equal(pulled.values.importance, importance[priority]);
    assert.equal(pulled.values.title, issue.summary);
  });

  it("matches Tandem people to Jira accounts by exact email, showing the overrides that win", async () => {
    await t().tandem.store.users.create({ email: "alice@sandbox.test", name: "Alice", role: "member", password: "alice-password-123" });
    assert.equal((await api(t(), "PUT", `/connectors/${connectorId}/people`, { token: t().tokens.member, body: { jiraUser: "5b10ac8d82e05b22cc7d4ef6", email: "member@tandem.test" } })).status, 200);
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/people/matches`, { token: t().tokens.guest })).status, 403);
    const matches = await api(t(), "GET", `/connectors/${connectorId}/people/matches`, { token: t().tokens.member });
    assert.equal(matches.status, 200, JSON.stringify(matches.body));
    const alice = cloud().state.findUser("alice@sandbox.test")!;
    assert.deepEqual(matches.body.find((person: any) => person.email === "alice@sandbox.test"), { email: "alice@sandbox.test", name: "Alice", jiraUser: alice.accountId, jiraDisplayName: "Alice Martin", override: null });
    assert.deepEqual(matches.body.find((person: any) => person.email === "member@tandem.test"), { email: "member@tandem.test", name: "Member", jiraUser: null, jiraDisplayName: null, override: "5b10ac8d82e05b22cc7d4ef6" });
    assert.equal((await api(t(), "GET", "/connectors/nope/people/matches")).status, 404);
  });

  it("lists the sites an OAuth authorization reaches and switches among them, refusing one it does not reach", async () => {
    const created = await api(t(), "POST", "/connectors", { body: { name: "oauth-sites", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "oauth", clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", oauthBaseUrl: cloud().url } } });
    const id = created.body.id;
    const early = await api(t(), "GET", `/connectors/${id}/oauth/sites`);
    assert.equal(early.status, 400);
    assert.match(early.body.error.message, /press Authorize with Atlassian first/);
    const start = (await api(t(), "POST", `/connectors/${id}/oauth/start`, { body: { purpose: "connector" } })).body;
    const consent = await fetch(`${start.authorizeUrl}&sandbox_user=${encodeURIComponent("tandem-sync@sandbox.test")}`, { redirect: "manual" });
    assert.equal((await fetch(consent.headers.get("location")!)).status, 200);
    const sites = await api(t(), "GET", `/connectors/${id}/oauth/sites`);
    assert.deepEqual(sites.body, [{ id: cloud().state.site.cloudId, url: cloud().url, name: cloud().state.site.title.toLowerCase().replace(/\s+/g, "-"), inUse: true }]);
    assert.equal((await api(t(), "GET", `/connectors/${id}/oauth/sites`, { token: t().tokens.member })).status, 403);
    const unknown = await api(t(), "PUT", `/connectors/${id}/oauth/site`, { body: { siteId: "not-a-site" } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, new RegExp(`does not reach a site with id 'not-a-site'; it reaches ${cloud().url.replace(/[.:/]/g, "\\$&")}`));
    const chosen = await api(t(), "PUT", `/connectors/${id}/oauth/site`, { body: { siteId: cloud().state.site.cloudId } });
    assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
    assert.equal((await api(t(), "POST", `/connectors/${id}/test`)).body.ok, true);
  });

  it("reports the person's own authorization state", async () => {
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/identity`, { token: t().tokens.member })).body.state, "none");
    const saved = await api(t(), "PUT", `/connectors/${connectorId}/identity`, { token: t().tokens.member, body: { authMode: "api-token", email: "bob@sandbox.test", apiToken: "bob-token" } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/identity`, { token: t().tokens.member })).body.state, "authorized");
  });

  it("sends a browser back from a failed OAuth callback to the connectors page with the reason, and API clients get JSON", async () => {
    const browser = await fetch(`${t().tandem.url}/api/v1/oauth/callback?code=x&state=stale`, { headers: { Accept: "text/html,application/xhtml+xml" }, redirect: "manual" });
    assert.equal(browser.status, 303);
    assert.match(decodeURIComponent(browser.headers.get("location") ?? ""), /^\/connectors\?error=This authorization link is unknown, used or older than 15 minutes/);
    const client = await api(t(), "GET", "/oauth/callback?code=x&state=stale", { token: null });
    assert.equal(client.status, 400);
    assert.equal(client.body.error.code, "bad_state");
  });
});
