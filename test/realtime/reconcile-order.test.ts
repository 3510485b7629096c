// Deletions no event reported are found by reconciliation with the connector's own identity (lost access is not
// a deletion), and delayed and reordered deliveries never roll an item back: the current state is what applies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });

const settle = async () => {
  for (let round = 0; round < 3; round++) {
    await jira().dispatcher.idle();
    await inboxSettled(t());
  }
};

describe("reconciliation and out-of-order deliveries", () => {
  it("severs the link of an issue deleted without an event, but not of one the person merely cannot see", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "rc", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "RC", name: "Reconcile", fields: [] } });
    await api(t(), "PUT", "/projects/RC/jira", { body: { connector: "rc", jiraProjects: ["ROAD", "OPS"], direction: "two-way", conflictPolicy: "jira-wins" } });
    await api(t(), "PUT", "/projects/RC/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }] } });
    const opsKey = [...jira().state.issues.values()].find((issue) => issue.key.startsWith("OPS-"))!.key;
    for (const key of ["ROAD-4", "ROAD-5", opsKey]) {
      const item = await api(t(), "POST", "/projects/RC/items", { body: { values: { title: key } } });
      await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } });
    }
    // Deleted behind Tandem's back: no webhook is registered.
    jira().state.issues.delete(jira().state.issueByIdOrKey("ROAD-5")!.id);
    const result = await api(t(), "POST", "/projects/RC/reconcile");
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body.run.counts.changed, 1);
    assert.match(result.body.items[0].messages[0], /ROAD-5 no longer exists/);
    const items = (await api(t(), "GET", "/projects/RC/items")).body as { values: Record<string, unknown>; link: { jiraKey: string } | null }[];
    const severed = items.find((item) => item.values.jiraDeleted === "ROAD-5")!;
    assert.equal(severed.link, null, "the link is severed, the item kept and marked");
    assert.ok(items.find((item) => item.link?.jiraKey === opsKey), "the OPS issue (visible to the service identity) stays linked");
  });

  it("applies the current state whatever order deliveries arrive in", async () => {
    await api(t(), "POST", "/connectors/rc/webhook");
    await call(jira(), "POST", "/_sandbox/webhooks/controls", { auth: "", body: { reorderBatch: 3 } });
    for (const summary of ["first", "second", "third"]) {
      await call(jira(), "PUT", "/rest/api/3/issue/ROAD-4", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary } } });
    }
    await settle();
    await call(jira(), "POST", "/_sandbox/webhooks/controls", { auth: "", body: { reorderBatch: 0, delayMs: 50 } });
    // Tandem's inbox shows the order they arrived in: newest first.
    const arrived = await t().tandem.store.db.all<{ body: string }>("SELECT body FROM inbox ORDER BY received_at");
    const summaries = arrived.map((row) => JSON.parse(row.body).issue?.fields?.summary).filter((summary) => ["first", "second", "third"].includes(summary));
    assert.deepEqual(summaries, ["third", "second", "first"], "delivered newest first");
    const items = (await api(t(), "GET", "/projects/RC/items")).body as { values: { title: string }; link: { jiraKey: string } | null }[];
    assert.equal(items.find((item) => item.link?.jiraKey === "ROAD-4")!.values.title, "third", "no rollback to an older payload");
    await call(jira(), "PUT", "/rest/api/3/issue/ROAD-4", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "delayed" } } });
    await settle();
    assert.equal(((await api(t(), "GET", "/projects/RC/items")).body as { values: { title: string }; link: { jiraKey: string } | null }[]).find((item) => item.link?.jiraKey === "ROAD-4")!.values.title, "delayed");
  });
});
