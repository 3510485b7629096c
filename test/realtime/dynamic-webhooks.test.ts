// OAuth connectors register dynamic webhooks (no secret: the unguessable path authenticates), deliveries apply,
// and the registration is refreshed before Jira's 30-day expiry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refreshDynamicWebhooks } from "../../src/realtime/registration.ts";
import { jiraForConnector } from "../../src/connectors/jira-for.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });

describe("dynamic webhooks for OAuth connectors", () => {
  it("registers a dynamic webhook, applies its unsigned deliveries by path, and refreshes it before expiry", async () => {
    const connector = (await api(t(), "POST", "/connectors", { body: { name: "oauth-hooks", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "oauth", clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", oauthBaseUrl: jira().url } } })).body;
    const start = (await api(t(), "POST", `/connectors/${connector.id}/oauth/start`, { body: { purpose: "connector" } })).body;
    const consent = await fetch(`${start.authorizeUrl}&sandbox_user=${encodeURIComponent("tandem-sync@sandbox.test")}`, { redirect: "manual" });
    assert.equal((await fetch(consent.headers.get("location")!)).status, 200);
    await api(t(), "POST", "/projects", { body: { key: "DYN", name: "Dynamic", fields: [] } });
    await api(t(), "PUT", "/projects/DYN/jira", { body: { connector: "oauth-hooks", jiraProjects: ["BOARD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/DYN/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    const item = await api(t(), "POST", "/projects/DYN/items", { body: { values: { title: "before" } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "BOARD-2" } });

    const registered = await api(t(), "POST", `/connectors/${connector.id}/webhook`);
    assert.equal(registered.body.registered, true, JSON.stringify(registered.body));
    const dynamic = [...jira().state.webhooks.values()].filter((webhook) => webhook.kind === "dynamic");
    assert.equal(dynamic.length, 1);
    assert.equal(dynamic[0]!.jqlFilter, "project in (BOARD)");
    assert.equal(dynamic[0]!.secret, null);

    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Via a dynamic webhook" } } });
    await jira().dispatcher.idle();
    await inboxSettled(t());
    assert.equal((await api(t(), "GET", "/projects/DYN/items")).body[0].values.title, "Via a dynamic webhook");

    // 25 days later the registration is within a week of expiring: the daily refresh extends it.
    const before = dynamic[0]!.expiresAt!;
    await call(jira(), "POST", "/_sandbox/clock", { auth: "", body: { advanceMs: 25 * 24 * 3600_000 } });
    const store = t().tandem.store;
    await store.db.run("UPDATE webhook_endpoints SET expires_at = ? WHERE connector_id = ?", [Date.now() + 5 * 24 * 3600_000, connector.id]);
    const refreshed = await refreshDynamicWebhooks(store, (target) => jiraForConnector(store, target), t().tandem.url);
    assert.equal(refreshed, 1);
    assert.ok(jira().state.webhooks.get(dynamic[0]!.id)!.expiresAt! > before, "Jira's expiry moved forward");
    assert.equal([...jira().state.webhooks.values()].filter((webhook) => webhook.kind === "dynamic").length, 1, "refreshed, not registered again");
  });
});
