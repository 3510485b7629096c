// Catch-up by cursor against the sandbox (with Jira's minute-precision JQL dates): changes made while no webhook
// arrived are found and applied; with nothing changed it makes one search call and writes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", quirks: { searchIndexLagMs: 0, jqlMinutePrecision: true } });

describe("catch-up", () => {
  it("sets a schedule, refusing bad ones with the reason", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "cu", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "CU", name: "Catch-up", fields: [] } });
    await api(t(), "PUT", "/projects/CU/jira", { body: { connector: "cu", jiraProjects: ["BOARD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/CU/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    for (const key of ["BOARD-1", "BOARD-2"]) {
      const item = await api(t(), "POST", "/projects/CU/items", { body: { values: { title: "old" } } });
      await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } });
    }
    const bad = await api(t(), "PUT", "/projects/CU/catch-up-schedule", { body: { cron: "every day", timeZone: "UTC" } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /not a cron expression/);
    const badZone = await api(t(), "PUT", "/projects/CU/catch-up-schedule", { body: { cron: "30 6 * * *", timeZone: "Mars/Olympus" } });
    assert.match(badZone.body.error.message, /not a time zone/);
    const saved = await api(t(), "PUT", "/projects/CU/catch-up-schedule", { body: { cron: "30 6 * * *", timeZone: "Europe/Paris" } });
    assert.equal(saved.status, 200);
    const next = t().tandem.scheduler.nextRun(saved.body.id)!;
    const paris = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(next);
    assert.equal(paris, "06:30");
  });

  it("applies what changed since the cursor, then finds nothing new with one search call", async () => {
    const first = await api(t(), "POST", "/projects/CU/catch-up");
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const items = (await api(t(), "GET", "/projects/CU/items")).body as { values: { title: string }; link: { jiraKey: string } }[];
    for (const item of items) assert.equal(item.values.title, jira().state.issueByIdOrKey(item.link.jiraKey)!.summary);

    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Changed while no webhook came" } } });
    const second = await api(t(), "POST", "/projects/CU/catch-up");
    assert.equal(second.body.newer, 1, JSON.stringify(second.body));
    const after = (await api(t(), "GET", "/projects/CU/items")).body as { values: { title: string }; link: { jiraKey: string } }[];
    assert.equal(after.find((item) => item.link.jiraKey === "BOARD-2")!.values.title, "Changed while no webhook came");

    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const store = t().tandem.store;
    const runsBefore = (await store.runs.list((await store.projects.byId("CU"))!.id)).length;
    const third = await api(t(), "POST", "/projects/CU/catch-up");
    assert.equal(third.body.newer, 0, "the overlap brings back only what was applied");
    assert.ok(third.body.searchedIssues >= 1, "the overlap re-reads the last change");
    const stats = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
    const searches = Object.entries(stats).filter(([route]) => route.includes("/search/jql")).reduce((sum, [, count]) => sum + count, 0);
    assert.equal(searches, 1, "one search call per scope");
    assert.deepEqual(Object.keys(stats).filter((route) => /^(PUT|DELETE) |issue\/bulkfetch|POST \/rest\/api\/3\/issue$/.test(route)), [], "no write and no extra read");
    assert.equal((await store.runs.list((await store.projects.byId("CU"))!.id)).length, runsBefore, "no run was recorded");
  });
});
