// The merge matrix: no change, one side changed, both changed the same, both changed differently under each policy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mergeField, sameValue, type MergeDecision } from "../../src/engine/merge.ts";
import type { ConflictPolicy } from "../../src/engine/model.ts";

const POLICIES: ConflictPolicy[] = ["jira-wins", "tandem-wins", "newest-wins", "hold"];

/** The expected decision, written out independently of the implementation for each row. */
const CASES: { name: string; base: unknown; tandem: unknown; jira: unknown; expect: (policy: ConflictPolicy) => MergeDecision["action"] }[] = [
  { name: "nothing changed", base: "a", tandem: "a", jira: "a", expect: () => "none" },
  { name: "only Tandem changed", base: "a", tandem: "b", jira: "a", expect: () => "to-jira" },
  { name: "only Jira changed", base: "a", tandem: "a", jira: "c", expect: () => "to-tandem" },
  { name: "both changed to the same value", base: "a", tandem: "d", jira: "d", expect: () => "none" },
  { name: "both changed differently", base: "a", tandem: "b", jira: "c", expect: (policy) => ({ "jira-wins": "to-tandem", "tandem-wins": "to-jira", "newest-wins": "to-jira", hold: "conflict" })[policy] as MergeDecision["action"] },
  { name: "never synced, values differ", base: undefined, tandem: "b", jira: "c", expect: (policy) => ({ "jira-wins": "to-tandem", "tandem-wins": "to-jira", "newest-wins": "to-jira", hold: "conflict" })[policy] as MergeDecision["action"] },
  { name: "never synced, values equal", base: undefined, tandem: 5, jira: 5, expect: () => "none" },
  { name: "null and missing are the same", base: null, tandem: undefined, jira: null, expect: () => "none" },
  { name: "objects compare by content", base: { a: 1, b: 2 }, tandem: { b: 2, a: 1 }, jira: { a: 1, b: 3 }, expect: () => "to-tandem" },
];

describe("three-way merge", () => {
  for (const row of CASES) {
    for (const policy of POLICIES) {
      it(`${row.name} under ${policy}`, () => {
        // Tandem changed later than Jira in every row, so newest-wins picks Tandem.
        const decision = mergeField({ base: row.base, tandem: row.tandem, jira: row.jira, policy, tandemChangedAt: 2000, jiraChangedAt: 1000 });
        assert.equal(decision.action, row.expect(policy));
        if (decision.action === "to-jira") assert.ok(sameValue(decision.value, row.tandem));
        if (decision.action === "to-tandem") assert.ok(sameValue(decision.value, row.jira));
      });
    }
  }

  it("newest-wins picks Jira when Jira changed later, and holds on a tie", () => {
    assert.equal(mergeField({ base: "a", tandem: "b", jira: "c", policy: "newest-wins", tandemChangedAt: 1000, jiraChangedAt: 2000 }).action, "to-tandem");
    assert.equal(mergeField({ base: "a", tandem: "b", jira: "c", policy: "newest-wins", tandemChangedAt: 1000, jiraChangedAt: 1000 }).action, "conflict");
  });
});
