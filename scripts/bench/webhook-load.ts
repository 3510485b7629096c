// Webhook intake at a fixed offered load: issues are edited in the sandbox at `rate` edits per second, its
// dispatcher delivers each edit to Tandem's intake as Jira would, and each edit's latency runs from the edit
// (delivery starts at once, on this machine) to the webhook run that applied it to the item.
import { editIssue } from "../../src/sandbox/ops/issues.ts";
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import type { RunningTandem } from "../../src/server/server.ts";

export interface WebhookLoad {
  offered: number;
  rate: number;
  applied: number;
  /** Edits applied per second, from the first edit to the last application. */
  sustained: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Edits never applied within the wait. */
  missing: string[];
}

export async function webhookLoad(jira: RunningSandbox, tandem: RunningTandem, options: { rate: number; seconds: number; keys: string[]; waitMs?: number }): Promise<WebhookLoad> {
  const viewerId = jira.state.userByEmail(jira.admin.email)!.accountId;
  const ctx = { state: jira.state, baseUrl: jira.url, apiVersion: "3" as const, viewerId };
  const total = Math.round(options.rate * options.seconds);
  const editedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastApplied = 0;
  const reading = new Set<Promise<void>>();
  const stop = tandem.store.runs.onFinished((run) => {
    if (run.userId !== "webhook") return;
    const at = performance.now();
    const read = tandem.store.runs.items(run.id).then((items) => {
      for (const item of items) {
        const since = item.jiraKey ? editedAt.get(item.jiraKey) : undefined;
        if (item.outcome !== "changed" || since === undefined) continue;
        editedAt.delete(item.jiraKey!);
        latencies.push(at - since);
        lastApplied = Math.max(lastApplied, at);
      }
    });
    reading.add(read);
    void read.finally(() => reading.delete(read));
  });

  const started = performance.now();
  let sent = 0;
  try {
    // Edits due by now are made now; the loop wakes every few ms, so the load is even rather than one burst.
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * options.rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const key = options.keys[sent % options.keys.length]!;
        const issue = jira.state.issueByIdOrKey(key)!;
        editedAt.set(key, performance.now());
        editIssue(ctx, issue, { fields: { summary: `Edited under load #${sent}` } });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = performance.now() + (options.waitMs ?? 60_000);
    while (editedAt.size > 0 && performance.now() < deadline) {
      await jira.dispatcher.idle();
      await tandem.processor.idle();
      await Promise.all([...reading]);
      if (editedAt.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    stop();
  }
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const applied = latencies.length;
  return {
    offered: total,
    rate: options.rate,
    applied,
    sustained: applied / Math.max(0.001, (lastApplied - started) / 1000),
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    missing: [...editedAt.keys()],
  };
}
