// Runs each connected project's catch-up on its cron schedule (croner), in this process. On PostgreSQL with
// several workers the queue's own scheduling takes this over (issue #9), so a catch-up fires once.
import { Cron } from "croner";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";

export class CatchUpScheduler {
  private jobs = new Map<string, Cron>();
  private store: TandemStore;
  private run: (project: Project) => Promise<unknown>;

  constructor(store: TandemStore, run: (project: Project) => Promise<unknown>) {
    this.store = store;
    this.run = run;
  }

  /** Re-reads every project's schedule (after a project is connected or its schedule changes). */
  async refresh(): Promise<void> {
    this.stop();
    for (const project of await this.store.projects.list()) {
      if (!project.connectorId) continue;
      const job = new Cron(project.catchUpCron, { timezone: project.catchUpTimeZone, protect: true, catch: true }, async () => {
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
