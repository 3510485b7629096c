// Runs each connected project's catch-up on its cron schedule (croner), in this process. On PostgreSQL the queue's
// own scheduling (pg-boss) takes this over, so a catch-up fires once however many processes run; the croner
// timers then only answer nextRun.
import { Cron } from "croner";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import type { QueueSchedules } from "../jobs/open-queue.ts";

export class CatchUpScheduler {
  private jobs = new Map<string, Cron>();
  private store: TandemStore;
  private run: (project: Project) => Promise<unknown>;
  private schedules: QueueSchedules | null;

  constructor(store: TandemStore, run: (project: Project) => Promise<unknown>, schedules: QueueSchedules | null = null) {
    this.store = store;
    this.run = run;
    this.schedules = schedules;
  }

  /** Re-reads every project's schedule (after a project is connected or its schedule changes). */
  async refresh(): Promise<void> {
    this.stop();
    const connected = (await this.store.projects.list()).filter((project) => project.connectorId);
    await this.schedules?.sync(connected);
    for (const project of connected) {
      const job = new Cron(project.catchUpCron, { timezone: project.catchUpTimeZone, protect: true, catch: true, paused: this.schedules !== null }, async () => {
        const current = await this.store.projects.byId(project.id);
        if (current?.connectorId) await this.run(current);
      });
      this.jobs.set(project.id, job);
    }
  }

  nextRun(projectId: string): Date | null {
    return this.jobs.get(projectId)?.nextRun() ?? null;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }
}

/** Checks a schedule before it is saved; the message says what is wrong. */
export function validateSchedule(cron: string, timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return `'${timeZone}' is not a time zone; use an IANA name such as Europe/Paris or UTC.`;
  }
  try {
    const probe = new Cron(cron, { timezone: timeZone, paused: true });
    probe.stop();
    return null;
  } catch (error) {
    return `'${cron}' is not a cron expression (${error instanceof Error ? error.message : String(error)}); for example '0 2 * * *' is daily at 02:00.`;
  }
}
