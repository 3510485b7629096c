// The job queue's tuning from the environment, which `tandem serve` and `tandem worker` both read: each variable sets
// its option, and every option a test gives useTandem() reaches worker processes through them unchanged.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { queueOptionsFromEnv } from "../../src/server/server.ts";
import { DEFAULT_BACKOFF } from "../../src/jobs/backoff.ts";
import { queueEnv } from "../support/tandem.ts";

describe("queue tuning from the environment", () => {
  it("reads each variable into its option, and nothing from an empty environment", () => {
    assert.deepEqual(queueOptionsFromEnv({}), {});
    assert.deepEqual(queueOptionsFromEnv({ TANDEM_JOB_LEASE_MS: "500", TANDEM_CRON_INTERVAL_S: "2", TANDEM_JOB_POLL_MS: "50", TANDEM_JOB_CONCURRENCY: "6", TANDEM_JOB_PER_CONNECTOR: "1", TANDEM_JOB_BACKOFF_MS: "20", TANDEM_JOB_BACKOFF_MAX_MS: "200" }), {
      leaseMs: 500, cronIntervalSeconds: 2, pollMs: 50, concurrency: 6, perConnector: 1, backoff: { baseMs: 20, maxMs: 200 },
    });
    assert.deepEqual(queueOptionsFromEnv({ TANDEM_JOB_BACKOFF_MS: "20" }), { backoff: { baseMs: 20, maxMs: DEFAULT_BACKOFF.maxMs } }, "the cap stays the default's");
    assert.deepEqual(queueOptionsFromEnv({ TANDEM_JOB_BACKOFF_MAX_MS: "60000" }), { backoff: { baseMs: DEFAULT_BACKOFF.baseMs, maxMs: 60_000 } }, "the first delay stays the default's");
    assert.deepEqual(queueOptionsFromEnv({ TANDEM_JOB_POLL_MS: "soon", TANDEM_JOB_CONCURRENCY: "" }), {}, "what is no number is ignored");
  });

  it("gives worker processes the options a test gives the server", () => {
    for (const jobs of [{ backoff: { baseMs: 20, maxMs: 200 }, pollMs: 100, perConnector: 2, concurrency: 6, cronIntervalSeconds: 1 }, { pollMs: 50 }, { leaseMs: 10_000 }, {}]) {
      assert.deepEqual(queueOptionsFromEnv(queueEnv(jobs)), jobs);
    }
    assert.throws(() => queueEnv({ defaultMaxAttempts: 3 }), /no environment variable gives worker processes the job option 'defaultMaxAttempts'/);
  });
});
