// Reading one page ahead: the next page is asked for while the caller works on the current one, a failure comes out
// where that page is awaited, and a caller that stops early stops the paging.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAhead } from "../../src/jira/read-ahead.ts";

function pagesOf(count: number, events: string[], failAt?: number) {
  return (async function* () {
    try {
      for (let page = 1; page <= count; page++) {
        events.push(`asked ${page}`);
        await new Promise((resolve) => setImmediate(resolve));
        if (page === failAt) throw new Error(`page ${page} could not be read`);
        yield page;
      }
    } finally {
      events.push("source closed");
    }
  })();
}

describe("readAhead", () => {
  it("asks for the next page before the caller is done with the current one", async () => {
    const events: string[] = [];
    const got: number[] = [];
    for await (const page of readAhead(pagesOf(3, events))) {
      events.push(`working on ${page}`);
      await new Promise((resolve) => setImmediate(resolve));
      got.push(page);
    }
    assert.deepEqual(got, [1, 2, 3]);
    // Page 3 is the last: asking past it ends the source while the caller still works on it.
    assert.deepEqual(events, ["asked 1", "asked 2", "working on 1", "asked 3", "working on 2", "source closed", "working on 3"]);
  });

  it("hands out the pages before a failed one, then the failure", async () => {
    const events: string[] = [];
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const page of readAhead(pagesOf(5, events, 3))) got.push(page);
    }, /page 3 could not be read/);
    assert.deepEqual(got, [1, 2]);
  });

  it("a failure of the page read ahead while the caller still works is not lost or unhandled", async () => {
    const events: string[] = [];
    await assert.rejects(async () => {
      for await (const page of readAhead(pagesOf(5, events, 2))) {
        // Long enough for the page read ahead to fail meanwhile.
        for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setImmediate(resolve));
        assert.equal(page, 1);
      }
    }, /page 2 could not be read/);
  });

  it("stops the source when the caller stops early", async () => {
    const events: string[] = [];
    for await (const page of readAhead(pagesOf(10, events))) if (page === 2) break;
    assert.equal(events.at(-1), "source closed");
    assert.ok(!events.includes("asked 5"), events.join(", "));
  });
});
