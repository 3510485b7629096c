// Webhook intake at a fixed offered load: issues are edited in the sandbox (its own thread) at `rate` edits per
// second, its dispatcher delivers each edit to Tandem's intake as Jira would. Each edit's latency is measured twice:
// from its delivery's receipt by Tandem's HTTP server to the webhook run that applied it to the item (the bar), and
// from the edit itself (Jira's delivery included).
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { monitorEventLoopDelay } from "node:perf_hooks";
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
  /** From the edit in Jira to its application: what a person watching both sees (Jira's delivery included). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the delivery's receipt (its inbox row) to its application: Tandem's part, which the bar is about. */
  receipt: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Tandem's longest event-loop pause during the load. */
  longestPauseMs: number;
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

  // When each delivery reached Tandem's HTTP server, by its identifier (Tandem runs in this process).
  const arrivedAt = new Map<string, number>();
  const onRequest = (message: unknown) => {
    const { request } = message as { request: { url?: string; headers: Record<string, string | string[] | undefined> } };
    const identifier = request.headers["x-atlassian-webhook-identifier"];
    if (typeof identifier === "string" && request.url?.startsWith("/hooks/") && !arrivedAt.has(identifier)) arrivedAt.set(identifier, epochNow());
  };
  subscribe("http.server.request.start", onRequest);

  // Tandem's longest event-loop pause meanwhile: a pause delays every delivery waiting behind it.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
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
    unsubscribe("http.server.request.start", onRequest);
    lag.disable();
  }
  const first = Math.min(...editedAt.values());
  // Each edited issue's first delivery that reached Tandem (the inbox names the issue of each identifier).
  const received = new Map<string, number>();
  for (const row of await tandem.store.db.all<{ identifier: string; key: string }>("SELECT i.identifier, l.jira_key AS key FROM inbox i JOIN links l ON l.jira_issue_id = i.issue_id")) {
    const at = arrivedAt.get(row.identifier);
    if (at !== undefined && at >= first && at < (received.get(row.key) ?? Infinity)) received.set(row.key, at);
  }
  const latencies = [...editedAt].flatMap(([key, at]) => (appliedAt.has(key) ? [appliedAt.get(key)! - at] : [])).sort((a, b) => a - b);
  const fromReceipt = [...editedAt.keys()].flatMap((key) => (appliedAt.has(key) && received.has(key) ? [appliedAt.get(key)! - received.get(key)!] : [])).sort((a, b) => a - b);
  const quantileOf = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? Number.NaN;
  const quantile = (q: number) => quantileOf(latencies, q);
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
    longestPauseMs: lag.max / 1e6,
    receipt: { p50Ms: quantileOf(fromReceipt, 0.5), p99Ms: quantileOf(fromReceipt, 0.99), maxMs: fromReceipt.at(-1) ?? Number.NaN },
    missing: [...editedAt.keys()].filter((key) => !appliedAt.has(key)),
  };
}
