// Starts Tandem's server for a test file on a free port with a fresh data directory, plus users of each role.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
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

/** `options` tune the server (for example a short job lease and backoff in the job queue tests). */
export function useTandem(options: Pick<ServeOptions, "jobs"> = {}): () => TestTandem {
  let current: TestTandem | undefined;
  let databaseUrl: string | undefined;
  const logs: string[] = [];
  const originals = { log: console.log, error: console.error, warn: console.warn };
  before(async () => {
    for (const level of ["log", "error", "warn"] as const) {
      console[level] = (...args: unknown[]) => {
        logs.push(args.map(String).join(" "));
        originals[level](...args);
      };
    }
    const dataDir = mkdtempSync(join(tmpdir(), "tandem-test-"));
    databaseUrl = await freshPostgresDatabase();
    const tandem = await serve({ port: 0, dataDir, ...options, ...(databaseUrl ? { databaseUrl } : {}), env: { TANDEM_ADMIN_EMAIL: ADMIN_LOGIN.email, TANDEM_ADMIN_PASSWORD: ADMIN_LOGIN.password } });
    const admin = (await tandem.store.users.byEmail(ADMIN_LOGIN.email))!;
    const member = await tandem.store.users.create({ email: "member@tandem.test", name: "Member", role: "member", password: "member-password-123" });
    const guest = await tandem.store.users.create({ email: "guest@tandem.test", name: "Guest", role: "guest", password: "guest-password-123" });
    const issue = async (userId: string) => (await tandem.store.tokens.issue(userId, "api", "test")).token;
    current = { tandem, dataDir, tokens: { admin: await issue(admin.id), member: await issue(member.id), guest: await issue(guest.id) }, logs, databaseUrl };
  });
  after(async () => {
    Object.assign(console, originals);
    await current?.tandem.close();
    if (current) rmSync(current.dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
  });
  return () => {
    if (!current) throw new Error("Tandem is not running yet: call the getter inside a test.");
    return current;
  };
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
