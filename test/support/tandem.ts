// Starts Tandem's server for a test file on a free port with a fresh data directory, plus users of each role.
// With TANDEM_TEST_WORKERS=N beside TANDEM_TEST_DB, the server is an API process without a worker and N `tandem
// worker` processes run its jobs and webhook deliveries on the same database, as in a scaled-out install.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { serve, type RunningTandem, type ServeOptions } from "../../src/server/server.ts";

export const ADMIN_LOGIN = { email: "admin@tandem.test", password: "admin-password-123" };

export interface TestTandem {
  tandem: RunningTandem;
  dataDir: string;
  tokens: { admin: string; member: string; guest: string };
  /** Everything the server printed while the tests ran (to check no secret is logged). */
  logs: string[];
  /** The PostgreSQL database of this server, when the tests run on PostgreSQL. */
  databaseUrl: string | undefined;
  /** The `tandem worker` processes beside the API process (TANDEM_TEST_WORKERS); null when the server runs its own jobs. */
  workers: WorkerProcesses | null;
}

const BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));

/**
 * How many `tandem worker` processes run beside each test server: TANDEM_TEST_WORKERS (with TANDEM_TEST_DB; pg-boss
 * workers share work only on PostgreSQL). 0: the server runs its jobs and webhook processing in-process.
 */
export const TEST_WORKERS = (() => {
  const count = Number(process.env.TANDEM_TEST_WORKERS ?? 0);
  if (!Number.isInteger(count) || count < 0) throw new Error(`TANDEM_TEST_WORKERS must be a whole number of worker processes, not '${process.env.TANDEM_TEST_WORKERS}'.`);
  if (count > 0 && !process.env.TANDEM_TEST_DB) throw new Error("TANDEM_TEST_WORKERS needs TANDEM_TEST_DB: worker processes share a PostgreSQL database.");
  return count;
})();

/** The job queue's tuning as the environment variables worker processes read (queueOptionsFromEnv). */
export function queueEnv(jobs: ServeOptions["jobs"] = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [option, value] of Object.entries(jobs)) {
    if (value === undefined) continue;
    if (option === "backoff") {
      env.TANDEM_JOB_BACKOFF_MS = String(jobs.backoff!.baseMs);
      env.TANDEM_JOB_BACKOFF_MAX_MS = String(jobs.backoff!.maxMs);
      continue;
    }
    const name = ({ leaseMs: "TANDEM_JOB_LEASE_MS", cronIntervalSeconds: "TANDEM_CRON_INTERVAL_S", pollMs: "TANDEM_JOB_POLL_MS", concurrency: "TANDEM_JOB_CONCURRENCY", perConnector: "TANDEM_JOB_PER_CONNECTOR" } as Record<string, string>)[option];
    // A tuning the workers could not be given would make them run otherwise than the test expects.
    if (!name) throw new Error(`useTandem: no environment variable gives worker processes the job option '${option}'; add one to queueOptionsFromEnv.`);
    env[name] = String(value);
  }
  return env;
}

/** `tandem worker` processes on a test server's database and data directory; their output goes into `logs`. */
export class WorkerProcesses {
  private children: ChildProcess[] = [];
  readonly count: number;
  private spawnOne: () => Promise<ChildProcess>;

  constructor(count: number, spawnOne: () => Promise<ChildProcess>) {
    this.count = count;
    this.spawnOne = spawnOne;
  }

  /**
   * Starts the workers (after a stop: new processes, as after a restart), `count` of them (default all); resolves once
   * each runs.
   */
  async start(count = this.count): Promise<void> {
    if (this.children.length) throw new Error("The worker processes are running already.");
    // Side by side: each process pushed as soon as it runs, so a failure leaves none unaccounted for stop().
    await Promise.all(Array.from({ length: count }, async () => this.children.push(await this.spawnOne())));
  }

  /** How many of the workers are running (not exited). */
  running(): number {
    return this.children.filter((child) => child.exitCode === null && child.signalCode === null).length;
  }

  /**
   * Stops every worker (SIGTERM: each finishes what it runs) and waits until each process has exited; throws when one
   * had exited before on its own, or did not stop cleanly, since the others would otherwise hide it.
   */
  async stop(): Promise<void> {
    const children = this.children.splice(0);
    const problems = await Promise.all(children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return `worker ${child.pid} exited on its own (${child.signalCode ?? `code ${child.exitCode}`}) while the tests ran`;
      const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill("SIGTERM");
      const [code, signal] = await exited;
      return code === 0 ? null : `worker ${child.pid} ended with ${signal ?? `code ${code}`} when stopped`;
    }));
    const found = problems.filter((problem) => problem !== null);
    if (found.length) throw new Error(`${found.join("; ")}; its output is in the logs.`);
  }
}

function spawnWorker(options: { dataDir: string; databaseUrl: string; publicUrl: string; env: Record<string, string>; log: (line: string) => void }): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "worker", "--data", options.dataDir, "--json", "--public-url", options.publicUrl], {
    stdio: ["ignore", "pipe", "pipe"],
    // Deliveries are looked for every 50 ms rather than every second: the tests wait for them.
    env: { ...process.env, TANDEM_INBOX_POLL_MS: "50", ...options.env, TANDEM_DB: options.databaseUrl },
  });
  const output = { stdout: "", stderr: "" };
  let running = false;
  return new Promise((resolve, reject) => {
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream]!.setEncoding("utf8");
      child[stream]!.on("data", (chunk: string) => {
        output[stream] += chunk;
        const lines = output[stream].split("\n");
        output[stream] = lines.pop()!;
        for (const line of lines) {
          options.log(`[worker ${child.pid}] ${line}`);
          if (!running && stream === "stdout" && line.startsWith("{\"worker\":")) {
            running = true;
            resolve(child);
          }
        }
      });
    }
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      for (const stream of ["stdout", "stderr"] as const) if (output[stream]) options.log(`[worker ${child.pid}] ${output[stream]}`);
      if (!running) reject(new Error(`A tandem worker exited (${signal ?? `code ${code}`}) before it ran; its output is in the logs above.`));
    });
  });
}

/**
 * With TANDEM_TEST_DB=postgres://.../test (scripts/run-tests.ts sets it for the PostgreSQL pass), each server gets a
 * database of its own, created from that one and dropped afterwards; otherwise the SQLite file in its data dir.
 */
export async function freshPostgresDatabase(): Promise<string | undefined> {
  const base = process.env.TANDEM_TEST_DB;
  if (!base) return undefined;
  const { default: pg } = await import("pg");
  const name = `tandem_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const { default: pg } = await import("pg");
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.TANDEM_TEST_DB });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/**
 * `options` tune the server (for example a short job lease and backoff in the job queue tests), and its worker
 * processes alike with TANDEM_TEST_WORKERS.
 */
export function useTandem(options: Pick<ServeOptions, "jobs"> = {}): () => TestTandem {
  let current: TestTandem | undefined;
  // Kept apart from `current` so that what did start is stopped even when starting the rest failed.
  let started: { dataDir?: string; databaseUrl?: string; tandem?: RunningTandem; workers?: WorkerProcesses | null } = {};
  const logs: string[] = [];
  const originals = { log: console.log, error: console.error, warn: console.warn };
  before(async () => {
    for (const level of ["log", "error", "warn"] as const) {
      console[level] = (...args: unknown[]) => {
        logs.push(args.map(String).join(" "));
        originals[level](...args);
      };
    }
    const dataDir = (started.dataDir = mkdtempSync(join(tmpdir(), "tandem-test-")));
    const databaseUrl = (started.databaseUrl = await freshPostgresDatabase());
    const tandem = (started.tandem = await serve({ port: 0, dataDir, ...options, ...(databaseUrl ? { databaseUrl } : {}), ...(TEST_WORKERS ? { worker: false } : {}), env: { TANDEM_ADMIN_EMAIL: ADMIN_LOGIN.email, TANDEM_ADMIN_PASSWORD: ADMIN_LOGIN.password } }));
    const workerEnv = queueEnv(options.jobs);
    const workers = (started.workers = TEST_WORKERS ? new WorkerProcesses(TEST_WORKERS, () => spawnWorker({ dataDir, databaseUrl: databaseUrl!, publicUrl: tandem.url, env: workerEnv, log: (line) => console.error(line) })) : null);
    await workers?.start();
    const admin = (await tandem.store.users.byEmail(ADMIN_LOGIN.email))!;
    const member = await tandem.store.users.create({ email: "member@tandem.test", name: "Member", role: "member", password: "member-password-123" });
    const guest = await tandem.store.users.create({ email: "guest@tandem.test", name: "Guest", role: "guest", password: "guest-password-123" });
    const issue = async (userId: string) => (await tandem.store.tokens.issue(userId, "api", "test")).token;
    current = { tandem, dataDir, tokens: { admin: await issue(admin.id), member: await issue(member.id), guest: await issue(guest.id) }, logs, databaseUrl, workers };
  });
  after(async () => {
    const { dataDir, databaseUrl, tandem, workers } = started;
    started = {};
    // The workers first (they use the database and the data directory), then the API process, then what they used.
    const stoppedWorkers = await workers?.stop().then(() => null, (error: unknown) => error);
    Object.assign(console, originals);
    await tandem?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    if (stoppedWorkers) {
      // Not thrown: a failing after hook keeps node:test from running the file's other ones (the sandbox's), and the
      // process would never end. The file fails all the same.
      console.error(`useTandem: ${stoppedWorkers instanceof Error ? stoppedWorkers.message : String(stoppedWorkers)}`);
      process.exitCode = 1;
    }
  });
  return () => {
    if (!current) throw new Error("Tandem is not running yet: call the getter inside a test.");
    return current;
  };
}

/**
 * Waits until the webhook inbox is processed. In-process that is the processor's idle(); with worker processes, until
 * the store has no delivery due, neither waiting nor being applied (a delivery stays pending until a worker marks it
 * done). As with idle(), a delivery whose processing failed and that waits for its next attempt is not awaited.
 */
export async function inboxSettled(t: TestTandem, options: { timeoutMs?: number } = {}): Promise<void> {
  if (!t.workers) return t.tandem.processor.idle();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const due = await t.tandem.store.inbox.pending(10);
    if (due.length === 0) return;
    if (t.workers.running() === 0) throw new Error(`No worker process is running, so ${due.length} webhook deliveries wait in the inbox for nobody; the workers' output is in the logs.`);
    if (Date.now() > deadline) {
      const listed = due.map((entry) => `${entry.event} ${entry.issueId ?? "(no issue)"} (${entry.identifier})`).join(", ");
      throw new Error(`The ${t.workers.count} worker processes did not apply the webhook inbox within ${timeoutMs} ms: still due: ${listed}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function api(t: TestTandem, method: string, path: string, options: { token?: string | null; body?: unknown; rawBody?: string } = {}) {
  const token = options.token === undefined ? t.tokens.admin : options.token;
  const response = await fetch(`${t.tandem.url}/api/v1${path}`, {
    method,
    headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(options.body !== undefined || options.rawBody !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    redirect: "manual",
  });
  const text = await response.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, headers: response.headers };
}
