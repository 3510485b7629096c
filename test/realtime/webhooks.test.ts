// Real-time: Tandem registers its webhook in the sandbox Jira, the sandbox delivers signed webhooks over HTTP into
// Tandem's durable inbox, and linked items follow Jira within the same test; retries, duplicates and forgeries
// are handled, deletion severs the link, and every real capture (Cloud and Server, old and new styles) does what it
// says to the item of its issue.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { versionOf } from "../../src/jira/webhook-payload.ts";
import { signWebhookBody } from "../../src/jira/webhook-signature.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 5000 } });

interface Capture {
  webhookEvent: string;
  issue?: { id: string; key: string; self: string; fields?: { summary?: string } };
  comment?: { self: string };
}

/**
 * A capture rewritten to be about another issue, consistently: the issue's id, key and self, every link to the
 * issue (by id or key) on the capture's site moved to the sandbox's, and worklogs' issueId.
 */
function aboutIssue(capture: Capture, issue: { id: string; key: string }, siteUrl: string): Capture {
  const oldId = capture.issue?.id ?? /\/issue\/(\d+)\/comment\//.exec(capture.comment?.self ?? "")![1]!;
  const oldKey = capture.issue?.key ?? null;
  const origin = new URL(capture.issue?.self ?? capture.comment!.self).origin;
  const rewrite = (value: unknown, key: string): unknown => {
    if (typeof value === "string") {
      if (key === "issueId" && value === oldId) return issue.id;
      let text = value.startsWith(origin) ? siteUrl + value.slice(origin.length) : value;
      text = text.replace(`/issue/${oldId}/`, `/issue/${issue.id}/`);
      return oldKey ? text.replace(`/issue/${oldKey}/`, `/issue/${issue.key}/`) : text;
    }
    if (Array.isArray(value)) return value.map((entry) => rewrite(entry, key));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, rewrite(entry, name)]));
    return value;
  };
  const rewritten = rewrite(capture, "") as Capture;
  if (rewritten.issue) Object.assign(rewritten.issue, { id: issue.id, key: issue.key, self: `${siteUrl}/rest/api/2/issue/${issue.id}` });
  return rewritten;
}

async function inboxEntry(identifier: string) {
  const row = await t().tandem.store.db.get<{ event: string; issue_id: string | null; status: string; error: string | null }>("SELECT event, issue_id, status, error FROM inbox WHERE identifier = ?", [identifier]);
  assert.ok(row, `a delivery ${identifier} is recorded`);
  return row;
}

async function settle() {
  await jira().dispatcher.idle();
  await inboxSettled(t());
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
    // The run names who changed Jira, and the account Tandem read it as.
    const bob = [...jira().state.users.values()].find((user) => user.email === "bob@sandbox.test")!;
    assert.match(runs[0]!.identity, new RegExp(`^webhook \\(from ${bob.displayName}\\), as admin@sandbox\\.test|^webhook \\(from ${bob.displayName}\\), as the service account`));
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

  it("applies every real Jira capture to the item of its issue: a sync from Jira's current state, or a severed link for a deletion", async () => {
    // Each capture gets an issue of its own in the sandbox, linked to an item of a project of its own (FX), and is
    // rewritten to name that issue (id, key, self links; Server comment events name it only in comment.self).
    await api(t(), "POST", "/projects", { body: { key: "FX", name: "Fixtures", fields: [] } });
    await api(t(), "PUT", "/projects/FX/jira", { body: { connector: "rt", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/FX/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    const dir = new URL("../fixtures/jira-webhooks/", import.meta.url);
    const names = readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
    const cases: { name: string; capture: Capture; body: string; issue: { id: string; key: string }; item: string; summary: string }[] = [];
    // The sandbox's own deliveries stay off while the issues are made (and one deleted): only the captures arrive.
    const hooks = [...jira().state.webhooks.values()];
    for (const hook of hooks) hook.enabled = false;
    try {
      for (const name of names) {
        const summary = `Current state of ${name}`;
        const created = await call(jira(), "POST", "/rest/api/3/issue", { body: { fields: { project: { key: "ROAD" }, issuetype: { name: "Task" }, summary } } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const item = await api(t(), "POST", "/projects/FX/items", { body: { values: { title: "before" } } });
        assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: created.body.key } })).status, 200);
        const capture = JSON.parse(readFileSync(new URL(name, dir), "utf8")) as Capture;
        const body = JSON.stringify(aboutIssue(capture, { id: created.body.id, key: created.body.key }, jira().url));
        if (capture.webhookEvent === "jira:issue_deleted") assert.equal((await call(jira(), "DELETE", `/rest/api/3/issue/${created.body.key}`)).status, 204);
        cases.push({ name, capture, body, issue: { id: created.body.id, key: created.body.key }, item: item.body.key, summary });
      }
    } finally {
      for (const hook of hooks) hook.enabled = true;
    }
    assert.ok(cases.some((entry) => entry.name.startsWith("webhook-server-comment-") && !entry.capture.issue), "Server comment captures carry no issue");

    const runsOf = async () => (await api(t(), "GET", "/projects/FX/runs")).body as { id: string; kind: string; identity: string; status: string; counts: Record<string, number> }[];
    for (const { name, capture, body, issue, item, summary } of cases) {
      const before = new Set((await runsOf()).map((run) => run.id));
      const response = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(secret, body), "X-Atlassian-Webhook-Identifier": `fixture-${name}` }, body });
      assert.equal(response.status, 202, name);
      await inboxSettled(t());
      const recorded = await inboxEntry(`fixture-${name}`);
      assert.deepEqual([recorded.event, recorded.issue_id, recorded.status, recorded.error], [capture.webhookEvent, issue.id, "processed", null], name);
      const fresh = (await runsOf()).filter((run) => !before.has(run.id));
      assert.equal(fresh.length, 1, `${name}: one run`);
      const { run, items } = (await api(t(), "GET", `/runs/${fresh[0]!.id}`)).body as { run: { identity: string; kind: string; status: string }; items: { itemKey: string; jiraKey: string; outcome: string; changes: { field: string; before: unknown; after: unknown }[] }[] };
      const now = ((await api(t(), "GET", "/projects/FX/items")).body as { key: string; values: Record<string, unknown>; link: { jiraKey: string } | null }[]).find((entry) => entry.key === item)!;
      assert.deepEqual(items.map((entry) => [entry.itemKey, entry.jiraKey, entry.outcome]), [[item, issue.key, "changed"]], `${name}: that item only`);
      if (capture.webhookEvent === "jira:issue_deleted") {
        assert.match(run.identity, /^webhook \(issue deleted\)/, name);
        assert.deepEqual(items[0]!.changes.map((change) => [change.field, change.before, change.after]), [["link", issue.key, null]]);
        assert.equal(now.link, null, `${name}: the link is severed`);
        assert.equal(now.values.jiraDeleted, issue.key, `${name}: the item stays, marked`);
        assert.equal(now.values.title, "before");
      } else {
        assert.deepEqual([run.kind, run.status], ["pull", "succeeded"], name);
        assert.match(run.identity, /^webhook/, name);
        // The title is Jira's current summary, not the capture's: the run read the issue.
        assert.notEqual(capture.issue?.fields?.summary, summary);
        assert.deepEqual(items[0]!.changes.map((change) => [change.field, change.before, change.after]), [["title", "before", summary]], name);
        assert.equal(now.values.title, summary, name);
        assert.equal(now.link?.jiraKey, issue.key);
      }
    }
    const inbox = (await api(t(), "GET", `/connectors/${connectorId}/webhook`)).body.inbox;
    assert.equal(inbox.failed ?? 0, 0, JSON.stringify(inbox));
  });

  it("records deliveries it cannot tie to a linked item as processed, and changes nothing", async () => {
    const items = async () => JSON.stringify([(await api(t(), "GET", "/projects/RT/items")).body, (await api(t(), "GET", "/projects/FX/items")).body]);
    const runs = async () => [...(await api(t(), "GET", "/projects/RT/runs")).body, ...(await api(t(), "GET", "/projects/FX/runs")).body].length;
    const [itemsBefore, runsBefore] = [await items(), await runs()];
    // The captures as Jira sent them name issues no item is linked to.
    const dir = new URL("../fixtures/jira-webhooks/", import.meta.url);
    // Some captures are edited copies of one real delivery (the same issue version: changelog id, or comment and its
    // update): a copy is answered as a duplicate and recorded once, as Jira resending it under a new identifier would be.
    const seenVersions = new Set<string>();
    const duplicates = new Set<string>();
    for (const name of readdirSync(dir).filter((entry) => entry.endsWith(".json"))) {
      const body = readFileSync(new URL(name, dir), "utf8");
      const response = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(secret, body), "X-Atlassian-Webhook-Identifier": `as-captured-${name}` }, body });
      assert.equal(response.status, 202, name);
      const version = versionOf(JSON.parse(body));
      const answer = (await response.json()) as { duplicate: boolean };
      assert.equal(answer.duplicate, version !== null && seenVersions.has(version), `${name}: a duplicate exactly when its issue version came before`);
      if (answer.duplicate) duplicates.add(name);
      if (version) seenVersions.add(version);
    }
    assert.ok(duplicates.size > 0 && duplicates.size < readdirSync(dir).length / 2, `some copies, most captures distinct: ${[...duplicates].join(", ")}`);
    // An issue link event names no issue at all (only the link's ends).
    const linked = await call(jira(), "POST", "/rest/api/3/issueLink", { body: { type: { name: "Blocks" }, inwardIssue: { key: "ROAD-1" }, outwardIssue: { key: "ROAD-2" } } });
    assert.equal(linked.status, 201, JSON.stringify(linked.body));
    await settle();
    for (const name of readdirSync(dir).filter((entry) => entry.endsWith(".json") && !duplicates.has(entry))) assert.equal((await inboxEntry(`as-captured-${name}`)).status, "processed", name);
    const link = await t().tandem.store.db.all<{ event: string; issue_id: string | null; status: string }>("SELECT event, issue_id, status FROM inbox WHERE event = 'issuelink_created'");
    assert.deepEqual(link.map((row) => [row.issue_id, row.status]), [[null, "processed"]]);
    assert.equal(await items(), itemsBefore, "no item changed");
    assert.equal(await runs(), runsBefore, "no run");
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
