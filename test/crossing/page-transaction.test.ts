// A page of an import is stored whole or not at all, on SQLite and on PostgreSQL: every repository call made inside
// inTransaction joins that transaction, so a failure part-way leaves no item and no link behind.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useTandem } from "../support/tandem.ts";

const t = useTandem();

describe("import page transactions", () => {
  it("rolls back every item and link of a page when the page fails part-way", async () => {
    const { projects } = t().tandem.store;
    const project = await projects.create({ key: "TX", name: "Transactions", fields: [] });
    await assert.rejects(
      projects.inTransaction(async () => {
        for (let index = 1; index <= 3; index++) {
          const item = await projects.addItem(project.id, { title: `Issue ${index}` });
          await projects.link(item.id, String(90000 + index), `TX-${index}`);
        }
        throw new Error("the process died here");
      }),
      /the process died here/,
    );
    assert.deepEqual(await projects.items(project.id), [], "nothing of the page was kept");
    assert.equal((await projects.itemsByIssueIds(project.id, ["90001", "90002", "90003"])).size, 0);

    await projects.inTransaction(async () => {
      const item = await projects.addItem(project.id, { title: "Kept" });
      await projects.link(item.id, "90004", "TX-4");
    });
    const kept = await projects.items(project.id);
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.link?.jiraKey, "TX-4");
    assert.equal(kept[0]!.key, "TX-1", "the item numbers rolled back with the failed page");
  });
});
