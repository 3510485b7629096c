// A webhook payload newer than what its item last synced is applied as delivered, without reading Jira again; a
// payload that is not newer (a late or reordered delivery, or one of the same version time), or one whose mapped
// fields read differently from Jira's REST answer (Cloud's rich text), is not trusted: the issue is read instead.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signWebhookBody } from "../../src/jira/webhook-signature.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 5000 } });

const settle = async () => {
  await jira().dispatcher.idle();
  await inboxSettled(t());
};

/** Reads of issues the sandbox answered since the last call (bulk fetches, searches, single GETs). */
async function readsSinceLast(): Promise<number> {
  const { requests } = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body as { requests: Record<string, number> };
  await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
  return Object.entries(requests).filter(([route]) => /bulkfetch|search|GET \/rest\/api\/\d\/issue\//.test(route)).reduce((sum, [, n]) => sum + n, 0);
}

const itemOf = async (project: string, jiraKey: string) => ((await api(t(), "GET", `/projects/${project}/items`)).body as { key: string; values: Record<string, unknown>; link: { jiraKey: string } | null }[]).find((item) => item.link?.jiraKey === jiraKey)!;
const syncedVersion = async (jiraKey: string) => {
  const row = await t().tandem.store.db.get<{ jira_updated: number | string | null }>("SELECT jira_updated FROM links WHERE jira_key = ?", [jiraKey]);
  // PostgreSQL answers a BIGINT as a string.
  return row?.jira_updated === null || row?.jira_updated === undefined ? null : Number(row.jira_updated);
};
const jiraUpdated = (key: string) => jira().state.issueByIdOrKey(key)!.updated;

describe("webhook payloads applied as delivered", () => {
  let hookUrl = "";
  let secret = "";

  it("applies a delivered issue newer than the item's last sync without reading Jira", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "pa", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "PA", name: "Payloads", fields: [] } });
    await api(t(), "PUT", "/projects/PA/jira", { body: { connector: "pa", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/PA/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] } });
    const item = await api(t(), "POST", "/projects/PA/items", { body: { values: { title: "before" } } });
    assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "ROAD-1" } })).status, 200);
    assert.equal(await syncedVersion("ROAD-1"), null, "a new link has synced no version yet");
    assert.equal((await api(t(), "POST", "/projects/PA/pull")).status, 200);
    assert.equal(await syncedVersion("ROAD-1"), jiraUpdated("ROAD-1"), "the Pull remembers the version it synced");
    const webhook = await api(t(), "POST", "/connectors/pa/webhook");
    assert.equal(webhook.status, 200, JSON.stringify(webhook.body));
    hookUrl = webhook.body.url;
    secret = webhook.body.secret;

    await readsSinceLast();
    assert.equal((await call(jira(), "PUT", "/rest/api/3/issue/ROAD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Edited in Jira" } } })).status, 204);
    await settle();
    assert.equal((await itemOf("PA", "ROAD-1")).values.title, "Edited in Jira");
    assert.equal(await readsSinceLast(), 0, "the payload stood for the read");
    assert.equal(await syncedVersion("ROAD-1"), jiraUpdated("ROAD-1"), "the link remembers the version applied");
  });

  it("reads the issue instead when a delivery is older than, or as old as, the version already synced", async () => {
    const delivered = await t().tandem.store.db.get<{ body: string }>("SELECT body FROM inbox WHERE body LIKE ? ORDER BY received_at DESC", ["%Edited in Jira%"]);
    const older = JSON.parse(delivered!.body);
    assert.equal((await call(jira(), "PUT", "/rest/api/3/issue/ROAD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Edited twice" } } })).status, 204);
    await settle();
    assert.equal((await itemOf("PA", "ROAD-1")).values.title, "Edited twice");
    await readsSinceLast();

    // A late delivery of an older version (its own changelog, so not a duplicate), then one claiming the very
    // version time already synced but other content: neither is trusted, each is read, and nothing rolls back.
    const synced = (await syncedVersion("ROAD-1"))!;
    const sameTime = structuredClone(older);
    sameTime.issue.fields.updated = new Date(synced).toISOString().replace("Z", "+0000");
    sameTime.issue.fields.summary = "Same time, other content";
    for (const [index, body] of [older, sameTime].entries()) {
      body.changelog = { ...body.changelog, id: `late-${index}` };
      const raw = JSON.stringify(body);
      const answer = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(secret, raw), "X-Atlassian-Webhook-Identifier": `late-delivery-${index}` }, body: raw });
      assert.equal(answer.status, 202);
      await inboxSettled(t());
    }
    assert.equal((await itemOf("PA", "ROAD-1")).values.title, "Edited twice", "no rollback to a delivered older version");
    assert.equal(await readsSinceLast(), 2, "each untrusted delivery made the issue be read");
    assert.equal(await syncedVersion("ROAD-1"), jiraUpdated("ROAD-1"), "the version synced never goes back");
  });

  it("reads the issue when a mapped field reads differently in a payload (Cloud's rich text arrives as wiki markup)", async () => {
    await api(t(), "POST", "/projects", { body: { key: "PR", name: "Rich", fields: [{ key: "notes", name: "Notes", type: "text" }] } });
    await api(t(), "PUT", "/projects/PR/jira", { body: { connector: "pa", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/PR/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }, { tandemField: "notes", jiraField: "description", direction: "pull", transform: { kind: "richText" } }] } });
    const item = await api(t(), "POST", "/projects/PR/items", { body: { values: { title: "rich" } } });
    assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "ROAD-2" } })).status, 200);
    assert.equal((await api(t(), "POST", "/projects/PR/pull")).status, 200);
    assert.ok(await syncedVersion("ROAD-2"), "the item has synced a version, so only the rich text stops the payload standing in");
    await readsSinceLast();
    const description = { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "Now " }, { type: "text", text: "bold", marks: [{ type: "strong" }] }] }] };
    assert.equal((await call(jira(), "PUT", "/rest/api/3/issue/ROAD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { description } } })).status, 204);
    await settle();
    assert.equal((await itemOf("PR", "ROAD-2")).values.notes, "Now **bold**");
    assert.equal(await readsSinceLast(), 1, "the issue was read in bulk once, not taken from the wiki-markup payload");
  });
});
