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
import { runCatchUp } from "../realtime/catch-up-service.ts";
import { CatchUpScheduler } from "../realtime/scheduler.ts";
import { refreshDynamicWebhooks } from "../realtime/registration.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { Cron } from "croner";
import { openStore, type TandemStore } from "../store/store.ts";
import { ensureFirstAdmin, type BootstrapResult } from "./bootstrap.ts";
import { startDemo } from "./demo.ts";

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
}

export interface RunningTandem {
  url: string;
  store: TandemStore;
  processor: WebhookProcessor;
  scheduler: CatchUpScheduler;
  firstAdmin: BootstrapResult | null;
  demo: { sandbox: RunningSandbox; report: TestReport } | null;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions = {}): Promise<RunningTandem> {
  const dataDir = options.dataDir ?? "data";
  const env = options.env ?? process.env;
  const store = await openStore({ databasePath: options.databasePath ?? join(dataDir, "tandem.db"), databaseUrl: options.databaseUrl ?? env.TANDEM_DB, keyFile: join(dataDir, "secret.key"), env });
  const firstAdmin = await ensureFirstAdmin(store, env);
  let url = "";
  const processor = new WebhookProcessor(store, { publicUrl: () => url });
  const scheduler = new CatchUpScheduler(store, (project) => runCatchUp(store, project, url).catch((error: unknown) => console.error(`catch-up of ${project.key} failed: ${error instanceof Error ? error.message : String(error)}`)));
  const app = new Hono();
  app.route("/", webhookIntake(store, processor));
  const api = createApi({ store, publicUrl: () => url, onScheduleChange: () => scheduler.refresh() });
  app.route("/", api);
  app.route("/", webApp(api));

  const listening = await listen(app.fetch, { host: options.host ?? "127.0.0.1", port: options.port ?? 4100 });
  url = listening.url;
  const demo = options.demo ? await startDemo(store, { sandboxPort: options.sandboxPort, publicUrl: url }) : null;
  await scheduler.refresh();
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
    firstAdmin,
    demo,
    async close() {
      refresher.stop();
      clearInterval(cacheSweeper);
      scheduler.stop();
      await processor.idle();
      processor.stop();
      await demo?.sandbox.close();
      await listening.close();
      await store.close();
    },
  };
}
