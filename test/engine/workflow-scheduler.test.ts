// Workflow 1 (seed 000, the scheduler) end to end through Tandem's API against the sandbox Jira over HTTP:
// an OAuth connector, a project associated with Jira projects, tasks linked by key, the scheduler preset, Pull
// with the identity of the person who clicks, Push, a second Push with zero writes, a dry run, history with a
// task the person cannot see, and an expired authorization that says "authorize again".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

async function authorize(connectorId: string, purpose: "connector" | "identity", token: string, sandboxUser: string) {
  const start = await api(t(), "POST", `/connectors/${connectorId}/oauth/start`, { token, body: { purpose } });
  assert.equal(start.status, 200, JSON.stringify(start.body));
  const consent = await fetch(`${start.body.authorizeUrl}&sandbox_user=${encodeURIComponent(sandboxUser)}`, { redirect: "manual" });
  const callback = await fetch(consent.headers.get("location")!);
  assert.equal(callback.status, 200, await callback.text());
}

describe("workflow 1: the scheduler", () => {
  const state = () => jira().state;
  const issue = (key: string) => state().issueByIdOrKey(key)!;
  const keys = { a: "SCHED-2", b: "SCHED-3", c: "SCHED-4", hidden: "" };
  let connectorId = "";

  it("sets up an OAuth connector, a project with the scheduler preset, and linked tasks", async () => {
    keys.hidden = [...state().issues.values()].find((candidate) => candidate.key.startsWith("OPS-"))!.key;
    const connector = await api(t(), "POST", "/connectors", { body: { name: "Acme Jira", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "oauth", clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", oauthBaseUrl: jira().url }, defaultSyncOptions: { direction: "two-way", fields: {} } } });
    connectorId = connector.body.id;
    await authorize(connectorId, "connector", t().tokens.admin, "tandem-sync@sandbox.test");
    await authorize(connectorId, "identity", t().tokens.member, "bob@sandbox.test");

    const project = await api(t(), "POST", "/projects", { token: t().tokens.member, body: { key: "REL", name: "Release 3", preset: "scheduler" } });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    const associated = await api(t(), "PUT", "/projects/REL/jira", { token: t().tokens.member, body: { connector: "Acme Jira", jiraProjects: ["SCHED", "OPS"], direction: "two-way", syncIdentity: "service" } });
    assert.equal(associated.status, 200, JSON.stringify(associated.body));
    const mappings = await api(t(), "PUT", "/projects/REL/mappings", { token: t().tokens.member, body: { preset: "scheduler" } });
    assert.equal(mappings.status, 200, JSON.stringify(mappings.body));
    assert.equal(mappings.body.length, 10);
    assert.ok(mappings.body.every((mapping: { jiraField: string }) => /^(status|timetracking|customfield_\d+)$/.test(mapping.jiraField)), "preset field names resolved to ids");

    for (const [name, key] of Object.entries(keys)) {
      const created = await api(t(), "POST", "/projects/REL/items", { token: t().tokens.member, body: { values: { title: `Task ${name}`, lowRiskRatio: name === "b" ? 3 : null } } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const linked = await api(t(), "PUT", `/items/${created.body.key}/link`, { token: t().tokens.member, body: { jiraKey: key } });
      assert.equal(linked.status, 200, JSON.stringify(linked.body));
      assert.equal(linked.body.link.jiraIssueId, issue(key).id, "links are stored by issue id");
    }
    const outside = await api(t(), "POST", "/projects/REL/items", { token: t().tokens.member, body: { values: { title: "Outside" } } });
    const refused = await api(t(), "PUT", `/items/${outside.body.key}/link`, { token: t().tokens.member, body: { jiraKey: "ROAD-1" } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /outside this project's Jira projects/);
    const found = await api(t(), "GET", `/projects/REL/search-issues?text=${encodeURIComponent(issue(keys.a).summary.split(" ")[0]!)}`, { token: t().tokens.member });
    assert.ok(found.body.some((hit: { key: string }) => hit.key === keys.a));
  });

  it("refuses a mapping whose types cannot meet, naming both types", async () => {
    const refused = await api(t(), "PUT", "/projects/REL/mappings", { token: t().tokens.member, body: { mappings: [{ tandemField: "criticalityRatio", jiraField: "customfield_10044", direction: "push", transform: { kind: "copy" } }] } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Criticality ratio.*number.*Projected Start.*date/);
    const still = await api(t(), "GET", "/projects/REL", { token: t().tokens.member });
    assert.equal(still.body.mappings.length, 10, "a refused save changes nothing");
  });

  it("pulls with the clicking person's identity: the task they cannot see fails, the others succeed", async () => {
    await api(t(), "PUT", "/projects/REL/jira", { token: t().tokens.member, body: { connector: "Acme Jira", jiraProjects: ["SCHED", "OPS"], direction: "two-way", syncIdentity: "user" } });
    const pulled = await api(t(), "POST", "/projects/REL/pull", { token: t().tokens.member, body: {} });
    assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
    assert.equal(pulled.body.run.identity, "bob@sandbox.test (member@tandem.test's own Jira identity)");
    assert.equal(pulled.body.run.status, "partial");
    const byJira = new Map(pulled.body.items.map((entry: { jiraKey: string }) => [entry.jiraKey, entry]));
    const hidden = byJira.get(keys.hidden) as { outcome: string; messages: string[] };
    assert.equal(hidden.outcome, "failed");
    assert.match(hidden.messages[0]!, /do not have permission to see it/);

    const items = (await api(t(), "GET", "/projects/REL/items", { token: t().tokens.member })).body as { key: string; values: Record<string, unknown>; link: { jiraKey: string } }[];
    for (const key of [keys.a, keys.b, keys.c]) {
      const source = issue(key);
      const item = items.find((candidate) => candidate.link?.jiraKey === key)!;
      const category = state().statuses.get(source.statusId)!.category;
      const expectedStatus = { new: "Not Started", indeterminate: "Started", done: "Completed" }[category];
      assert.equal(item.values.status, expectedStatus, `${key} status from its category`);
      const hours = source.remainingEstimate === null ? null : Math.round((source.remainingEstimate / 3600) * 100) / 100;
      assert.equal(item.values.duration, hours, `${key} duration from the remaining estimate`);
      const ratio = key === keys.b ? 3 : 2;
      assert.equal(item.values.lowRiskDuration, hours === null ? null : Math.round(hours * ratio * 100) / 100, `${key} low-risk duration = duration × ${ratio}`);
      assert.equal(item.values.lowRiskRatio ?? null, key === keys.b ? 3 : null, "the item keeps its own ratio when the pull has none");
    }
  });

  it("pushes the schedule's results, then a second push makes no write calls", async () => {
    const items = (await api(t(), "GET", "/projects/REL/items", { token: t().tokens.member })).body as { key: string; link: { jiraKey: string } }[];
    const a = items.find((item) => item.link?.jiraKey === keys.a)!;
    await api(t(), "PATCH", `/items/${a.key}`, { token: t().tokens.member, body: { values: { criticality: "High", criticalityRatio: 0.8, daysUntilCritical: 3, projectedStart: "2026-12-01" } } });
    const pushed = await api(t(), "POST", "/projects/REL/push", { token: t().tokens.member, body: {} });
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    const source = issue(keys.a);
    assert.equal(source.customFields.customfield_10041, "High");
    assert.equal(source.customFields.customfield_10042, 0.8);
    assert.equal(source.customFields.customfield_10043, 3);
    assert.equal(source.customFields.customfield_10044, "2026-12-01");
    assert.equal(source.customFields.customfield_10045, new Date().toISOString().slice(0, 10));
    assert.equal(source.customFields.customfield_10046, `${t().tandem.url}/items/${a.key}`);

    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const again = await api(t(), "POST", "/projects/REL/push", { token: t().tokens.member, body: {} });
    assert.equal(again.status, 200);
    const stats = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
    const writes = Object.entries(stats).filter(([route]) => /^(PUT|POST|DELETE) /.test(route) && !/bulkfetch|search/.test(route));
    assert.deepEqual(writes, [], "a push with nothing changed writes nothing");
    // One bulk read as the person, and one as the connector's identity for the issue the person cannot see (to tell
    // lost access from a deletion).
    assert.equal(stats["POST /rest/api/3/issue/bulkfetch"], 2, "the linked issues are read in one bulk call, the unreadable one checked in one more");
  });

  it("shows a dry run's changes without making them, and keeps the history", async () => {
    const items = (await api(t(), "GET", "/projects/REL/items", { token: t().tokens.member })).body as { key: string; link: { jiraKey: string } }[];
    const a = items.find((item) => item.link?.jiraKey === keys.a)!;
    await api(t(), "PATCH", `/items/${a.key}`, { token: t().tokens.member, body: { values: { criticality: "Low" } } });
    const dry = await api(t(), "POST", "/projects/REL/push", { token: t().tokens.member, body: { dryRun: true } });
    const entry = dry.body.items.find((candidate: { itemKey: string }) => candidate.itemKey === a.key);
    assert.deepEqual(entry.changes.map((change: { field: string; after: unknown }) => [change.field, change.after]), [["criticality", "Low"]]);
    assert.equal(issue(keys.a).customFields.customfield_10041, "High", "a dry run writes nothing");
    const project = (await api(t(), "GET", "/projects/REL", { token: t().tokens.member })).body;
    assert.ok(project.lastPull && project.lastPush);
    const failed = await api(t(), "GET", `/runs/${project.lastPull.id}?outcome=failed`, { token: t().tokens.member });
    assert.deepEqual(failed.body.items.map((item: { jiraKey: string }) => item.jiraKey), [keys.hidden]);
    const history = await api(t(), "GET", `/items/${a.key}/history`, { token: t().tokens.member });
    assert.ok(history.body.some((entry: { kind: string; changes: { field: string }[] }) => entry.kind === "push" && entry.changes.some((change) => change.field === "criticality")));
  });

  it("fails the run with 'authorize again' when the person's authorization is revoked", async () => {
    await call(jira(), "POST", "/_sandbox/oauth", { auth: "", body: { revokeUser: "bob@sandbox.test" } });
    const pulled = await api(t(), "POST", "/projects/REL/pull", { token: t().tokens.member, body: {} });
    assert.equal(pulled.status, 200);
    assert.equal(pulled.body.run.status, "failed");
    assert.match(pulled.body.run.error, /Authorize again/);
  });
});
