// A bulk update of many linked items uses Jira's bulk edit where the flavour has it: on Cloud, issues getting the
// same values are written by one bulk edit (a submit and its polls, no edit per issue), and an issue the bulk edit
// could not write falls back to its own edit, which names Jira's reason; Data Center has no bulk edit API, so each
// issue is written once by its own edit.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BULK_EDIT_MIN_ISSUES } from "../../src/engine/sync-run.ts";
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();

async function stats(jira: RunningSandbox): Promise<Record<string, number>> {
  const answer = (await call(jira, "GET", "/_sandbox/stats", { auth: "" })).body as { requests: Record<string, number> };
  await call(jira, "POST", "/_sandbox/stats/reset", { auth: "" });
  return answer.requests;
}
const count = (requests: Record<string, number>, pattern: RegExp) => Object.entries(requests).filter(([route]) => pattern.test(route)).reduce((sum, [, n]) => sum + n, 0);

for (const flavour of ["cloud", "dc"] as const) {
  describe(`bulk update on ${flavour}`, () => {
    const jira = useSandbox({ flavour });
    const key = `BE${flavour === "cloud" ? "C" : "D"}`;
    const version = flavour === "cloud" ? "3" : "2";

    it("writes each issue once, in one bulk edit where Jira has it, and names the issue it refused", async () => {
      const credentials = flavour === "cloud" ? { authMode: "api-token", email: "dave@sandbox.test", apiToken: "dave-token" } : { authMode: "password", username: "dave", password: "dave-password" };
      await api(t(), "POST", "/connectors", { body: { name: `bulk-${flavour}`, flavour, siteUrl: jira().url, credentials } });
      await api(t(), "POST", "/projects", { body: { key, name: "Bulk", fields: [{ key: "labels", name: "Labels", type: "multiselect" }] } });
      await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector: `bulk-${flavour}`, jiraProjects: ["SCHED", "ROAD"], direction: "two-way", conflictPolicy: "tandem-wins" } });
      const mapped = await api(t(), "PUT", `/projects/${key}/mappings`, { body: { mappings: [
        { tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } },
        { tandemField: "labels", jiraField: "labels", direction: "both", transform: { kind: "labels" } },
      ] } });
      assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
      // Enough SCHED issues for a bulk edit, and one ROAD issue Dave will not be allowed to edit.
      const issues = [...[...jira().state.issues.values()].filter((issue) => issue.key.startsWith("SCHED-")).slice(0, BULK_EDIT_MIN_ISSUES + 2), jira().state.issueByIdOrKey("ROAD-2")!];
      const items: string[] = [];
      for (const issue of issues) {
        const item = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: issue.summary, labels: issue.labels } } });
        assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: issue.key } })).status, 200);
        items.push(item.body.key);
      }
      // A first sync settles every pair, so the bulk update is all that differs.
      await api(t(), "POST", `/projects/${key}/sync`, { body: {} });
      // Dave may no longer edit ROAD.
      const refused = issues.at(-1)!;
      const dave = [...jira().state.users.values()].find((user) => user.name === "dave")!;
      const road = jira().state.projectByIdOrKey("ROAD")!;
      const permissions = road.permissions[dave.accountId]!;
      road.permissions[dave.accountId] = ["BROWSE_PROJECTS"];
      try {
        await stats(jira());
        const result = await api(t(), "POST", `/projects/${key}/bulk-edit`, { body: { items, values: { title: "Renamed together", labels: ["bulk", "q1"] } } });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        const requests = await stats(jira());
        for (const issue of issues.slice(0, -1)) {
          assert.equal(jira().state.issueByIdOrKey(issue.key)!.summary, "Renamed together", issue.key);
          assert.deepEqual([...jira().state.issueByIdOrKey(issue.key)!.labels].sort(), ["bulk", "q1"]);
        }
        assert.notEqual(jira().state.issueByIdOrKey(refused.key)!.summary, "Renamed together");
        assert.deepEqual(result.body.failed.map((entry: { item: string }) => entry.item), [items.at(-1)]);
        assert.match(result.body.failed[0].reason, /summary. cannot be set/, "Jira's reason for the issue it refused");
        const edits = count(requests, new RegExp(`^PUT /rest/api/${version}/issue/:`));
        if (flavour === "cloud") {
          assert.equal(count(requests, /^POST \/rest\/api\/3\/bulk\/issues\/fields/), 1, JSON.stringify(requests));
          assert.equal(edits, 1, `only the refused issue is edited on its own, for Jira's reason: ${JSON.stringify(requests)}`);
        } else {
          assert.equal(count(requests, /bulk/), 0, JSON.stringify(requests));
          assert.equal(edits, issues.length, "each issue written once");
        }
      } finally {
        road.permissions[dave.accountId] = permissions;
      }
    });

    if (flavour === "cloud") {
      it("falls back to one edit per issue when Jira refuses the bulk edit, and still writes each", async () => {
        await call(jira(), "POST", "/_sandbox/limits", { auth: "", body: { reset: true, failNext: [{ count: 1, status: 400, path: "/rest/api/3/bulk/issues/fields" }] } });
        const items = ((await api(t(), "GET", `/projects/${key}/items`)).body as { key: string; link: { jiraKey: string } }[]).filter((item) => item.link.jiraKey.startsWith("SCHED-"));
        await stats(jira());
        const result = await api(t(), "POST", `/projects/${key}/bulk-edit`, { body: { items: items.map((item) => item.key), values: { title: "Renamed one by one" } } });
        assert.equal(result.status, 200, JSON.stringify(result.body));
        assert.deepEqual(result.body.failed, []);
        const requests = await stats(jira());
        // (The refused submit is answered before the sandbox counts it by route; without it there would be no PUT.)
        assert.equal(count(requests, /^PUT \/rest\/api\/3\/issue\/:/), items.length, `one edit per issue after the refused bulk edit: ${JSON.stringify(requests)}`);
        for (const item of items) assert.equal(jira().state.issueByIdOrKey(item.link.jiraKey)!.summary, "Renamed one by one");
      });
    }
  });
}
