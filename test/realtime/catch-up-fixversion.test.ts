// A fix version change does not bump `updated` in Jira (the sandbox behaves so), so a catch-up that asked only for
// `updated >=` would never see it. With fix versions mapped, the catch-up's one search also asks for issues whose
// fix versions changed, and applies those that differ from what was last synced; with nothing changed it still
// makes one search and writes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catchUpJql } from "../../src/realtime/catch-up.ts";
import type { Project } from "../../src/store/projects.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", quirks: { searchIndexLagMs: 0, jqlMinutePrecision: true, fixVersionSkipsUpdated: true } });
const itemsOf = async () => (await api(t(), "GET", "/projects/FV/items")).body as { values: Record<string, unknown>; link: { jiraKey: string } }[];
const versionsOf = async (key: string) => (await itemsOf()).find((item) => item.link.jiraKey === key)!.values.versions;
const searches = async () => {
  const stats = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
  await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
  return stats;
};

describe("catch-up and fix versions", () => {
  it("asks for fix version changes in the same search only when fix versions are mapped", () => {
    const project = { jiraProjects: ["ROAD"], jqlScope: "", cursor: { updated: 1_000_000, issueIds: [] } } as unknown as Project;
    const now = 1_000_000 + 60_000;
    assert.equal(catchUpJql(project, now), 'project in ("ROAD") AND updated >= "-3m" ORDER BY updated ASC');
    assert.equal(catchUpJql(project, now, { fixVersions: true }), 'project in ("ROAD") AND (updated >= "-3m" OR fixVersion CHANGED AFTER "-4m") ORDER BY updated ASC');
  });

  it("applies a fix version change that left `updated` alone, then finds nothing new with one search and no write", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "fv", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "FV", name: "Fix versions", fields: [{ key: "versions", name: "Fix versions", type: "multiselect" }] } });
    await api(t(), "PUT", "/projects/FV/jira", { body: { connector: "fv", jiraProjects: ["ROAD"], direction: "pull" } });
    const mapped = await api(t(), "PUT", "/projects/FV/mappings", { body: { mappings: [
      { tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } },
      { tandemField: "versions", jiraField: "fixVersions", direction: "pull", transform: { kind: "options", multiple: true } },
    ] } });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
    for (const key of ["ROAD-2", "ROAD-3"]) {
      const item = await api(t(), "POST", "/projects/FV/items", { body: { values: { title: "old" } } });
      await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } });
    }
    const first = await api(t(), "POST", "/projects/FV/catch-up");
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const before = await versionsOf("ROAD-2");
    const issue = jira().state.issueByIdOrKey("ROAD-2")!;
    const updatedBefore = issue.updated;

    const edited = await call(jira(), "PUT", "/rest/api/3/issue/ROAD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { update: { fixVersions: [{ add: { name: "2.0" } }] } } });
    assert.ok(edited.status < 300, JSON.stringify(edited.body));
    assert.equal(jira().state.issueByIdOrKey("ROAD-2")!.updated, updatedBefore, "Jira left `updated` alone");
    await searches();
    const second = await api(t(), "POST", "/projects/FV/catch-up");
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.newer, 1, JSON.stringify(second.body));
    const after = (await versionsOf("ROAD-2")) as string[];
    assert.notDeepEqual(after, before);
    assert.ok(after.includes("2.0"), JSON.stringify(after));

    await searches();
    const store = t().tandem.store;
    const runsBefore = (await store.runs.list((await store.projects.byId("FV"))!.id)).length;
    const third = await api(t(), "POST", "/projects/FV/catch-up");
    assert.equal(third.body.newer, 0, "the change is applied once; the overlap finds it again but it is what was synced");
    const stats = await searches();
    assert.equal(Object.entries(stats).filter(([route]) => route.includes("/search/jql")).reduce((sum, [, n]) => sum + n, 0), 1, "one search call");
    assert.deepEqual(Object.keys(stats).filter((route) => /^(PUT|DELETE) |issue\/bulkfetch/.test(route)), [], "no write and no extra read");
    assert.equal((await store.runs.list((await store.projects.byId("FV"))!.id)).length, runsBefore, "no run was recorded");
  });
});
