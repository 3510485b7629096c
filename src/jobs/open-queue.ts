// Picks the job queue for the store: pg-boss on PostgreSQL (several processes share the work and the schedules),
// the store queue in the SQLite file otherwise (one machine; the cron schedules run in the server process).
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import { scheduledCatchUp } from "./handlers.ts";
import { PgBossJobQueue } from "./pg-boss-queue.ts";
import type { JobQueue } from "./queue.ts";
import { StoreJobQueue, type StoreQueueOptions } from "./store-queue.ts";

/** Catch-up schedules kept in the queue itself (pg-boss), so an occurrence fires once across processes. */
export interface QueueSchedules {
  /** Makes the queue's schedules those of these connected projects. */
  sync(projects: Project[]): Promise<void>;
}

export interface OpenedQueue {
  jobs: JobQueue;
  /** Present when the queue schedules catch-ups itself; otherwise the process's cron timers enqueue them. */
  schedules: QueueSchedules | null;
}

export interface QueueChoice {
  databaseUrl?: string;
  /** This process runs handlers (and, on pg-boss, the cron pass). */
  worker: boolean;
  options?: Partial<StoreQueueOptions> & { cronIntervalSeconds?: number };
}

export function openJobQueue(store: TandemStore, choice: QueueChoice): OpenedQueue {
  if (store.db.dialect !== "postgres" || !choice.databaseUrl) return { jobs: new StoreJobQueue(store.db, choice.options), schedules: null };
  const queue = new PgBossJobQueue(choice.databaseUrl, store.db, { ...choice.options, schedule: choice.worker });
  const schedules: QueueSchedules = {
    async sync(projects) {
      const wanted = new Map(projects.map((project) => [`catch-up/${project.id}`, project]));
      for (const key of await queue.scheduleKeys()) if (!wanted.has(key)) await queue.unschedule(key);
      for (const [key, project] of wanted) await queue.schedule("catch-up", key, project.catchUpCron, project.catchUpTimeZone, { projectId: project.id }, scheduledCatchUp(project));
    },
  };
  return { jobs: queue, schedules };
}
