// A one-way project (Tandem → Jira) applies nothing from Jira's events but the end of a link: an edit made in Jira
// leaves the item as it is (and is not recorded as a run), while a deletion still severs the link and keeps the item.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });
const settle = async () => {
  await jira().dispatcher.idle();
  await inboxSettled(t());
};

describe("a one-way (Tandem → Jira) project and Jira's events", () => {
  it("keeps the item through a Jira edit, and severs the link on a deletion", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "oneway", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "OW", name: "One way", fields: [] } });
    await api(t(), "PUT", "/projects/OW/jira", { body: { connector: "oneway", jiraProjects: ["ROAD"], direction: "push" } });
    await api(t(), "PUT", "/projects/OW/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "push", transform: { kind: "copy" } }] } });
    const made = [];
    for (const key of ["ROAD-8", "ROAD-9"]) {
      const item = await api(t(), "POST", "/projects/OW/items", { body: { values: { title: `Tandem's title for ${key}` } } });
      assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } })).status, 200);
      made.push(item.body.key as string);
    }
    assert.equal((await api(t(), "POST", "/projects/OW/push", { body: {} })).status, 200);
    assert.equal((await api(t(), "POST", `/connectors/${connector.body.id}/webhook`)).body.registered, true);
    const runsBefore = (await api(t(), "GET", "/projects/OW/runs")).body.length;

    await call(jira(), "PUT", "/rest/api/3/issue/ROAD-8", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Edited in Jira" } } });
    await settle();
    const delivered = await t().tandem.store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE connector_id = ? AND status = 'processed'", [connector.body.id]);
    assert.ok(Number(delivered!.n) >= 1, "the edit's delivery arrived and was processed");
    const item = (await api(t(), "GET", `/items/${made[0]}`)).body;
    assert.equal(item.values.title, "Tandem's title for ROAD-8", "nothing from Jira is applied");
    assert.equal((await api(t(), "GET", "/projects/OW/runs")).body.length, runsBefore, "and no run recorded for it");

    await call(jira(), "DELETE", "/rest/api/3/issue/ROAD-9", { auth: basic("admin@sandbox.test", "sandbox-token") });
    await settle();
    const severed = (await api(t(), "GET", `/items/${made[1]}`)).body;
    assert.equal(severed.link, null, "a deletion severs the link");
    assert.equal(severed.values.jiraDeleted, "ROAD-9", "the item is kept and marked");
  });
});
