// `tandem worker`: runs job handlers and processes the webhook inbox, with no HTTP server. Any number of workers
// share the work of a PostgreSQL store (pg-boss); API processes started with `tandem serve --no-worker` only
// enqueue jobs and record deliveries.
import { join } from "node:path";
import { jobHandlers } from "../jobs/handlers.ts";
import { openJobQueue } from "../jobs/open-queue.ts";
import type { JobQueue } from "../jobs/queue.ts";
import type { StoreQueueOptions } from "../jobs/store-queue.ts";
import { WebhookProcessor } from "../realtime/processor.ts";
import { openStore, type TandemStore } from "../store/store.ts";
import { queueOptionsFromEnv } from "./server.ts";

export interface WorkerOptions {
  dataDir?: string;
  databaseUrl?: string;
  /** Tandem's URL as people reach it (links to items written in Jira); TANDEM_PUBLIC_URL by default. */
  publicUrl?: string;
  env?: NodeJS.ProcessEnv;
  jobs?: Partial<StoreQueueOptions> & { cronIntervalSeconds?: number };
  /** How often to look at the webhook inbox (ms). Default TANDEM_INBOX_POLL_MS, else 1 s. */
  inboxPollMs?: number;
}

export interface RunningWorker {
  store: TandemStore;
  jobs: JobQueue;
  processor: WebhookProcessor;
  close(): Promise<void>;
}

export async function runWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? "data";
  const databaseUrl = options.databaseUrl ?? env.TANDEM_DB;
  const publicUrl = options.publicUrl ?? env.TANDEM_PUBLIC_URL ?? "http://127.0.0.1:4100";
  const store = await openStore({ databasePath: join(dataDir, "tandem.db"), databaseUrl, keyFile: join(dataDir, "secret.key"), env });
  const { jobs } = openJobQueue(store, { databaseUrl, worker: true, options: { ...queueOptionsFromEnv(env), ...options.jobs } });
  const processor = new WebhookProcessor(store, { publicUrl: () => publicUrl });
  await jobs.start(jobHandlers(store, () => publicUrl));
  // Deliveries are recorded by the API processes; the worker looks for them.
  const inbox = setInterval(() => processor.kick(), options.inboxPollMs ?? (Number(env.TANDEM_INBOX_POLL_MS) || 1000));
  processor.kick();
  return {
    store,
    jobs,
    processor,
    async close() {
      clearInterval(inbox);
      await jobs.stop();
      await processor.idle();
      processor.stop();
      await store.close();
    },
  };
}
