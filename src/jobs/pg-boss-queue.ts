// The job queue on PostgreSQL, for several processes: pg-boss behind the same port as the store queue. Every Tandem
// job goes in one pg-boss queue (its kind in the data), because pg-boss counts group concurrency per queue and the
// per-connector limit must cover all kinds: a connector is a group, counted in the database, so the limit holds
// across every worker. Retries use pg-boss's jittered exponential backoff; catch-up schedules are pg-boss schedules,
// whose occurrences are sent once however many processes run the cron pass. The job view reads pg-boss's job table.
import { PgBoss, type JobWithMetadata } from "pg-boss";
import type { SqlDatabase, SqlValue } from "../store/database.ts";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
import { JobNotFoundError, JobNotRetryableError, PermanentJobError, type EnqueueOptions, type Job, type JobFilter, type JobHandlers, type JobQueue, type JobState } from "./queue.ts";

export interface PgBossQueueOptions {
  /** Jobs of each kind running at once in this process. Default 4. */
  concurrency: number;
  /** Jobs running at once per connector, across all processes. Default 2. */
  perConnector: number;
  pollMs: number;
  backoff: BackoffOptions;
  defaultMaxAttempts: number;
  /** Run pg-boss's cron pass in this process (workers do; API-only processes need not). */
  schedule: boolean;
  /** How often the cron pass and the schedule monitor run (s); tests shorten it. Default 30. */
  cronIntervalSeconds: number;
  /** Heartbeat lease of a running job (ms; pg-boss needs at least 10 s): a dead worker's job runs again after it. */
  leaseMs: number;
}

const SCHEMA = "pgboss";
/** The one pg-boss queue of Tandem's jobs. */
export const QUEUE = "tandem";

/** What Tandem stores in a pg-boss job's data: the kind, the payload and what the job view filters on. */
interface Envelope {
  kind: string;
  payload: unknown;
  projectId: string | null;
  connectorId: string | null;
}

interface BossRow {
  id: string;
  name: string;
  data: Envelope;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  retry_count: number;
  retry_limit: number;
  singleton_key: string | null;
  start_after: Date | string;
  created_on: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  output: { message?: string; result?: unknown; lastError?: string | null } | null;
}

const STATES: Record<JobState, BossRow["state"][]> = { pending: ["created", "retry"], running: ["active"], done: ["completed"], failed: ["failed", "cancelled"] };
const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function toJob(row: BossRow): Job {
  const state = (Object.entries(STATES).find(([, states]) => states.includes(row.state))?.[0] ?? "pending") as JobState;
  const output = row.output ?? null;
  return {
    id: row.id,
    kind: row.data?.kind ?? row.name,
    payload: row.data?.payload ?? null,
    state,
    connectorId: row.data?.connectorId ?? null,
    projectId: row.data?.projectId ?? null,
    singletonKey: row.singleton_key,
    // retry_count goes up when a job is claimed again, so it is the attempts made, less one, once one started.
    attempts: row.state === "created" ? 0 : Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    runAt: ms(row.start_after)!,
    lastError: state === "done" ? (output?.lastError ?? null) : state === "pending" && row.state === "created" ? null : (output?.message ?? null),
    result: state === "done" ? (output?.result ?? null) : null,
    createdAt: ms(row.created_on)!,
    startedAt: ms(row.started_on),
    finishedAt: state === "done" || state === "failed" ? ms(row.completed_on) : null,
  };
}

export class PgBossJobQueue implements JobQueue {
  private boss: PgBoss;
  private db: SqlDatabase;
  private options: PgBossQueueOptions;
  private queueReady: Promise<void> | null = null;
  private ready: Promise<unknown> | null = null;
  /** Jobs whose handlers run in this process (for idle()). */
  private active = 0;

  constructor(connectionString: string, db: SqlDatabase, options: Partial<PgBossQueueOptions> = {}) {
    this.db = db;
    this.options = { concurrency: 4, perConnector: 2, pollMs: 1000, backoff: DEFAULT_BACKOFF, defaultMaxAttempts: 5, schedule: true, cronIntervalSeconds: 30, leaseMs: 30_000, ...options };
    const interval = Math.min(45, Math.max(1, Math.round(this.options.cronIntervalSeconds)));
    this.boss = new PgBoss({ connectionString, schema: SCHEMA, max: 4, schedule: this.options.schedule, cronWorkerIntervalSeconds: interval, cronMonitorIntervalSeconds: interval, application_name: "tandem-jobs",
      // A short cron interval (tests) also shortens the supervision that finds jobs whose heartbeat stopped.
      ...(interval < 30 ? { superviseIntervalSeconds: interval, monitorIntervalSeconds: interval } : {}) });
    this.boss.on("error", (error) => console.error(`tandem jobs (pg-boss): ${message(error)}`));
  }

  /** Installs or upgrades pg-boss's schema and connects (once). */
  open(): Promise<unknown> {
    this.ready ??= this.boss.start();
    return this.ready;
  }

  private ensureQueue(): Promise<void> {
    this.queueReady ??= this.createQueue();
    return this.queueReady;
  }

  private async createQueue(): Promise<void> {
    await this.open();
    if (!(await this.boss.getQueue(QUEUE))) {
      await this.boss.createQueue(QUEUE, {
        retryLimit: this.options.defaultMaxAttempts - 1,
        retryDelay: Math.max(1, Math.round(this.options.backoff.baseMs / 1000)),
        retryBackoff: true,
        retryDelayMax: Math.max(1, Math.round(this.options.backoff.maxMs / 1000)),
        // A dead worker's job comes back once its heartbeats stop; a long import is not cut short.
        heartbeatSeconds: this.heartbeatSeconds(),
        expireInSeconds: 24 * 3600,
      }).catch(async (error: unknown) => {
        if (!(await this.boss.getQueue(QUEUE))) throw error; // created meanwhile by another process: fine
      });
    }
  }

  private heartbeatSeconds(): number {
    return Math.max(10, Math.round(this.options.leaseMs / 1000));
  }

  async enqueue<P>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<Job<P>> {
    await this.ensureQueue();
    if (options.singletonKey) {
      const [waiting] = await this.rows("data->>'kind' = ? AND singleton_key = ? AND state IN ('created', 'retry')", [kind, options.singletonKey], 1);
      if (waiting) return toJob(waiting) as Job<P>;
    }
    const envelope: Envelope = { kind, payload: payload ?? null, projectId: options.projectId ?? null, connectorId: options.connectorId ?? null };
    const runAt = options.runAt ?? (options.delayMs ? Date.now() + options.delayMs : undefined);
    const id = await this.boss.send(QUEUE, envelope as object, {
      ...(runAt !== undefined ? { startAfter: new Date(runAt) } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.maxAttempts !== undefined ? { retryLimit: Math.max(0, options.maxAttempts - 1) } : {}),
      ...(options.connectorId ? { group: { id: options.connectorId } } : {}),
      heartbeatSeconds: this.heartbeatSeconds(),
    });
    if (!id) throw new Error(`pg-boss did not accept the ${kind} job.`);
    return (await this.get(id)) as Job<P>;
  }

  async get(id: string): Promise<Job | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    await this.open();
    const [row] = await this.rows("name = ? AND id = ?::uuid", [QUEUE, id], 1);
    return row ? toJob(row) : undefined;
  }

  async list(filter: JobFilter = {}): Promise<Job[]> {
    await this.open();
    const where = ["name = ?"];
    const params: SqlValue[] = [QUEUE];
    if (filter.state) where.push(`state::text IN (${STATES[filter.state].map((state) => `'${state}'`).join(", ")})`);
    if (filter.kind) (where.push("data->>'kind' = ?"), params.push(filter.kind));
    if (filter.projectId) (where.push("data->>'projectId' = ?"), params.push(filter.projectId));
    if (filter.connectorId) (where.push("data->>'connectorId' = ?"), params.push(filter.connectorId));
    return (await this.rows(where.join(" AND "), params, filter.limit ?? 100)).map(toJob);
  }

  async retry(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!job) throw new JobNotFoundError(`Job '${id}' does not exist; list jobs with GET /jobs.`);
    if (job.state !== "failed") throw new JobNotRetryableError(`Job '${id}' is ${job.state}, not failed: only failed jobs can be retried.`);
    const { affected } = (await this.boss.retry(QUEUE, id)) as { affected?: number };
    if (affected === 0) throw new JobNotRetryableError(`Job '${id}' was retried by someone else meanwhile.`);
    return (await this.get(id))!;
  }

  async start(handlers: JobHandlers): Promise<void> {
    await this.ensureQueue();
    // One fetch per batch: pg-boss applies the group (connector) limit inside that one query, which concurrent
    // fetchers of one process could not guarantee; the batch's jobs then run side by side, each settled on its own.
    await this.boss.work<Envelope>(
      QUEUE,
      { includeMetadata: true, batchSize: this.options.concurrency, perJobResults: true, groupConcurrency: this.options.perConnector, pollingIntervalSeconds: Math.max(0.5, this.options.pollMs / 1000) },
      async (jobs) => Promise.all((jobs as unknown as JobWithMetadata<Envelope>[]).map((bossJob) => this.runOne(bossJob, handlers))),
    );
  }

  private async runOne(bossJob: JobWithMetadata<Envelope>, handlers: JobHandlers): Promise<{ id: string; status: "completed" | "failed"; output: object }> {
    const job = toJob({ id: bossJob.id, name: QUEUE, data: bossJob.data, state: "active", retry_count: bossJob.retryCount, retry_limit: bossJob.retryLimit, singleton_key: bossJob.singletonKey, start_after: bossJob.startAfter, created_on: bossJob.createdOn, started_on: bossJob.startedOn, completed_on: null, output: null });
    // includeMetadata: the job arrives with the last attempt's output, kept as the last error once one succeeds.
    const previous = (bossJob.output as { message?: string } | null)?.message ?? null;
    this.active += 1;
    try {
      const handler = handlers[bossJob.data.kind];
      if (!handler) throw new PermanentJobError(`No handler for jobs of kind '${bossJob.data.kind}'.`);
      const result = await handler(bossJob.data.payload, { job, attempt: job.attempts });
      return { id: bossJob.id, status: "completed", output: { result: result ?? null, lastError: previous } };
    } catch (error) {
      if (error instanceof PermanentJobError) {
        // Trying again cannot help: no attempts left, so pg-boss fails it now with this reason.
        await this.db.run(`UPDATE ${SCHEMA}.job SET retry_limit = retry_count WHERE id = ?::uuid`, [bossJob.id]);
        return { id: bossJob.id, status: "failed", output: { message: message(error) } };
      }
      const last = job.attempts >= job.maxAttempts;
      return { id: bossJob.id, status: "failed", output: { message: last ? `${message(error)} (gave up after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"})` : message(error) } };
    } finally {
      this.active -= 1;
    }
  }

  async stop(): Promise<void> {
    if (!this.ready) return;
    await this.boss.stop({ graceful: true, close: true, timeout: 30_000 });
  }

  async idle(): Promise<void> {
    for (;;) {
      const [row] = await this.db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${SCHEMA}.job WHERE name = ? AND ((state IN ('created', 'retry') AND start_after <= now()) OR state = 'active')`, [QUEUE]);
      if (this.active === 0 && Number(row?.n ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A schedule sending `payload` as a `kind` job on `cron` in `timeZone`; the key makes it one per project. */
  async schedule(kind: string, key: string, cron: string, timeZone: string, payload: unknown, options: EnqueueOptions): Promise<void> {
    await this.ensureQueue();
    const envelope: Envelope = { kind, payload, projectId: options.projectId ?? null, connectorId: options.connectorId ?? null };
    await this.boss.schedule(QUEUE, cron, envelope as object, { tz: timeZone, key, ...(options.connectorId ? { group: { id: options.connectorId } } : {}) });
  }

  /** The keys of the schedules, to drop those no longer wanted. */
  async scheduleKeys(): Promise<string[]> {
    await this.ensureQueue();
    return (await this.boss.getSchedules(QUEUE)).map((schedule) => schedule.key);
  }

  async unschedule(key: string): Promise<void> {
    await this.boss.unschedule(QUEUE, key);
  }

  private async rows(where: string, params: SqlValue[], limit: number): Promise<BossRow[]> {
    return this.db.all<BossRow>(
      `SELECT id::text AS id, name, data, state::text AS state, retry_count, retry_limit, singleton_key, start_after, created_on, started_on, completed_on, output FROM ${SCHEMA}.job WHERE ${where} ORDER BY created_on DESC LIMIT ?`,
      [...params, limit],
    );
  }
}
