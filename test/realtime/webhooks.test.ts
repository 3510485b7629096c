// Real-time: Tandem registers its webhook in the sandbox Jira, the sandbox delivers signed webhooks over HTTP into
// Tandem's durable inbox, and linked items follow Jira within the same test; retries, duplicates and forgeries
// are handled, deletion severs the link, and every real capture is accepted.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { signWebhookBody } from "../../src/jira/webhook-signature.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 5000 } });

async function settle() {
  await jira().dispatcher.idle();
  await t().tandem.processor.idle();
}

describe("webhooks into Tandem", () => {
  let connectorId = "";
  let hookUrl = "";
  let secret = "";

  it("registers one admin webhook filtered by the projects' JQL, and never a second", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "rt", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    connectorId = connector.body.id;
    await api(t(), "POST", "/projects", { body: { key: "RT", name: "Real time", fields: [] } });
    await api(t(), "PUT", "/projects/RT/jira", { body: { connector: "rt", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/RT/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] } });
    for (const key of ["ROAD-1", "ROAD-2", "ROAD-3"]) {
      const item = await api(t(), "POST", "/projects/RT/items", { body: { values: { title: `before ${key}` } } });
      await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } });
    }
    const first = await api(t(), "POST", `/connectors/${connectorId}/webhook`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.registered, true);
    assert.equal(first.body.jql, "project in (ROAD)");
    hookUrl = first.body.url;
    secret = first.body.secret;
    const second = await api(t(), "POST", `/connectors/${connectorId}/webhook`);
    assert.equal(second.body.url, hookUrl);
    const registered = [...jira().state.webhooks.values()];
    assert.equal(registered.length, 1, "a second call updates, never registers again");
    assert.equal(registered[0]!.url, hookUrl);
    assert.equal(registered[0]!.jqlFilter, "project in (ROAD)");
  });

  it("applies a change made in Jira to the linked item", async () => {
    const edited = await call(jira(), "PUT", "/rest/api/3/issue/ROAD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Changed in Jira" } } });
    assert.equal(edited.status, 204);
    await settle();
    const items = (await api(t(), "GET", "/projects/RT/items")).body as { values: { title: string }; link: { jiraKey: string } }[];
    assert.equal(items.find((item) => item.link?.jiraKey === "ROAD-1")!.values.title, "Changed in Jira");
    const runs = (await api(t(), "GET", "/projects/RT/runs")).body as { identity: string; kind: string }[];
    assert.match(runs[0]!.identity, /^webhook/);
    const status = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body;
    assert.equal(status.connected, true);
    assert.ok(status.lastVerifiedDelivery > 0);
  });

  it("records a duplicated delivery once, and a retried one once", async () => {
    const before = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body;
    await call(jira(), "POST", "/_sandbox/webhooks/controls", { auth: "", body: { duplicateNext: 1 } });
    await call(jira(), "PUT", "/rest/api/3/issue/ROAD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Twice delivered" } } });
    await settle();
    const after = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body;
    assert.equal(after.verified - before.verified, 2, "both copies were verified");
    const recorded = Object.values(after.inbox as Record<string, number>).reduce((sum, n) => sum + n, 0) - Object.values(before.inbox as Record<string, number>).reduce((sum, n) => sum + n, 0);
    assert.equal(recorded, 1, "but recorded once");
    // The two copies arrive at once: the second is answered as a duplicate, not refused by the store's unique key.
    const twice = jira().dispatcher.deliveries.at(-1)!;
    assert.deepEqual(twice.attempts.map((attempt) => attempt.status), [202, 202], JSON.stringify(twice.attempts));
  });

  it("refuses unsigned and wrongly signed deliveries and counts them", async () => {
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: "jira:issue_updated", issue: { id: "1", key: "ROAD-1", self: "x", fields: {} } });
    const before = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.rejected;
    const unsigned = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    assert.equal(unsigned.status, 401);
    const forged = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody("not the secret", body) }, body });
    assert.equal(forged.status, 401);
    const unknown = await fetch(hookUrl.replace(/[^/]+$/, "nope"), { method: "POST", body });
    assert.equal(unknown.status, 404);
    assert.equal((await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.rejected - before, 2);
  });

  it("accepts every real Jira capture, signed with the secret", async () => {
    const dir = new URL("../fixtures/jira-webhooks/", import.meta.url);
    for (const name of readdirSync(dir)) {
      const body = readFileSync(new URL(name, dir), "utf8");
      const response = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(secret, body), "X-Atlassian-Webhook-Identifier": `fixture-${name}` }, body });
      assert.equal(response.status, 202, name);
    }
    await t().tandem.processor.idle();
    const inbox = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.inbox;
    assert.equal(inbox.failed ?? 0, 0, JSON.stringify(inbox));
  });

  it("severs the link when the issue is deleted in Jira, keeping the item", async () => {
    const deleted = await call(jira(), "DELETE", "/rest/api/3/issue/ROAD-3?deleteSubtasks=true", {});
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    await settle();
    const items = (await api(t(), "GET", "/projects/RT/items")).body as { values: { title: string }; link: unknown }[];
    assert.equal(items.length, 3, "the item stays");
    assert.equal(items.filter((item) => item.link === null).length, 1);
  });

  it("gives the paste-in details when the identity may not register webhooks", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "rt-alice", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } } });
    const result = await api(t(), "POST", `/connectors/${connector.body.id}/webhook`);
    assert.equal(result.body.registered, false);
    assert.match(result.body.instructions, /Ask a Jira admin/);
    assert.match(result.body.url, /\/hooks\/jira\//);
    assert.ok(result.body.secret.length >= 32);
  });
});
