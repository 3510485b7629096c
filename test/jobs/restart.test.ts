// A process restart loses no job: jobs enqueued by a server that stopped before running them, and jobs running in a
// `tandem serve` process killed with SIGKILL, all complete in the next server on the same store.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { serve, type RunningTandem } from "../../src/server/server.ts";
import { useSandbox } from "../support/sandbox.ts";
import { ADMIN_LOGIN, dropPostgresDatabase, freshPostgresDatabase } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";
import { connectedProject, sandboxLimits } from "./setup.ts";

const BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));
const jira = useSandbox({ flavour: "cloud" });
const env = { TANDEM_ADMIN_EMAIL: ADMIN_LOGIN.email, TANDEM_ADMIN_PASSWORD: ADMIN_LOGIN.password };
let dataDir = "";
let databaseUrl: string | undefined;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "tandem-jobs-restart-"));
  databaseUrl = await freshPostgresDatabase();
});
after(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (databaseUrl) await dropPostgresDatabase(databaseUrl);
});

async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(ADMIN_LOGIN) });
  return ((await response.json()) as { token: string }).token;
}

// A short cron/supervision interval so that, on PostgreSQL, pg-boss soon notices a dead process's heartbeat stopped.
const start = (options: { worker?: boolean } = {}) => serve({ port: 0, dataDir, jobs: { cronIntervalSeconds: 1 }, ...options, ...(databaseUrl ? { databaseUrl } : {}), env });

describe("restarting with jobs in the queue", () => {
  it("runs the jobs a stopped server left pending", async () => {
    const first = await start({ worker: false });
    const token = await login(first.url);
    const use = (method: string, path: string, body?: unknown) => call(first.url, token, method, path, body);
    await connectedProject(use, jira(), { connector: "restart", project: "RS" });
    const ids = [
      (await use("POST", "/projects/RS/pull", { background: true })).body.job.id,
      (await use("POST", "/projects/RS/catch-up?background=true")).body.job.id,
      (await use("POST", "/projects/RS/sync", { background: true, dryRun: true })).body.job.id,
    ] as string[];
    assert.deepEqual((await Promise.all(ids.map(async (id) => (await use("GET", `/jobs/${id}`)).body.state))), ["pending", "pending", "pending"], "a server without a worker only enqueues");
    await first.close();

    const second = await start();
    try {
      for (const id of ids) {
        const job = await waitFor(`job ${id} done`, async () => ((await second.jobs.get(id))?.state === "done" ? second.jobs.get(id) : null));
        assert.equal(job.attempts, 1);
      }
      const items = await second.store.projects.items((await second.store.projects.byId("RS"))!.id);
      for (const item of items) assert.equal(item.values.title, jira().state.issueByIdOrKey(item.link!.jiraKey)!.summary, "the pull ran");
    } finally {
      await second.close();
    }
  });

  it("runs again the jobs of a process killed while running them, and the ones it had not started", async () => {
    // Slow searches keep the catch-ups running while the process is killed; a short lease lets the next one take them soon.
    await sandboxLimits(jira(), { reset: true, faults: { latencyMs: 1500, pathPrefix: "/rest/api/3/search" } });
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", dataDir, "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env, TANDEM_JOB_LEASE_MS: "500", TANDEM_CRON_INTERVAL_S: "1", ...(databaseUrl ? { TANDEM_DB: databaseUrl } : {}) },
    });
    let next: RunningTandem | undefined;
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const { url } = JSON.parse(line.toString()) as { url: string };
      const token = await login(url);
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) ids.push((await call(url, token, "POST", "/projects/RS/catch-up?background=true")).body.job.id);
      const running = await waitFor("two jobs running in the child", async () => {
        const jobs = (await call(url, token, "GET", "/jobs?state=running")).body as { id: string }[];
        return jobs.length === 2 ? jobs.map((job) => job.id) : null;
      });
      child.kill("SIGKILL");
      await once(child, "exit");
      await sandboxLimits(jira(), { reset: true, faults: null });

      next = await start();
      const tandem = next;
      for (const id of ids) {
        const job = await waitFor(`job ${id} done after the restart`, async () => {
          const current = await tandem.jobs.get(id);
          return current?.state === "done" ? current : null;
        }, { timeoutMs: 90_000 });
        assert.equal(job.attempts, running.includes(id) ? 2 : 1, `${id}: the killed attempt counts, and nothing ran twice after the restart`);
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await next?.close();
    }
  });
});
