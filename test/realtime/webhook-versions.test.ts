// The same change delivered under two identifiers (a second registration, or a resend Jira gave a new identifier)
// is recorded once: a delivery is news of an issue version, and the changelog id or the comment's update names it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signWebhookBody } from "../../src/jira/webhook-signature.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("webhook deliveries of one issue version", () => {
  it("records the same changelog or comment version once, whatever the identifier, and a new version again", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "versions", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "VER", name: "Versions", fields: [] } });
    await api(t(), "PUT", "/projects/VER/jira", { body: { connector: "versions", jiraProjects: ["ROAD"], direction: "pull" } });
    const registered = await api(t(), "POST", `/connectors/${connector.body.id}/webhook`);
    assert.equal(registered.body.registered, true, JSON.stringify(registered.body));
    const issue = jira().state.issueByIdOrKey("ROAD-1")!;
    const send = async (identifier: string, body: unknown) => {
      const raw = JSON.stringify(body);
      const response = await fetch(registered.body.url, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(registered.body.secret, raw), "X-Atlassian-Webhook-Identifier": identifier }, body: raw });
      assert.equal(response.status, 202, identifier);
      return ((await response.json()) as { duplicate: boolean }).duplicate;
    };
    const updated = (changelogId: string) => ({ timestamp: Date.now(), webhookEvent: "jira:issue_updated", issue: { id: issue.id, key: issue.key, self: `${jira().url}/rest/api/2/issue/${issue.id}`, fields: { summary: issue.summary } }, changelog: { id: changelogId, items: [{ field: "summary", fieldtype: "jira", from: null, fromString: "a", to: null, toString: "b" }] } });
    const comment = (updatedAt: string) => ({ timestamp: Date.now(), webhookEvent: "comment_updated", comment: { self: `${jira().url}/rest/api/2/issue/${issue.id}/comment/777`, id: "777", body: "text", created: "2026-12-01T10:00:00.000+0000", updated: updatedAt } });

    assert.equal(await send("first", updated("5001")), false);
    assert.equal(await send("second-registration", updated("5001")), true, "the same changelog under another identifier");
    assert.equal(await send("third", updated("5002")), false, "a new change is news");
    assert.equal(await send("c1", comment("2026-12-01T10:05:00.000+0000")), false);
    assert.equal(await send("c2", comment("2026-12-01T10:05:00.000+0000")), true, "the same comment version");
    assert.equal(await send("c3", comment("2026-12-01T10:06:00.000+0000")), false, "the comment edited again");
    const rows = await t().tandem.store.db.all<{ identifier: string }>("SELECT identifier FROM inbox WHERE connector_id = ? ORDER BY received_at", [connector.body.id]);
    assert.deepEqual(rows.map((row) => row.identifier), ["first", "third", "c1", "c3"]);
  });
});
