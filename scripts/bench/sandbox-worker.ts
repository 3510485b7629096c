// The bench's sandbox Jira, in a worker thread of its own: Jira is another system, so its work (rendering, signing
// and sending webhooks, the load generator's edits) runs on the machine's other core instead of taking turns with
// Tandem's event loop, which would make Tandem's figures the sum of both. Answers the requests of
// sandbox-thread.ts; times are epoch milliseconds (timeOrigin + now), comparable across threads.
import { parentPort, workerData } from "node:worker_threads";
import { editIssue } from "../../src/sandbox/ops/issues.ts";
import { startSandbox } from "../../src/sandbox/server.ts";

const jira = await startSandbox({ port: 0, seed: `large:${workerData.issues}`, flavour: "cloud", quirks: { searchIndexLagMs: 0 } });
const epochNow = () => performance.timeOrigin + performance.now();

/** Edits `keys` at `rate` per second, evenly (the loop wakes every few ms); answers when each edit was made. */
async function load(keys: string[], rate: number): Promise<[string, number][]> {
  const viewerId = jira.state.userByEmail(jira.admin.email)!.accountId;
  const ctx = { state: jira.state, baseUrl: jira.url, apiVersion: "3" as const, viewerId };
  const editedAt: [string, number][] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < keys.length) {
    const due = Math.min(keys.length, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const issue = jira.state.issueByIdOrKey(keys[sent]!)!;
      editedAt.push([issue.key, epochNow()]);
      editIssue(ctx, issue, { fields: { summary: `Edited under load #${sent}` } });
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return editedAt;
}

const operations: Record<string, (...args: any[]) => unknown> = {
  keys: (count: number) => [...jira.state.issues.values()].slice(0, count).map((issue) => issue.key),
  load: (keys: string[], rate: number) => load(keys, rate),
  idle: () => jira.dispatcher.idle(),
  limiterStats: () => jira.limits.limiter.stats(),
  close: () => jira.close(),
};

parentPort!.on("message", async ({ id, op, args }: { id: number; op: string; args: unknown[] }) => {
  try {
    parentPort!.postMessage({ id, result: await operations[op]!(...args) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort!.postMessage({ ready: { url: jira.url } });
