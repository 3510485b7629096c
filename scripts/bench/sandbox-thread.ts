// Starts the bench's sandbox Jira in a worker thread (sandbox-worker.ts) and talks to it by messages: its URL for
// HTTP like any Jira, plus the few test controls the bench needs that are not HTTP (the load generator, waiting for
// webhook deliveries, the rate limiter's counts).
import { Worker } from "node:worker_threads";

export interface SandboxThread {
  url: string;
  /** The first `count` issue keys. */
  keys(count: number): Promise<string[]>;
  /** Edits these issues at `rate` per second; when each was edited (epoch ms). */
  load(keys: string[], rate: number): Promise<Map<string, number>>;
  /** Resolves when no webhook delivery is being sent or retried. */
  idle(): Promise<void>;
  limiterStats(): Promise<{ allowed: number; limited: number }>;
  close(): Promise<void>;
}

export async function startSandboxThread(options: { issues: number }): Promise<SandboxThread> {
  const worker = new Worker(new URL("./sandbox-worker.ts", import.meta.url), { workerData: { issues: options.issues } });
  const waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message: { ready?: { url: string }; id?: number; result?: unknown; error?: string }) => {
      if (message.ready) return resolve(message.ready.url);
      const call = waiting.get(message.id!);
      waiting.delete(message.id!);
      if (message.error !== undefined) call?.reject(new Error(`sandbox thread: ${message.error}`));
      else call?.resolve(message.result);
    });
  });
  const ask = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  return {
    url,
    keys: (count) => ask("keys", count),
    load: async (keys, rate) => new Map(await ask<[string, number][]>("load", keys, rate)),
    idle: () => ask("idle"),
    limiterStats: () => ask("limiterStats"),
    close: async () => {
      await ask("close");
      await worker.terminate();
    },
  };
}
