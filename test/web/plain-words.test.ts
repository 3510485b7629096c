// Run messages retold in plain words with what to do, from the engine's real message shapes; anything unknown is
// shown as it is.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plainMessage } from "../../src/web/plain-words.ts";

const context = { identity: "the service account of 'Demo'", jiraKey: "ROAD-7" };

describe("run messages in plain words", () => {
  const cases: [string, RegExp, RegExp | null][] = [
    ["title: Jira refused the value — Field 'summary' cannot be set. It is not on the appropriate screen, or unknown.", /^Jira did not let the service account of 'Demo' change title on ROAD-7: the account may not edit this issue/, /Edit Issues permission .* 'summary'/],
    ["points: Jira refused the value — Number value expected", /^Jira refused the new points of ROAD-7: Number value expected$/, /Correct points in Tandem/],
    ["ROAD-7: Issue does not exist or you do not have permission to see it.", /cannot see ROAD-7 any more/, /Browse Projects permission/],
    ['title: changed on both sides (Tandem "A", Jira "B"); held for a person to resolve.', /^title was changed in both Tandem \("A"\) and Jira \("B"\)/, /Conflicts to resolve/],
    ["Field 'Risk' is not on ROAD-7 (it may have been removed or is not on its screens); 'risk' was skipped.", /^ROAD-7 has no field 'Risk', so risk was not synced for it\.$/, /Add 'Risk' to the issue type's screens/],
    ["ROAD-1 changed in Tandem while syncing; its Jira writes are done, and the next run will settle the rest.", /edited the item in Tandem while it was syncing/, /Nothing to do/],
  ];
  for (const [message, text, fix] of cases) {
    it(`retells: ${message.slice(0, 60)}…`, () => {
      const plain = plainMessage(message, context);
      assert.match(plain.text, text);
      if (fix) assert.match(plain.fix ?? "", fix);
      assert.equal(plain.detail, message, "the original stays available");
    });
  }

  it("shows an unknown message as it is, with no made-up fix", () => {
    const plain = plainMessage("Something new happened.", context);
    assert.deepEqual(plain, { text: "Something new happened.", fix: null, detail: "Something new happened." });
  });

  it("names 'the issue' when the item has no Jira key", () => {
    assert.match(plainMessage("title: Jira refused the value — Field 'summary' cannot be set.", { identity: "alice@x.test's own", jiraKey: null }).text, /change title on the issue/);
  });
});
