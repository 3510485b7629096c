// Deletion in Jira versus lost access: an issue the acting person can no longer see, but the connector's own
// identity still can, is reported as lost access and stays linked; an issue really deleted (found by a sync, or
// announced by Jira's deletion event) severs the link, keeps and marks the item, and is in its history; a severed
// item can be linked again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });

type ItemView = { key: string; values: Record<string, unknown>; link: { jiraKey: string } | null };
const items = async () => (await api(t(), "GET", "/projects/DEL/items")).body as ItemView[];
const settle = async () => {
  for (let round = 0; round < 3; round++) {
    await jira().dispatcher.idle();
    await inboxSettled(t());
  }
};
const deleteInJira = async (key: string) => assert.equal((await call(jira(), "DELETE", `/rest/api/3/issue/${key}?deleteSubtasks=true`)).status, 204);

describe("deletion versus lost access", () => {
  let opsKey = "";
  const byJira = new Map<string, string>();

  it("reports an issue only the person lost access to as lost access, and keeps its link", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "del", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "DEL", name: "Deletions", fields: [] } });
    await api(t(), "PUT", "/projects/DEL/jira", { body: { connector: "del", jiraProjects: ["ROAD", "OPS"], direction: "two-way", conflictPolicy: "jira-wins" } });
    await api(t(), "PUT", "/projects/DEL/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    opsKey = [...jira().state.issues.values()].find((issue) => issue.key.startsWith("OPS-"))!.key;
    for (const key of ["ROAD-2", "ROAD-3", "ROAD-4", opsKey]) {
      const item = await api(t(), "POST", "/projects/DEL/items", { body: { values: { title: key } } });
      assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } })).status, 200);
      byJira.set(key, item.body.key);
    }
    // From now on each person syncs as their own Jira identity; the member's is Bob, who may not browse OPS.
    await api(t(), "PUT", "/projects/DEL/jira", { body: { connector: "del", jiraProjects: ["ROAD", "OPS"], direction: "two-way", conflictPolicy: "jira-wins", syncIdentity: "user" } });
    const identity = await api(t(), "PUT", "/connectors/del/identity", { token: t().tokens.member, body: { authMode: "api-token", email: "bob@sandbox.test", apiToken: "bob-token" } });
    assert.equal(identity.status, 200, JSON.stringify(identity.body));
    const bob = [...jira().state.users.values()].find((user) => user.name === "bob")!;
    assert.equal(jira().state.projectByIdOrKey("OPS")!.permissions[bob.accountId], undefined, "Bob cannot see OPS");

    const pulled = await api(t(), "POST", "/projects/DEL/pull", { token: t().tokens.member, body: {} });
    assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
    const ops = pulled.body.items.find((entry: { jiraKey: string }) => entry.jiraKey === opsKey);
    assert.equal(ops.outcome, "failed");
    assert.match(ops.messages[0], /lost access, not a deletion, and the link is kept/);
    const opsItem = (await items()).find((item) => item.key === byJira.get(opsKey))!;
    assert.equal(opsItem.link?.jiraKey, opsKey, "still linked");
    assert.equal(opsItem.values.jiraDeleted, undefined, "not marked deleted");
  });

  it("severs the link of an issue deleted in Jira when a sync finds it gone (a dry run only says so)", async () => {
    const titleBefore = (await items()).find((item) => item.key === byJira.get("ROAD-4"))!.values.title;
    await deleteInJira("ROAD-4");
    const dry = await api(t(), "POST", "/projects/DEL/pull", { token: t().tokens.member, body: { dryRun: true } });
    const planned = dry.body.items.find((entry: { jiraKey: string }) => entry.jiraKey === "ROAD-4");
    assert.match(planned.messages[0], /would be severed/);
    assert.equal((await items()).find((item) => item.key === byJira.get("ROAD-4"))!.link?.jiraKey, "ROAD-4", "a dry run severs nothing");

    const pulled = await api(t(), "POST", "/projects/DEL/pull", { token: t().tokens.member, body: {} });
    const severed = pulled.body.items.find((entry: { jiraKey: string }) => entry.jiraKey === "ROAD-4");
    assert.equal(severed.outcome, "changed");
    assert.match(severed.messages[0], /ROAD-4 no longer exists in Jira.*severed and the item kept/);
    assert.deepEqual(severed.changes, [{ field: "link", side: "tandem", before: "ROAD-4", after: null }]);
    const item = (await items()).find((entry) => entry.key === byJira.get("ROAD-4"))!;
    assert.equal(item.link, null);
    assert.equal(item.values.jiraDeleted, "ROAD-4", "kept and marked");
    assert.equal(item.values.title, titleBefore, "its own values stay");
    const history = (await api(t(), "GET", `/items/${item.key}/history`)).body as { messages: string[]; runId: string }[];
    assert.ok(history.some((entry) => /severed/.test(entry.messages[0] ?? "")), "the history records it");
    assert.equal(pulled.body.items.find((entry: { jiraKey: string }) => entry.jiraKey === opsKey).outcome, "failed", "lost access is still not a deletion");
  });

  it("severs the link when Jira's deletion event arrives, and records it", async () => {
    // Tandem's service identity may not register webhooks: a Jira admin pastes what Tandem gives, as admins do.
    const hook = await api(t(), "POST", "/connectors/del/webhook");
    assert.equal(hook.status, 200);
    const pasted = await call(jira(), "POST", "/rest/webhooks/1.0/webhook", { body: { name: "Tandem", url: hook.body.url, secret: hook.body.secret, events: hook.body.events, filters: { "issue-related-events-section": hook.body.jql } } });
    assert.equal(pasted.status, 201, JSON.stringify(pasted.body));
    await deleteInJira("ROAD-3");
    await settle();
    const item = (await items()).find((entry) => entry.key === byJira.get("ROAD-3"))!;
    assert.equal(item.link, null);
    assert.equal(item.values.jiraDeleted, "ROAD-3");
    const history = (await api(t(), "GET", `/items/${item.key}/history`)).body as { messages: string[]; runId: string }[];
    assert.match(history[0]!.messages[0]!, /ROAD-3 no longer exists in Jira \(Jira sent its deletion event\)/);
    const run = await api(t(), "GET", `/runs/${history[0]!.runId}`);
    assert.match(run.body.run.identity, /webhook \(issue deleted\)/);
  });

  it("links a severed item again, which clears its mark", async () => {
    const key = byJira.get("ROAD-4")!;
    // Created in Jira as the service identity (the member's own identity would do too, for ROAD).
    const made = await call(jira(), "POST", "/rest/api/3/issue", { auth: basic("tandem-sync@sandbox.test", "tandem-sync-token"), body: { fields: { project: { key: "ROAD" }, issuetype: { name: "Task" }, summary: "Replacement" } } });
    const linked = await api(t(), "PUT", `/items/${key}/link`, { token: t().tokens.member, body: { jiraKey: made.body.key } });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    assert.equal(linked.body.link.jiraKey, made.body.key);
    assert.equal(linked.body.values.jiraDeleted, undefined);
    const pulled = await api(t(), "POST", "/projects/DEL/pull", { token: t().tokens.member, body: { items: [key] } });
    assert.equal(pulled.body.items[0].outcome, "changed");
    assert.equal((await items()).find((entry) => entry.key === key)!.values.title, "Replacement");
    const deleted = await api(t(), "POST", "/projects/DEL/pull", { token: t().tokens.guest, body: {} });
    assert.equal(deleted.status, 403, "guests cannot run anything");
  });
});
