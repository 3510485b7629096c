// Jira's "retry after" holds a connector in every process of a Tandem on PostgreSQL: a pause one process's limiter
// records goes to the store, and another process's limiter waits it out before its next request. Clocks and sleeps
// are the limiters' own (injected), so nothing here depends on time passing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import { useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";

const t = useTandem();

function processLimiter(clock: { now: number }, slept: number[]) {
  return new ConnectorLimiter({ now: () => clock.now, sleep: async (ms) => { slept.push(ms); clock.now += ms; } });
}

describe("rate-limit pauses across processes", () => {
  it("makes another process's limiter wait out a pause one of them was told to take", async () => {
    const pauses = t().tandem.store.pauses;
    const clock = { now: 1_000_000 };
    const sleptA: number[] = [];
    const sleptB: number[] = [];
    const a = processLimiter(clock, sleptA);
    const b = processLimiter(clock, sleptB);
    a.share(pauses, "connector-x");
    b.share(pauses, "connector-x");

    a.recordRateLimited(2_500);
    await waitFor("the pause to be shared", async () => (await pauses.read("connector-x")) === 1_002_500);
    (await b.acquire())();
    assert.deepEqual(sleptB, [2_500], "the other process waited until the pause ended");
    assert.equal(clock.now, 1_002_500);
    // A later, shorter pause never shortens the one stored.
    await pauses.publish("connector-x", 1_001_000);
    assert.equal(await pauses.read("connector-x"), 1_002_500);
  });
});
