// Editing across the boundary: comments both ways with authorship, bulk edit with a partial permission failure
// (the failures named with Jira's reason, the rest done), and deleting an item, which never touches Jira.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("edit and delete across the boundary", () => {
  const dave = () => [...jira().state.users.values()].find((user) => user.name === "dave")!;
  const keys = ["SCHED-2", "SCHED-3", "ROAD-2", "ROAD-3"];
  const itemFor = async (jiraKey: string) => ((await api(t(), "GET", "/projects/ED/items")).body as { key: string; link: { jiraKey: string } | null }[]).find((item) => item.link?.jiraKey === jiraKey)!;

  it("shows Jira's comments as Markdown with their authors, and adds one as the project's identity, naming the person", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "ed", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "dave@sandbox.test", apiToken: "dave-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "ED", name: "Edits", fields: [] } });
    await api(t(), "PUT", "/projects/ED/jira", { body: { connector: "ed", jiraProjects: ["SCHED", "ROAD"], direction: "two-way" } });
    await api(t(), "PUT", "/projects/ED/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }] } });
    for (const key of keys) {
      const item = await api(t(), "POST", "/projects/ED/items", { body: { values: { title: key } } });
      await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } });
    }
    const item = await itemFor("SCHED-2");
    const added = await api(t(), "POST", `/items/${item.key}/comments`, { body: { body: "Looks **good** to me" } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const issue = jira().state.issueByIdOrKey("SCHED-2")!;
    const last = issue.comments.at(-1)!;
    assert.equal(last.authorId, dave().accountId, "written as the project's identity");
    const listed = (await api(t(), "GET", `/items/${item.key}/comments`)).body as { author: string; body: string; jiraAuthor: { displayName: string } }[];
    assert.equal(listed.length, issue.comments.length);
    assert.equal(listed.at(-1)!.body, "Looks **good** to me");
    // Dave's account is the connector's, not the Tandem person's: the comment names them and they are its author.
    assert.equal(listed.at(-1)!.author, "Administrator");
    assert.equal(listed.at(-1)!.jiraAuthor.displayName, dave().displayName);
  });

  it("bulk-edits many items, names the issues Jira refused and why, and does the others", async () => {
    // Dave may browse ROAD but no longer edit it.
    const road = jira().state.projectByIdOrKey("ROAD")!;
    road.permissions[dave().accountId] = ["BROWSE_PROJECTS"];
    const items = await Promise.all(keys.map(itemFor));
    const result = await api(t(), "POST", "/projects/ED/bulk-edit", { body: { items: items.map((item) => item.key), values: { title: "Bulk renamed" } } });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(jira().state.issueByIdOrKey("SCHED-2")!.summary, "Bulk renamed");
    assert.equal(jira().state.issueByIdOrKey("SCHED-3")!.summary, "Bulk renamed");
    assert.notEqual(jira().state.issueByIdOrKey("ROAD-2")!.summary, "Bulk renamed");
    const failedItems = result.body.failed.map((entry: { item: string }) => entry.item).sort();
    assert.deepEqual(failedItems, [items[2]!.key, items[3]!.key].sort());
    assert.match(result.body.failed[0].reason, /cannot be set/);
    const bad = await api(t(), "POST", "/projects/ED/bulk-edit", { body: { items: [items[0]!.key], values: { nope: 1 } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /'nope' is not a field of ED/);
  });

  it("deletes an item and its link, leaving the Jira issue untouched", async () => {
    const item = await itemFor("SCHED-3");
    const before = jira().state.issues.size;
    const deleted = await api(t(), "DELETE", `/items/${item.key}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.jiraIssueUntouched, "SCHED-3");
    assert.equal(jira().state.issues.size, before);
    assert.ok(jira().state.issueByIdOrKey("SCHED-3"));
    assert.equal((await api(t(), "GET", `/projects/ED/items`)).body.length, keys.length - 1);
    const relinked = await api(t(), "POST", "/projects/ED/items", { body: { values: { title: "again" } } });
    assert.equal((await api(t(), "PUT", `/items/${relinked.body.key}/link`, { body: { jiraKey: "SCHED-3" } })).status, 200, "the pair can be linked again");
  });
});
