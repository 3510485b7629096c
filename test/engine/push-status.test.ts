// A Push (not a two-way sync) of an item whose status mapping goes both ways: the status is walked through the
// workflow like any pushed change, instead of a warning that the status "is not written as a field".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("push with a both-ways status mapping", () => {
  it("walks the issue to the item's status and warns of nothing", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "push status", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "PST", name: "Push status" } });
    await api(t(), "PUT", "/projects/PST/jira", { body: { connector: "push status", jiraProjects: ["SCHED"], direction: "two-way", conflictPolicy: "jira-wins" } });
    const saved = await api(t(), "PUT", "/projects/PST/mappings", { body: { mappings: [{ tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status" } }] } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const sched = jira().state.projectByIdOrKey("SCHED")!;
    const open = [...jira().state.issues.values()].find((entry) => entry.projectId === sched.id && !entry.parentId && jira().state.statuses.get(entry.statusId)!.category === "new")!;
    const issue = () => jira().state.issueByIdOrKey(open.key)!;
    const category = () => jira().state.statuses.get(issue().statusId)!.category;
    assert.notEqual(category(), "done");
    const item = (await api(t(), "POST", "/projects/PST/items", { body: { values: { title: "x" } } })).body;
    await api(t(), "PUT", `/items/${item.key}/link`, { body: { jiraKey: open.key } });
    assert.equal((await api(t(), "POST", "/projects/PST/sync", { body: {} })).body.run.status, "succeeded");
    assert.equal((await api(t(), "PATCH", `/items/${item.key}`, { body: { values: { status: "Completed" } } })).status, 200);
    const pushed = await api(t(), "POST", "/projects/PST/push", { body: {} });
    assert.equal(pushed.body.items[0].outcome, "changed", JSON.stringify(pushed.body.items));
    assert.deepEqual(pushed.body.items[0].messages, []);
    assert.equal(category(), "done");
    const again = await api(t(), "POST", "/projects/PST/push", { body: {} });
    assert.equal(again.body.items[0].outcome, "unchanged", JSON.stringify(again.body.items));
  });
});
