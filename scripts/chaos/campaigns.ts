// The two campaigns over one workload: SIGKILL at random points with restarts and retries, and the sandbox's
// faults (5xx, 429 storms, timeouts, truncated and malformed bodies); each ends compared with an uninterrupted run.
import type { Random } from "../../src/sandbox/limits/prng.ts";
import { startStack, type Stack } from "./stack.ts";
import { differences, invariants, world, type World } from "./world.ts";
import type { Workload } from "./workloads.ts";

export interface Outcome {
  campaign: string;
  workload: string;
  tried: string[];
  broken: string[];
}

export interface CampaignOptions {
  random: Random;
  /** Kills per trial (webhook bursts per trial). */
  kills: number;
  trials: number;
  postgresBase?: string;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isWebhook = (workload: Workload) => workload.name === "webhook burst";

/** An uninterrupted run: its end state, and how long one attempt takes (kills are drawn within it). */
export async function reference(workload: Workload, options: CampaignOptions): Promise<{ world: World; attemptMs: number }> {
  const stack = await startStack({ issues: workload.issues, postgresBase: options.postgresBase });
  try {
    await workload.setup(stack);
    const rounds = isWebhook(workload) ? options.kills : 1;
    let attemptMs = 0;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const result = await workload.attempt(stack, round);
      attemptMs = Math.max(attemptMs, performance.now() - started);
      if (!result.done) throw new Error(`the uninterrupted ${workload.name} did not finish: ${[...result.unaccounted, ...result.reported].join("; ")}`);
    }
    return { world: await world(stack), attemptMs };
  } finally {
    await stack.close();
  }
}

async function compare(stack: Stack, expected: World, broken: string[]): Promise<void> {
  for (const line of differences(expected, await world(stack))) broken.push(`end state differs from the uninterrupted run: ${line}`);
  for (const problem of await invariants(stack)) broken.push(problem);
}

export async function crashTrial(workload: Workload, expected: { world: World; attemptMs: number }, trial: number, options: CampaignOptions): Promise<Outcome> {
  const outcome: Outcome = { campaign: "kill -9", workload: workload.name, tried: [], broken: [] };
  const stack = await startStack({ issues: workload.issues, postgresBase: options.postgresBase });
  const kill = async (attempt: Promise<unknown>, round: number) => {
    const delay = Math.round(options.random() * expected.attemptMs);
    const finished = await Promise.race([attempt.then(() => true, () => true), sleep(delay).then(() => false)]);
    if (finished) {
      outcome.tried.push(`trial ${trial}, attempt ${round}: finished before the kill drawn at ${delay} ms`);
      return false;
    }
    await stack.tandem.kill();
    // Restarted at once, as a supervisor would: a webhook attempt is still waiting for Jira's retries to land.
    const restarted = performance.now();
    await stack.tandem.start();
    outcome.tried.push(`trial ${trial}, attempt ${round}: SIGKILL after ${delay} ms, restarted in ${Math.round(performance.now() - restarted)} ms`);
    await attempt.catch(() => {});
    return true;
  };
  try {
    await workload.setup(stack);
    if (isWebhook(workload)) {
      // Each burst is cut by a kill somewhere in its delivery and processing; Jira's retries must cover it.
      for (let round = 0; round < options.kills; round++) await kill(workload.attempt(stack, round), round);
    } else {
      let kills = 0;
      for (let round = 0; kills < options.kills; round++) {
        const attempt = workload.attempt(stack, round);
        if (await kill(attempt, round)) kills += 1;
        else if ((await attempt.catch(() => ({ done: false }))).done) break;
      }
    }
    await workload.settle(stack, { catchUp: false });
    await compare(stack, expected.world, outcome.broken);
  } catch (error) {
    outcome.broken.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (outcome.broken.length) outcome.broken.push(`Tandem's last lines: ${stack.tandem.tail(5).join(" | ") || "(none)"}`);
    await stack.close();
  }
  return outcome;
}

export function faultConfig(random: Random, seed: number) {
  const errorRate = Number((0.05 + random() * 0.15).toFixed(2));
  return {
    reset: true,
    faults: { seed, errorRate, errorStatuses: [500, 502, 503, 504], timeoutRate: 0.02, timeoutMs: 1500, truncateRate: 0.03, malformedRate: 0.02, rateLimitStorm: { every: 150, length: 6, retryAfterSeconds: 1 } },
  };
}

export async function faultTrial(workload: Workload, expected: World, options: CampaignOptions & { seed: number }): Promise<Outcome> {
  const outcome: Outcome = { campaign: "faults", workload: workload.name, tried: [], broken: [] };
  const stack = await startStack({ issues: workload.issues, postgresBase: options.postgresBase });
  try {
    await workload.setup(stack);
    const config = faultConfig(options.random, options.seed);
    outcome.tried.push(`faults ${JSON.stringify(config.faults)}`);
    await stack.faults(config);
    for (let round = 0; round < (isWebhook(workload) ? options.kills : 4); round++) {
      const result = await workload.attempt(stack, round);
      outcome.tried.push(`attempt ${round}: ${result.done ? "done" : "not done"}${result.reported.length ? `; reported: ${result.reported.slice(0, 2).join(" / ")}${result.reported.length > 2 ? ` (+${result.reported.length - 2})` : ""}` : ""}`);
      for (const line of result.unaccounted) outcome.broken.push(`attempt ${round}: ${line}`);
      if (result.done && !isWebhook(workload)) break;
    }
    const faults = (await (await fetch(`${stack.jira.url}/_sandbox/limits`)).json()) as { stats: { faults: { byKind: Record<string, number> } } };
    outcome.tried.push(`faults injected: ${JSON.stringify(faults.stats.faults.byKind)}`);
    await stack.faults(null);
    await workload.settle(stack, { catchUp: true });
    await compare(stack, expected, outcome.broken);
  } catch (error) {
    outcome.broken.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (outcome.broken.length) outcome.broken.push(`Tandem's last lines: ${stack.tandem.tail(5).join(" | ") || "(none)"}`);
    await stack.close();
  }
  return outcome;
}
