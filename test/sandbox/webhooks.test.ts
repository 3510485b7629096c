// Webhooks from the sandbox to a real HTTP receiver: registration, JQL filter, signature, payload shape,
// retries with a stable identifier, and the duplicate/drop/reorder controls.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { verifySignature, signBody } from "../../src/sandbox/webhooks/signature.ts";
import { call, useSandbox, basic } from "../support/sandbox.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A receiver that records deliveries and answers comment_created deliveries with the queued statuses (then 200). */
function receiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const json = JSON.parse(body);
      received.push({ headers: request.headers, body, json });
      response.statusCode = json.webhookEvent === "comment_created" ? (statuses.shift() ?? 200) : 200;
      response.end();
    });
  });
  return { server, received, statuses, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const sandbox = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 2000 } });
const hook = receiver();
before(() => new Promise<void>((resolve) => hook.server.listen(0, "127.0.0.1", resolve)));
after(() => new Promise<void>((resolve) => hook.server.close(() => resolve())));

const SECRET = "It's a Secret to Everybody";

async function flush() {
  await sandbox().dispatcher.idle();
}

describe("webhook signatures", () => {
  it("matches Atlassian's published test vector", () => {
    assert.equal(signBody(SECRET, "Hello World!"), "sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9");
    assert.equal(verifySignature(SECRET, "Hello World!", "sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9"), true);
    assert.equal(verifySignature(SECRET, "Hello World?", "sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9"), false);
  });
});

describe("admin webhooks", () => {
  let webhookId = 0;

  it("registers with a JQL filter and secret (admin only)", async () => {
    const body = { name: "tandem", url: `${hook.url()}/jira`, events: ["jira:issue_created", "jira:issue_updated", "comment_created", "issuelink_created"], filters: { "issue-related-events-section": "project = ROAD" }, secret: SECRET };
    const refused = await call(sandbox(), "POST", "/rest/webhooks/1.0/webhook", { auth: basic("alice@sandbox.test", "alice-token"), body });
    assert.equal(refused.status, 403);
    const created = await call(sandbox(), "POST", "/rest/webhooks/1.0/webhook", { body });
    assert.equal(created.status, 201);
    assert.equal(created.body.isSigned, true);
    webhookId = Number(created.body.self.split("/").pop());
    const badJql = await call(sandbox(), "POST", "/rest/webhooks/1.0/webhook", { body: { ...body, filters: { "issue-related-events-section": "project = " } } });
    assert.equal(badJql.status, 400);
    assert.ok(badJql.body.errors.filters);
  });

  it("delivers a signed v2 payload for a matching change, and nothing for other projects", async () => {
    hook.received.length = 0;
    const edit = await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-1", { body: { fields: { summary: "Webhook me", description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "Bold ", marks: [] }, { type: "text", text: "move", marks: [{ type: "strong" }] }] }] } } } });
    assert.equal(edit.status, 204);
    await call(sandbox(), "PUT", "/rest/api/3/issue/SCHED-1", { body: { fields: { summary: "Not for this webhook" } } });
    await flush();
    assert.equal(hook.received.length, 1);
    const delivery = hook.received[0]!;
    assert.equal(verifySignature(SECRET, delivery.body, delivery.headers["x-hub-signature"] as string), true);
    assert.ok(delivery.headers["x-atlassian-webhook-identifier"]);
    assert.equal(delivery.json.webhookEvent, "jira:issue_updated");
    assert.equal(delivery.json.issue.key, "ROAD-1");
    assert.match(delivery.json.issue.self, /\/rest\/api\/2\/issue\//);
    assert.equal(typeof delivery.json.issue.fields.description, "string", "bodies carry wiki markup even on Cloud");
    assert.match(delivery.json.issue.fields.description, /\*move\*/);
    const fields = delivery.json.changelog.items.map((item: { fieldId: string }) => item.fieldId).sort();
    assert.deepEqual(fields, ["description", "summary"]);
  });

  it("retries on 503 with the same identifier and a retry header", async () => {
    hook.received.length = 0;
    hook.statuses.push(503, 429);
    await call(sandbox(), "POST", "/rest/api/3/issue/ROAD-2/comment", { body: { body: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "retry me" }] }] } } });
    await flush();
    const commentDeliveries = hook.received.filter((entry) => entry.json.webhookEvent === "comment_created");
    assert.equal(commentDeliveries.length, 3);
    assert.equal(new Set(commentDeliveries.map((entry) => entry.headers["x-atlassian-webhook-identifier"])).size, 1);
    assert.deepEqual(commentDeliveries.map((entry) => entry.headers["x-atlassian-webhook-retry"]), [undefined, "1", "2"]);
    assert.equal(commentDeliveries[0]!.json.comment.body, "retry me");
  });

  it("duplicates, drops and reorders on request", async () => {
    const controls = (body: unknown) => call(sandbox(), "POST", "/_sandbox/webhooks/controls", { auth: "", body });
    hook.received.length = 0;
    await controls({ duplicateNext: 1 });
    await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-3", { body: { fields: { summary: "dup" } } });
    await flush();
    assert.equal(hook.received.length, 2);
    assert.equal(hook.received[0]!.headers["x-atlassian-webhook-identifier"], hook.received[1]!.headers["x-atlassian-webhook-identifier"]);

    hook.received.length = 0;
    await controls({ dropNext: 1 });
    await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-3", { body: { fields: { summary: "dropped" } } });
    await flush();
    assert.equal(hook.received.length, 0);

    hook.received.length = 0;
    await controls({ reorderBatch: 2 });
    await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-3", { body: { fields: { summary: "first" } } });
    await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-3", { body: { fields: { summary: "second" } } });
    await flush();
    await controls({ reorderBatch: 0 });
    assert.deepEqual(hook.received.map((entry) => entry.json.issue.fields.summary), ["second", "first"]);

    const bad = await controls({ dropNext: -1 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /dropNext/);
  });

  it("lists, updates and deletes the registration", async () => {
    const list = await call(sandbox(), "GET", "/rest/webhooks/1.0/webhook");
    assert.ok(list.body.some((webhook: { self: string }) => webhook.self.endsWith(`/${webhookId}`)));
    const removed = await call(sandbox(), "DELETE", `/rest/webhooks/1.0/webhook/${webhookId}`);
    assert.equal(removed.status, 204);
    hook.received.length = 0;
    await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-1", { body: { fields: { summary: "after delete" } } });
    await flush();
    assert.equal(hook.received.length, 0);
  });
});

describe("dynamic webhooks", () => {
  it("are refused to non-app callers", async () => {
    const response = await call(sandbox(), "POST", "/rest/api/3/webhook", { body: { url: hook.url(), webhooks: [{ events: ["jira:issue_updated"], jqlFilter: "project = ROAD" }] } });
    assert.equal(response.status, 403);
  });
});
