// Directions and loops with real webhooks: a read-only project never writes to Jira (refused before the call),
// a two-way project edited on both sides settles after one exchange, a dropped delivery is recovered by catch-up,
// and deliveries recorded before a restart are processed after it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JiraClient } from "../../src/jira/client.ts";
import { ReadOnlyViolationError } from "../../src/jira/errors.ts";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import { serve } from "../../src/server/server.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { ADMIN_LOGIN, api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });

const writesIn = (stats: Record<string, number>) => Object.entries(stats).filter(([route]) => /^(PUT|DELETE) /.test(route) || /^POST \/rest\/api\/3\/issue($|\/:[^/]+\/(transitions|comment))/.test(route)).reduce((sum, [, count]) => sum + count, 0);
const stats = async () => (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
const settle = async () => {
  for (let round = 0; round < 3; round++) {
    await jira().dispatcher.idle();
    await inboxSettled(t());
  }
};

describe("directions and loops", () => {
  it("never writes to Jira from a read-only connection, refusing before any call", async () => {
    const client = new JiraClient({ flavour: "cloud", siteUrl: jira().url, credentials: { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" }, limiter: new ConnectorLimiter(), readOnly: true });
    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    await assert.rejects(client.editIssue("ROAD-1", { fields: { summary: "must not happen" } }), ReadOnlyViolationError);
    await assert.rejects(client.createIssue({ project: { key: "ROAD" }, issuetype: { id: "10002" }, summary: "no" }), ReadOnlyViolationError);
    assert.equal(Object.keys(await stats()).length, 0, "nothing reached Jira");
    assert.ok((await client.getIssue("ROAD-1", { fields: ["summary"] })).key === "ROAD-1", "reads still work");

    await api(t(), "POST", "/connectors", { body: { name: "loops", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "RO", name: "Read only", fields: [] } });
    await api(t(), "PUT", "/projects/RO/jira", { body: { connector: "loops", jiraProjects: ["SCHED"], direction: "pull" } });
    const item = await api(t(), "POST", "/projects/RO/items", { body: { values: { title: "Never sent" } } });
    const refused = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: "SCHED", issueType: "Task" } });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /pull-only/);
  });

  it("settles after one exchange when both sides are edited with webhooks on", async () => {
    await api(t(), "POST", "/projects", { body: { key: "LOOP", name: "Loop", fields: [] } });
    await api(t(), "PUT", "/projects/LOOP/jira", { body: { connector: "loops", jiraProjects: ["BOARD"], direction: "two-way", conflictPolicy: "newest-wins" } });
    await api(t(), "PUT", "/projects/LOOP/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }, { tandemField: "description", jiraField: "description", direction: "both", transform: { kind: "richText" } }] } });
    const item = await api(t(), "POST", "/projects/LOOP/items", { body: { values: { title: "x" } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "BOARD-1" } });
    await api(t(), "POST", "/projects/LOOP/sync", { body: {} });
    assert.equal((await api(t(), "POST", "/connectors/loops/webhook")).body.registered, true);

    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    await api(t(), "PATCH", `/items/${item.body.key}`, { body: { values: { title: "Edited in Tandem", description: "With **detail**" } } });
    await api(t(), "POST", "/projects/LOOP/sync", { body: {} });
    await settle();
    assert.equal(writesIn(await stats()), 1, "one write to Jira; its echo changes nothing");
    assert.equal(jira().state.issueByIdOrKey("BOARD-1")!.summary, "Edited in Tandem");

    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Edited in Jira" } } });
    await settle();
    const current = (await api(t(), "GET", `/projects/LOOP/items`)).body[0];
    assert.equal(current.values.title, "Edited in Jira");
    assert.equal(writesIn(await stats()), 1, "only Bob's edit: Tandem wrote nothing back");
  });

  it("recovers a dropped delivery with catch-up", async () => {
    await api(t(), "POST", "/projects/LOOP/catch-up");
    await call(jira(), "POST", "/_sandbox/webhooks/controls", { auth: "", body: { dropNext: 1 } });
    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Lost in transit" } } });
    await settle();
    assert.equal((await api(t(), "GET", `/projects/LOOP/items`)).body[0].values.title, "Edited in Jira", "the delivery was dropped");
    const caught = await api(t(), "POST", "/projects/LOOP/catch-up");
    assert.equal(caught.body.newer, 1, JSON.stringify(caught.body));
    assert.equal((await api(t(), "GET", `/projects/LOOP/items`)).body[0].values.title, "Lost in transit");
  });

  it("processes deliveries recorded before a restart", async () => {
    const store = t().tandem.store;
    const connector = (await store.connectors.byName("loops"))!;
    const issue = jira().state.issueByIdOrKey("BOARD-1")!;
    issue.summary = "Changed while Tandem was down";
    issue.updated = Date.now();
    // With worker processes, they are what processes deliveries: they are down too while this one is recorded.
    const workers = t().workers;
    await workers?.stop();
    await store.inbox.record({ connectorId: connector.id, identifier: "before-restart", event: "jira:issue_updated", issueId: issue.id, body: "{}" });
    assert.equal((await store.inbox.pending()).length, 1, "nothing processed the delivery while Tandem was down");
    // A second server on the same data directory stands for the restarted process (an API process beside new workers).
    const restarted = await serve({ port: 0, dataDir: t().dataDir, ...(t().databaseUrl ? { databaseUrl: t().databaseUrl } : {}), ...(workers ? { worker: false } : {}), env: { TANDEM_ADMIN_EMAIL: ADMIN_LOGIN.email, TANDEM_ADMIN_PASSWORD: ADMIN_LOGIN.password } });
    try {
      await workers?.start();
      await inboxSettled({ ...t(), tandem: restarted });
      const item = (await restarted.store.projects.items((await restarted.store.projects.byId("LOOP"))!.id))[0]!;
      assert.equal(item.values.title, "Changed while Tandem was down");
      assert.equal((await restarted.store.inbox.pending()).length, 0);
    } finally {
      await restarted.close();
    }
  });
});
