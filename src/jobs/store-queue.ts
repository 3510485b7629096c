// The job queue in Tandem's own store (the SQLite file on one machine): jobs are rows, claimed atomically by a
// compare-and-set update, held under a lease that a running worker keeps extending, so a job whose process died is
// taken up again once its lease runs out. Failures retry with jittered exponential backoff up to maxAttempts.
import { randomUUID } from "node:crypto";
import type { SqlDatabase, SqlValue } from "../store/database.ts";
import { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
import { JobNotFoundError, JobNotRetryableError, PermanentJobError, type EnqueueOptions, type Job, type JobFilter, type JobHandlers, type JobQueue, type JobState } from "./queue.ts";

export interface StoreQueueOptions {
  /** Jobs running at once in this process. Default 4. */
  concurrency: number;
  /** Jobs running at once per connector, across processes sharing the store (Jira's rate limits). Default 2. */
  perConnector: number;
  /** How long a claim holds without a heartbeat (ms); a dead process's jobs run again after it. Default 30 s. */
  leaseMs: number;
  /** How often to look for due jobs when nothing woke the queue (ms). Default 1 s. */
  pollMs: number;
  backoff: BackoffOptions;
  defaultMaxAttempts: number;
}

export const DEFAULT_QUEUE_OPTIONS: StoreQueueOptions = { concurrency: 4, perConnector: 2, leaseMs: 30_000, pollMs: 1_000, backoff: DEFAULT_BACKOFF, defaultMaxAttempts: 5 };

interface JobRow {
  id: string;
  kind: string;
  payload: string;
  state: JobState;
  connector_id: string | null;
  project_id: string | null;
  singleton_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  result: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const num = (value: number | null) => (value === null ? null : Number(value));

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    connectorId: row.connector_id,
    projectId: row.project_id,
    singletonKey: row.singleton_key,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    lastError: row.last_error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class StoreJobQueue implements JobQueue {
  private db: SqlDatabase;
  private options: StoreQueueOptions;
  private handlers: JobHandlers = {};
  private readonly workerId = randomUUID();
  private running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private started = false;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  /** Creation times strictly increase in a process, so "newest first" is the order jobs were enqueued. */
  private lastCreatedAt = 0;

  constructor(db: SqlDatabase, options: Partial<StoreQueueOptions> = {}) {
    this.db = db;
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
  }

  async enqueue<P>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<Job<P>> {
    const job = await this.db.transaction(async (tx) => {
      if (options.singletonKey) {
        const existing = await tx.get<JobRow>("SELECT * FROM jobs WHERE kind = ? AND singleton_key = ? AND state = 'pending' ORDER BY created_at LIMIT 1", [kind, options.singletonKey]);
        if (existing) return toJob(existing);
      }
      const now = Date.now();
      this.lastCreatedAt = Math.max(now, this.lastCreatedAt + 1);
      const id = randomUUID();
      const runAt = options.runAt ?? now + (options.delayMs ?? 0);
      await tx.run(
        "INSERT INTO jobs (id, kind, payload, state, connector_id, project_id, singleton_key, attempts, max_attempts, run_at, locked_by, locked_until, last_error, result, created_at, started_at, finished_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, 0, ?, ?, NULL, NULL, NULL, NULL, ?, NULL, NULL)",
        [id, kind, JSON.stringify(payload ?? null), options.connectorId ?? null, options.projectId ?? null, options.singletonKey ?? null, options.maxAttempts ?? this.options.defaultMaxAttempts, runAt, this.lastCreatedAt],
      );
      return toJob((await tx.get<JobRow>("SELECT * FROM jobs WHERE id = ?", [id]))!);
    });
    this.kick();
    return job as Job<P>;
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.db.get<JobRow>("SELECT * FROM jobs WHERE id = ?", [id]);
    return row ? toJob(row) : undefined;
  }

  async list(filter: JobFilter = {}): Promise<Job[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    for (const [column, value] of [["state", filter.state], ["kind", filter.kind], ["project_id", filter.projectId], ["connector_id", filter.connectorId]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const rows = await this.db.all<JobRow>(`SELECT * FROM jobs${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC LIMIT ?`, [...params, filter.limit ?? 100]);
    return rows.map(toJob);
  }

  async retry(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!job) throw new JobNotFoundError(`Job '${id}' does not exist; list jobs with GET /jobs.`);
    if (job.state !== "failed") throw new JobNotRetryableError(`Job '${id}' is ${job.state}, not failed: only failed jobs can be retried.`);
    // As pg-boss does: a retry gives the failed job one more attempt (the count and the last reason stay for the record).
    const { changes } = await this.db.run("UPDATE jobs SET state = 'pending', max_attempts = attempts + 1, run_at = ?, finished_at = NULL WHERE id = ? AND state = 'failed'", [Date.now(), id]);
    if (changes === 0) throw new JobNotRetryableError(`Job '${id}' was retried by someone else meanwhile.`);
    this.kick();
    return (await this.get(id))!;
  }

  async start(handlers: JobHandlers): Promise<void> {
    this.handlers = handlers;
    this.started = true;
    this.heartbeat = setInterval(() => void this.extendLeases(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.schedulePoll(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.allSettled([...this.running.values()]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Resolves when no job is due or running (tests and shutdown); jobs waiting for a later time do not count. */
  async idle(): Promise<void> {
    for (;;) {
      await this.polling;
      await Promise.allSettled([...this.running.values()]);
      const due = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE state = 'pending' AND run_at <= ?", [Date.now()]);
      if (this.running.size === 0 && Number(due?.n ?? 0) === 0) return;
      this.kick();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Look for work now (after an enqueue, a retry, or a finished job freeing a slot). */
  private kick(): void {
    if (!this.started) return;
    if (this.polling) this.pollAgain = true;
    else this.schedulePoll(0);
  }

  private schedulePoll(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delayMs);
  }

  /** One poller at a time per process: claims are serialised here, and the database decides between processes. */
  private poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.pollAgain = false;
        while (this.started && this.running.size < this.options.concurrency) {
          const job = await this.claim().catch((error: unknown) => {
            console.error(`tandem jobs: could not claim a job: ${message(error)}`);
            return null;
          });
          if (!job) break;
          const execution = this.execute(job).finally(() => {
            this.running.delete(job.id);
            this.kick();
          });
          this.running.set(job.id, execution);
        }
      } while (this.pollAgain && this.started);
    })().finally(() => {
      this.polling = null;
      // A wake-up that came after the last claim round is honoured now, not at the next regular poll.
      this.schedulePoll(this.pollAgain ? 0 : this.options.pollMs);
      this.pollAgain = false;
    });
    return this.polling;
  }

  /** Takes the next due job whose connector has a free slot: pending and due, or running with an expired lease. */
  private async claim(): Promise<Job | null> {
    const kinds = Object.keys(this.handlers);
    if (kinds.length === 0) return null;
    for (let round = 0; round < 5; round++) {
      const now = Date.now();
      const busy = await this.db.all<{ connector_id: string; n: number }>("SELECT connector_id, COUNT(*) AS n FROM jobs WHERE state = 'running' AND locked_until > ? AND connector_id IS NOT NULL GROUP BY connector_id", [now]);
      const full = new Set(busy.filter((row) => Number(row.n) >= this.options.perConnector).map((row) => row.connector_id));
      const candidates = await this.db.all<JobRow>(
        `SELECT * FROM jobs WHERE ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until <= ?)) AND kind IN (${kinds.map(() => "?").join(", ")}) ORDER BY run_at, created_at LIMIT 50`,
        [now, now, ...kinds],
      );
      const next = candidates.find((row) => !row.connector_id || !full.has(row.connector_id));
      if (!next) return null;
      // Compare-and-set: only one claimer sees the row in the state it read.
      const { changes } = await this.db.run(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ?, locked_until = ?, started_at = ? WHERE id = ? AND state = ? AND COALESCE(locked_until, -1) = ?",
        [this.workerId, now + this.options.leaseMs, now, next.id, next.state, next.locked_until === null ? -1 : Number(next.locked_until)],
      );
      if (changes === 1) return toJob((await this.db.get<JobRow>("SELECT * FROM jobs WHERE id = ?", [next.id]))!);
    }
    return null;
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers[job.kind]!;
    try {
      const result = await handler(job.payload, { job, attempt: job.attempts });
      await this.db.run("UPDATE jobs SET state = 'done', result = ?, finished_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?", [
        JSON.stringify(result ?? null), Date.now(), job.id, this.workerId,
      ]);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (permanent || job.attempts >= job.maxAttempts) {
        const reason = permanent ? message(error) : `${message(error)} (gave up after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"})`;
        // A permanent failure uses up the attempts: max_attempts says how many were made (as with pg-boss).
        await this.db.run("UPDATE jobs SET state = 'failed', last_error = ?, max_attempts = attempts, finished_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?", [reason, Date.now(), job.id, this.workerId]);
      } else {
        const runAt = Date.now() + backoffMs(job.attempts, this.options.backoff);
        await this.db.run("UPDATE jobs SET state = 'pending', last_error = ?, run_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?", [message(error), runAt, job.id, this.workerId]);
        this.schedulePollAt(runAt);
      }
    }
  }

  /** Wakes up for a retry that is due before the next regular poll. */
  private schedulePollAt(at: number): void {
    const delay = Math.max(0, at - Date.now());
    if (delay < this.options.pollMs) setTimeout(() => this.kick(), delay).unref();
  }

  private async extendLeases(): Promise<void> {
    if (this.running.size === 0) return;
    const ids = [...this.running.keys()];
    await this.db
      .run(`UPDATE jobs SET locked_until = ? WHERE locked_by = ? AND state = 'running' AND id IN (${ids.map(() => "?").join(", ")})`, [Date.now() + this.options.leaseMs, this.workerId, ...ids])
      .catch((error: unknown) => console.error(`tandem jobs: could not extend leases: ${message(error)}`));
  }
}
