// The job queue's port: durable, named jobs with typed payloads, retries with backoff, a concurrency limit per
// connector, and a view of what is pending, running, done or failed. The store-backed queue (store-queue.ts)
// implements it on one machine; the PostgreSQL queue (pg-boss) implements the same port for several processes.

export type JobState = "pending" | "running" | "done" | "failed";

export const JOB_STATES: readonly JobState[] = ["pending", "running", "done", "failed"];

export interface EnqueueOptions {
  /** The connector whose Jira the job talks to: jobs of one connector share its concurrency limit. */
  connectorId?: string | null;
  /** The Tandem project, so the job view can be filtered by project. */
  projectId?: string | null;
  /** Run no earlier than this time (ms since the epoch). Default: now. */
  runAt?: number;
  /** Run after this many milliseconds (ignored when runAt is given). */
  delayMs?: number;
  /** While a job of the same kind and key is pending, enqueueing again returns that job instead of a second one. */
  singletonKey?: string;
  /** Attempts before the job is failed with its last error. Default 5. */
  maxAttempts?: number;
}

export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  state: JobState;
  connectorId: string | null;
  projectId: string | null;
  singletonKey: string | null;
  attempts: number;
  maxAttempts: number;
  /** When the job may run next (after a backoff, the time of the next attempt). */
  runAt: number;
  /** The last failure's message (kept when a later attempt succeeds). */
  lastError: string | null;
  /** What the handler returned (JSON), for the job view. */
  result: unknown;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface JobFilter {
  state?: JobState;
  kind?: string;
  projectId?: string;
  connectorId?: string;
  /** Newest first; default 100. */
  limit?: number;
}

/** What a handler gets besides the payload. */
export interface JobContext {
  job: Job;
  /** The attempt being made, from 1. */
  attempt: number;
}

export type JobHandler = (payload: any, context: JobContext) => Promise<unknown>;

export type JobHandlers = Record<string, JobHandler>;

/** A handler throws this when trying again cannot help (bad input, a project that no longer exists). */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}

export class JobNotFoundError extends Error {
  override readonly name = "JobNotFoundError";
}

/** Retrying a job that is not failed: the message says what state it is in. */
export class JobNotRetryableError extends Error {
  override readonly name = "JobNotRetryableError";
}

export interface JobQueue {
  enqueue<P>(kind: string, payload: P, options?: EnqueueOptions): Promise<Job<P>>;
  get(id: string): Promise<Job | undefined>;
  list(filter?: JobFilter): Promise<Job[]>;
  /** Puts a failed job back to pending with one more attempt; throws JobNotFoundError / JobNotRetryableError. */
  retry(id: string): Promise<Job>;
  /** Starts running jobs with these handlers (a process that never calls it only enqueues). */
  start(handlers: JobHandlers): Promise<void>;
  /** Stops taking jobs and waits for the running ones; unfinished ones are taken up again later. */
  stop(): Promise<void>;
  /** Resolves when no job is due or running in this process (tests and shutdown). */
  idle(): Promise<void>;
}
