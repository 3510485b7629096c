// People in reports: a Jira user whose email Jira hides and who has no override is listed as unmatched, with their
// hours kept under their Jira id; an override by id names them by email.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { effortReport } from "../../src/insights/effort.ts";
import { DEFAULT_SETTINGS } from "../../src/insights/settings.ts";
import type { InsightData } from "../../src/insights/types.ts";

const MONDAY = Date.parse("2026-11-02T09:00:00Z");
const data: InsightData = {
  issues: [{
    id: "1", key: "X-1", summary: "Hidden worker", type: "Task", level: 0, parentId: null, created: MONDAY,
    status: { id: "3", name: "In Progress", category: "indeterminate" },
    assignee: { id: "acc-hidden", name: "Private Person", email: null, timeZone: null },
    storyPoints: null, originalEstimateSeconds: null, remainingSeconds: null, sprintIds: [], ruleFields: {}, changes: [],
  }],
  sprints: [],
  statusCategories: { "3": "indeterminate" },
  people: { "acc-hidden": { id: "acc-hidden", name: "Private Person", email: null, timeZone: null } },
  fetchedAt: MONDAY,
};
const window = { from: MONDAY, to: MONDAY + 4 * 3_600_000 };

describe("people in reports", () => {
  it("lists a user without a visible email as unmatched and keeps their hours", () => {
    const report = effortReport(data, DEFAULT_SETTINGS, new Map(), window);
    assert.deepEqual(report.unmatched, [{ jiraId: "acc-hidden", name: "Private Person" }]);
    assert.deepEqual(report.people.map((person) => [person.key, person.matched, person.hours]), [["jira:acc-hidden", false, 4]]);
  });

  it("matches them once an override names their email", () => {
    const report = effortReport(data, DEFAULT_SETTINGS, new Map([["acc-hidden", "private@corp.test"]]), window);
    assert.deepEqual(report.unmatched, []);
    assert.deepEqual(report.people.map((person) => [person.key, person.matched, person.hours]), [["private@corp.test", true, 4]]);
  });
});
