// Real Jira webhook bodies (test/fixtures/jira-webhooks, copied from ../shared/fixtures) and the sandbox's emitted ones go through the same
// parser Tandem's intake uses, and emitted bodies are compared field by field with the captures of the same kind.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseWebhookPayload, issueIdOf } from "../../src/jira/webhook-payload.ts";
import type { SandboxEvent } from "../../src/sandbox/model/events.ts";
import { SandboxState } from "../../src/sandbox/model/state.ts";
import type { Flavour } from "../../src/sandbox/model/types.ts";
import { addComment, editComment, deleteComment } from "../../src/sandbox/ops/comments.ts";
import { createIssue, deleteIssue, editIssue } from "../../src/sandbox/ops/issues.ts";
import { applySeed } from "../../src/sandbox/seed/index.ts";
import { messagesFor } from "../../src/sandbox/webhooks/payload.ts";
import { SEED_NOW } from "../support/sandbox.ts";

const FIXTURES = new URL("../fixtures/jira-webhooks/", import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith(".json")).sort();
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));

/** Runs a few changes through the sandbox and returns the bodies its emitter produced, by webhook event. */
function emitted(flavour: Flavour) {
  const state = new SandboxState({ flavour, quirks: { searchIndexLagMs: 0 } });
  applySeed(state, "demo", undefined, { now: SEED_NOW });
  const bodies: Record<string, unknown>[] = [];
  state.onEvent((event: SandboxEvent) => bodies.push(...messagesFor(state, "https://jira.example.test", event).map((message) => message.body)));
  const alice = [...state.users.values()].find((user) => user.name === "alice")!;
  const ctx = { state, baseUrl: "https://jira.example.test", apiVersion: "2" as const, viewerId: alice.accountId };
  const issue = createIssue(ctx, { fields: { project: { key: "ROAD" }, issuetype: { name: "Task" }, summary: "Fixture twin", description: "Some *text*" } });
  editIssue(ctx, issue, { fields: { summary: "Fixture twin renamed", labels: ["a", "b"] } });
  const comment = addComment(ctx, issue, { body: "A comment" });
  editComment(ctx, issue, comment, { body: "An edited comment" });
  deleteComment(ctx, issue, comment);
  deleteIssue(ctx, issue, true);
  return bodies;
}

const find = (bodies: Record<string, unknown>[], event: string, type?: string) =>
  bodies.find((body) => body.webhookEvent === event && (type === undefined || body.issue_event_type_name === type))!;

const keys = (value: unknown) => Object.keys(value as object).sort();
const systemFieldKeys = (issue: { fields: Record<string, unknown> }) => Object.keys(issue.fields).filter((key) => !key.startsWith("customfield_")).sort();

describe("webhook payloads: real captures and the sandbox's emitter", () => {
  for (const name of fixtureNames) {
    it(`parses ${name} with Tandem's intake parser`, () => {
      const result = parseWebhookPayload(readFileSync(new URL(name, FIXTURES), "utf8"));
      assert.ok(result.ok, result.ok ? "" : result.error);
      assert.ok(issueIdOf(result.payload), "the delivery names its issue");
    });
  }

  const cloud = emitted("cloud");
  const server = emitted("dc");

  it("emits bodies the intake parser accepts, on both flavours", () => {
    for (const body of [...cloud, ...server]) {
      const result = parseWebhookPayload(JSON.stringify(body));
      assert.ok(result.ok, result.ok ? "" : `${String(body.webhookEvent)}: ${result.error}`);
    }
  });

  it("matches a Cloud issue_updated capture field by field", () => {
    const real = fixture("webhook-issue-updated-edited.json");
    const ours = find(cloud, "jira:issue_updated", "issue_updated") as any;
    assert.deepEqual(keys(ours), keys(real));
    assert.deepEqual(keys(ours.issue), keys(real.issue));
    const missing = systemFieldKeys(real.issue).filter((key) => !(key in ours.issue.fields));
    assert.deepEqual(missing, [], "every system field of the capture is present");
    assert.deepEqual(keys(ours.changelog), keys(real.changelog));
    assert.deepEqual(keys(ours.changelog.items[0]), keys(real.changelog.items[0]));
    assert.equal(typeof ours.issue.fields.description, typeof real.issue.fields.description, "description is wiki markup (a string)");
    // Since 2019 Cloud users carry no name/key (GDPR); everything else matches.
    const realUserKeys = keys(real.user).filter((key) => key !== "name" && key !== "key");
    assert.deepEqual(realUserKeys.filter((key) => !(key in ours.user)), []);
  });

  it("matches a Cloud issue_created capture, changelog included", () => {
    const real = fixture("webhook-issue-created.json");
    const ours = find(cloud, "jira:issue_created") as any;
    assert.deepEqual(keys(ours), keys(real));
    assert.deepEqual(keys(ours.changelog.items[0]), keys(real.changelog.items[0]));
    assert.ok(ours.changelog.items.some((item: { fieldId: string }) => item.fieldId === "status"));
  });

  it("matches Cloud comment captures: a comment and a small issue", () => {
    const real = fixture("webhook-cloud-comment-created.json");
    const ours = find(cloud, "comment_created") as any;
    assert.deepEqual(keys(ours), keys(real));
    assert.deepEqual(keys(ours.comment), keys(real.comment));
    assert.deepEqual(systemFieldKeys(ours.issue), systemFieldKeys(real.issue));
    assert.equal(typeof ours.comment.body, "string");
  });

  it("matches the Cloud issue_deleted capture", () => {
    const real = fixture("webhook-issue-deleted.json");
    const ours = find(cloud, "jira:issue_deleted") as any;
    assert.deepEqual(keys(ours), keys(real));
  });

  it("matches Server captures: no fieldId in changelogs, no issue on comment events", () => {
    const realUpdate = fixture("webhook-server-issue-updated-resolved.json");
    const ours = find(server, "jira:issue_updated", "issue_updated") as any;
    assert.deepEqual(keys(ours.changelog.items[0]), keys(realUpdate.changelog.items[0]));
    const missing = systemFieldKeys(realUpdate.issue).filter((key) => !(key in ours.issue.fields));
    assert.deepEqual(missing, []);
    for (const [event, file] of [["comment_created", "webhook-server-comment-created.json"], ["comment_updated", "webhook-server-comment-updated.json"], ["comment_deleted", "webhook-server-comment-deleted.json"]] as const) {
      const real = fixture(file);
      const emittedBody = find(server, event) as any;
      assert.deepEqual(keys(emittedBody), keys(real), event);
      assert.deepEqual(keys(emittedBody.comment), keys(real.comment), `${event} comment`);
      assert.deepEqual(keys(emittedBody.comment.author), keys(real.comment.author), `${event} author`);
    }
    const commented = fixture("webhook-server-issue-updated-commented-1.json");
    const oursCommented = find(server, "jira:issue_updated", "issue_commented") as any;
    assert.deepEqual(keys(oursCommented), keys(commented));
    const deletedComment = fixture("webhook-server-issue-updated-comment-deleted.json");
    assert.deepEqual(keys(find(server, "jira:issue_updated", "issue_comment_deleted")), keys(deletedComment));
  });
});
