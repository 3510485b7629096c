// A Pull of a project with 10,000 linked issues reads them in Jira's largest pages (bulk fetch of 100 per call),
// never one call per issue, and a second Pull with nothing changed in Jira writes nothing to Jira.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const N = 10_000;
const t = useTandem();
const jira = useSandbox({ flavour: "cloud", seed: `large:${N}` });

describe(`pull of ${N} linked issues`, { timeout: 300_000 }, () => {
  it("reads in pages of 100 and applies every issue", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "large", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "BIG", name: "Big", fields: [] } });
    await api(t(), "PUT", "/projects/BIG/jira", { body: { connector: "large", jiraProjects: ["LOAD"], direction: "pull" } });
    const saved = await api(t(), "PUT", "/projects/BIG/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    // Linking 10,000 items through the API would test the API, not the pull: the store links them directly.
    const store = t().tandem.store;
    const project = (await store.projects.byId("BIG"))!;
    const issues = [...jira().state.issues.values()];
    await store.db.transaction(async () => {
      for (const issue of issues) {
        const item = await store.projects.addItem(project.id, { title: "to be pulled" });
        await store.projects.link(item.id, issue.id, issue.key);
      }
    });
    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const pulled = await api(t(), "POST", "/projects/BIG/pull", { body: {} });
    assert.equal(pulled.status, 200);
    assert.equal(pulled.body.run.status, "succeeded", pulled.body.run.error ?? "");
    assert.equal(pulled.body.run.counts.changed, N);
    const stats = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body;
    assert.equal(stats.requests["POST /rest/api/3/issue/bulkfetch"], Math.ceil(N / 100));
    const perIssue = Object.keys(stats.requests).filter((route) => route.includes("/issue/:"));
    assert.deepEqual(perIssue, [], "no call per issue");
    const items = await store.projects.items(project.id);
    const sample = items[1234]!;
    assert.equal(sample.values.title, jira().state.issues.get(sample.link!.jiraIssueId)!.summary);
  });
});
