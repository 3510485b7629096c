// Webhook intake at a fixed offered load: issues are edited in the sandbox (its own thread) at `rate` edits per
// second, its dispatcher delivers each edit to Tandem's intake as Jira would, and each edit's latency runs from the
// edit (delivery starts at once, on this machine) to the webhook run that applied it to the item.
import type { RunningTandem } from "../../src/server/server.ts";
import type { SandboxThread } from "./sandbox-thread.ts";

export interface WebhookLoad {
  offered: number;
  rate: number;
  applied: number;
  /** Edits applied per second, from the first edit to the last application. */
  sustained: number;
  /** From the first edit to the last application. */
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Edits never applied within the wait. */
  missing: string[];
}

const epochNow = () => performance.timeOrigin + performance.now();

export async function webhookLoad(jira: SandboxThread, tandem: RunningTandem, options: { rate: number; keys: string[]; waitMs?: number }): Promise<WebhookLoad> {
  // When each issue's edit was applied (the first webhook run that changed its item).
  const appliedAt = new Map<string, number>();
  const reading = new Set<Promise<void>>();
  const stop = tandem.store.runs.onFinished((run) => {
    if (run.userId !== "webhook") return;
    const at = epochNow();
    const read = tandem.store.runs.items(run.id).then((items) => {
      for (const item of items) if (item.outcome === "changed" && item.jiraKey && !appliedAt.has(item.jiraKey)) appliedAt.set(item.jiraKey, at);
    });
    reading.add(read);
    void read.finally(() => reading.delete(read));
  });

  let editedAt = new Map<string, number>();
  try {
    editedAt = await jira.load(options.keys, options.rate);
    const deadline = performance.now() + (options.waitMs ?? 60_000);
    const pending = () => [...editedAt.keys()].filter((key) => !appliedAt.has(key));
    while (pending().length > 0 && performance.now() < deadline) {
      await jira.idle();
      await tandem.processor.idle();
      await Promise.all([...reading]);
      if (pending().length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    stop();
  }
  const latencies = [...editedAt].flatMap(([key, at]) => (appliedAt.has(key) ? [appliedAt.get(key)! - at] : [])).sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const first = Math.min(...editedAt.values());
  const last = Math.max(...[...appliedAt.values()]);
  return {
    offered: editedAt.size,
    rate: options.rate,
    applied: latencies.length,
    sustained: latencies.length / Math.max(0.001, (last - first) / 1000),
    elapsedMs: last - first,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    missing: [...editedAt.keys()].filter((key) => !appliedAt.has(key)),
  };
}
