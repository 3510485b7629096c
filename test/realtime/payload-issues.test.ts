// Which webhook payloads may stand for reading their issue: only whole-issue events whose every mapped field reads
// as in Jira's REST answer, the newest per issue, and none when an issue's deliveries leave any doubt.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Mapping } from "../../src/engine/model.ts";
import type { WebhookPayload } from "../../src/jira/webhook-payload.ts";
import { payloadIssues } from "../../src/realtime/payload-issues.ts";

const mapping = (jiraField: string, kind: string, id = jiraField): Mapping => ({ id, tandemField: jiraField, jiraField, direction: "pull", transform: { kind } as Mapping["transform"] }) as Mapping;
const TITLE_STATUS = [mapping("summary", "copy"), mapping("status", "status")];
const status = { id: "1", name: "To Do", statusCategory: { key: "new" } };

function delivery(id: string, updated: string, fields: Record<string, unknown> = {}, webhookEvent = "jira:issue_updated"): WebhookPayload {
  return { timestamp: 1, webhookEvent, issue: { id, key: `ROAD-${id}`, self: `https://x/rest/api/2/issue/${id}`, fields: { summary: `at ${updated}`, status, updated, ...fields } } } as WebhookPayload;
}

describe("payloadIssues", () => {
  it("takes each issue's newest delivery", () => {
    const issues = payloadIssues([delivery("1", "2026-12-03T10:00:00.100+0000"), delivery("1", "2026-12-03T10:00:00.300+0000"), delivery("1", "2026-12-03T10:00:00.200+0000"), delivery("2", "2026-12-03T09:00:00.000+0000")], TITLE_STATUS, "cloud");
    assert.deepEqual([...issues.keys()].sort(), ["1", "2"]);
    assert.equal(issues.get("1")!.fields!.summary, "at 2026-12-03T10:00:00.300+0000");
  });

  it("leaves out an issue when any of its deliveries is not a whole issue, has no time, or two newest disagree at one time", () => {
    const comment = { timestamp: 1, webhookEvent: "comment_created", issue: { id: "1", key: "ROAD-1", self: "s", fields: { summary: "trimmed", status } } } as WebhookPayload;
    assert.equal(payloadIssues([delivery("1", "2026-12-03T10:00:00.000+0000"), comment], TITLE_STATUS, "cloud").size, 0, "a comment event's issue is trimmed");
    assert.equal(payloadIssues([delivery("1", "not a time")], TITLE_STATUS, "cloud").size, 0);
    const tie = [delivery("1", "2026-12-03T10:00:00.000+0000", { summary: "one" }), delivery("1", "2026-12-03T10:00:00.000+0000", { summary: "other" })];
    assert.equal(payloadIssues(tie, TITLE_STATUS, "cloud").size, 0, "which is newer cannot be told");
    const same = [delivery("1", "2026-12-03T10:00:00.000+0000", { summary: "one" }), delivery("1", "2026-12-03T10:00:00.000+0000", { summary: "one" })];
    assert.equal(payloadIssues(same, TITLE_STATUS, "cloud").size, 1, "the same content twice is no doubt");
    assert.equal(payloadIssues([null, delivery("1", "2026-12-03T10:00:00.000+0000")], TITLE_STATUS, "cloud").size, 1, "an unreadable body of no issue changes nothing");
  });

  it("leaves out an issue whose payload lacks a mapped field", () => {
    assert.equal(payloadIssues([delivery("1", "2026-12-03T10:00:00.000+0000")], [...TITLE_STATUS, mapping("customfield_10041", "options")], "cloud").size, 0);
    assert.equal(payloadIssues([delivery("1", "2026-12-03T10:00:00.000+0000", { customfield_10041: null })], [...TITLE_STATUS, mapping("customfield_10041", "options")], "cloud").size, 1, "a field present with no value is read alike");
  });

  it("trusts only fields that read alike: rich text on Data Center only, people never, a copied string on Cloud only for the summary", () => {
    const at = "2026-12-03T10:00:00.000+0000";
    assert.equal(payloadIssues([delivery("1", at, { description: "*wiki*" })], [...TITLE_STATUS, mapping("description", "richText")], "cloud").size, 0);
    assert.equal(payloadIssues([delivery("1", at, { description: "*wiki*" })], [...TITLE_STATUS, mapping("description", "richText")], "dc").size, 1);
    assert.equal(payloadIssues([delivery("1", at, { assignee: { accountId: "a" } })], [...TITLE_STATUS, mapping("assignee", "person")], "dc").size, 0);
    assert.equal(payloadIssues([delivery("1", at, { customfield_1: "maybe a textarea" })], [...TITLE_STATUS, mapping("customfield_1", "copy")], "cloud").size, 0);
    assert.equal(payloadIssues([delivery("1", at, { customfield_1: 5 })], [...TITLE_STATUS, mapping("customfield_1", "copy")], "cloud").size, 1);
    assert.equal(payloadIssues([delivery("1", at, { labels: ["b", "a"], duedate: "2026-12-24" })], [...TITLE_STATUS, mapping("labels", "labels"), mapping("duedate", "date")], "cloud").size, 1);
  });
});
