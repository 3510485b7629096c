// `tandem serve`: the store, the API (and, with --demo, the sandbox Jira and a demo connector) on one origin.
import { join } from "node:path";
import { listen } from "../http/listen.ts";
import { Hono } from "hono";
import { createApi } from "../api/app.ts";
import { webApp } from "../web/app.ts";
import type { TestReport } from "../connectors/connect-test.ts";
import type { RunningSandbox } from "../sandbox/server.ts";
import { webhookIntake } from "../realtime/intake.ts";
import { WebhookProcessor } from "../realtime/processor.ts";
import { jobHandlers, scheduledCatchUp, type CatchUpPayload } from "../jobs/handlers.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { openJobQueue } from "../jobs/open-queue.ts";
import type { StoreQueueOptions } from "../jobs/store-queue.ts";
import { DEFAULT_BACKOFF } from "../jobs/backoff.ts";
import { CatchUpScheduler } from "../realtime/scheduler.ts";
import { refreshDynamicWebhooks } from "../realtime/registration.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { Cron } from "croner";
import { openStore, type TandemStore } from "../store/store.ts";
import { ensureFirstAdmin, type BootstrapResult } from "./bootstrap.ts";
import { demoEnv, demoSignIn, startDemo, type DemoSignIn } from "./demo.ts";

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Directory of the SQLite file and key file (default ./data). */
  dataDir?: string;
  databasePath?: string;
  /** postgres://... (default: TANDEM_DB); the SQLite file in dataDir otherwise. */
  databaseUrl?: string;
  demo?: boolean;
  sandboxPort?: number;
  env?: NodeJS.ProcessEnv;
  /** Run job handlers in this process (default true); false serves the API and webhook intake only. */
  worker?: boolean;
  /** Queue tuning (tests shorten the lease and the backoff); the TANDEM_JOB_* variables of queueOptionsFromEnv set it too. */
  jobs?: Partial<StoreQueueOptions> & { cronIntervalSeconds?: number };
}

export interface RunningTandem {
  url: string;
  store: TandemStore;
  processor: WebhookProcessor;
  scheduler: CatchUpScheduler;
  jobs: JobQueue;
  firstAdmin: BootstrapResult | null;
  /** With --demo: the sandbox, the demo connector's Connect & Test, and what the sign-in page tells a newcomer. */
  demo: { sandbox: RunningSandbox; report: TestReport; signIn: DemoSignIn; project: string } | null;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions = {}): Promise<RunningTandem> {
  const dataDir = options.dataDir ?? "data";
  // The demo has a known admin so a newcomer can sign in; real installs set TANDEM_ADMIN_* or get a generated one.
  const env = options.demo ? demoEnv(options.env ?? process.env) : (options.env ?? process.env);
  const databaseUrl = options.databaseUrl ?? env.TANDEM_DB;
  const store = await openStore({ databasePath: options.databasePath ?? join(dataDir, "tandem.db"), databaseUrl, keyFile: join(dataDir, "secret.key"), env });
  const firstAdmin = await ensureFirstAdmin(store, env);
  let url = "";
  const worker = options.worker !== false;
  // Without a worker this process only records deliveries; a `tandem worker` processes the inbox.
  const processor = new WebhookProcessor(store, { publicUrl: () => url, paused: !worker });
  const { jobs, schedules } = openJobQueue(store, { databaseUrl, worker, options: { ...queueOptionsFromEnv(env), ...options.jobs } });
  // A scheduled catch-up is a job: retried with backoff, limited per connector, visible (and retryable) in the job view.
  const scheduler = new CatchUpScheduler(store, (project) => jobs.enqueue<CatchUpPayload>("catch-up", { projectId: project.id }, scheduledCatchUp(project)), schedules);
  const app = new Hono();
  app.route("/", webhookIntake(store, processor));
  const api = createApi({ store, publicUrl: () => url, onScheduleChange: () => scheduler.refresh(), jobs, onInboxRetry: () => processor.kick() });
  app.route("/", api);
  // In demo mode the sign-in page says so, with the demo admin's email (and its password, when it is the public one).
  const signIn = options.demo ? await demoSignIn(store, env) : null;
  app.route("/", webApp(api, { demo: signIn }));

  const listening = await listen(app.fetch, { host: options.host ?? "127.0.0.1", port: options.port ?? 4100 });
  url = listening.url;
  const demo = options.demo ? { ...(await startDemo(store, { sandboxPort: options.sandboxPort, publicUrl: url })), signIn: signIn! } : null;
  await scheduler.refresh();
  // Jobs left pending by a stop, or running in a process that died (once their lease runs out), run now.
  if (worker) {
    await jobs.start(jobHandlers(store, () => url)).catch(async (error: unknown) => {
      await jobs.stop().catch(() => {});
      throw error;
    });
  }
  // Dynamic (OAuth) webhooks expire after 30 days: refreshed daily when within a week of it.
  const refresher = new Cron("0 3 * * *", { protect: true, catch: true }, async () => {
    await refreshDynamicWebhooks(store, (connector) => jiraForConnector(store, connector), url);
  });
  // Minimal retention: expired issue data is deleted even when nobody opens the project.
  const cacheSweeper = setInterval(() => void store.issueCache.purgeExpired().catch(() => {}), 10 * 60 * 1000);
  cacheSweeper.unref();
  // Deliveries recorded before a stop are processed now: the inbox is durable, so a restart loses none.
  processor.kick();

  return {
    url,
    store,
    processor,
    scheduler,
    jobs,
    firstAdmin,
    demo,
    async close() {
      refresher.stop();
      clearInterval(cacheSweeper);
      scheduler.stop();
      await jobs.stop();
      await processor.idle();
      processor.stop();
      await demo?.sandbox.close();
      await listening.close();
      await store.close();
    },
  };
}

/**
 * Queue tuning from the environment: TANDEM_JOB_LEASE_MS (lease of a running job), TANDEM_CRON_INTERVAL_S (pg-boss cron
 * pass), TANDEM_JOB_POLL_MS (how often to look for due jobs), TANDEM_JOB_CONCURRENCY (jobs at once per process),
 * TANDEM_JOB_PER_CONNECTOR (jobs at once per connector), TANDEM_JOB_BACKOFF_MS and TANDEM_JOB_BACKOFF_MAX_MS (the first
 * retry delay and its cap). Worker processes read the same variables, so they run as the API process is tuned.
 */
export function queueOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<StoreQueueOptions> & { cronIntervalSeconds?: number } {
  const read = (name: string) => Number(env[name]) || undefined;
  const leaseMs = read("TANDEM_JOB_LEASE_MS");
  const cronIntervalSeconds = read("TANDEM_CRON_INTERVAL_S");
  const pollMs = read("TANDEM_JOB_POLL_MS");
  const concurrency = read("TANDEM_JOB_CONCURRENCY");
  const perConnector = read("TANDEM_JOB_PER_CONNECTOR");
  const baseMs = read("TANDEM_JOB_BACKOFF_MS");
  const maxMs = read("TANDEM_JOB_BACKOFF_MAX_MS");
  return {
    ...(leaseMs ? { leaseMs } : {}),
    ...(cronIntervalSeconds ? { cronIntervalSeconds } : {}),
    ...(pollMs ? { pollMs } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(perConnector ? { perConnector } : {}),
    ...(baseMs || maxMs ? { backoff: { baseMs: baseMs ?? DEFAULT_BACKOFF.baseMs, maxMs: maxMs ?? Math.max(DEFAULT_BACKOFF.maxMs, baseMs ?? 0) } } : {}),
  };
}
