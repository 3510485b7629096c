// Scale-out on PostgreSQL: an API process without a worker (`serve --no-worker`) and two `tandem worker` processes
// sharing pg-boss: every job runs exactly once, and a scheduled catch-up occurrence fires once, not once per worker.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { serve, type RunningTandem } from "../../src/server/server.ts";
import { call as sandboxCall, useSandbox } from "../support/sandbox.ts";
import { ADMIN_LOGIN, dropPostgresDatabase, freshPostgresDatabase } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";
import { connectedProject } from "./setup.ts";

const BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));
const skip = process.env.TANDEM_TEST_DB ? false : "needs PostgreSQL: set TANDEM_TEST_DB=postgres://.../test (pg-boss workers run only on PostgreSQL)";

describe("two worker processes on PostgreSQL", { skip, timeout: 240_000 }, () => {
  const jira = useSandbox({ flavour: "cloud" });
  let dataDir = "";
  let databaseUrl: string | undefined;
  let api: RunningTandem | undefined;
  let token = "";
  const workers: ChildProcess[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tandem-workers-"));
    databaseUrl = await freshPostgresDatabase();
    api = await serve({ port: 0, dataDir, databaseUrl, worker: false, env: { TANDEM_ADMIN_EMAIL: ADMIN_LOGIN.email, TANDEM_ADMIN_PASSWORD: ADMIN_LOGIN.password } });
    token = (await api.store.tokens.issue((await api.store.users.byEmail(ADMIN_LOGIN.email))!.id, "api", "test")).token;
    for (let index = 0; index < 2; index++) {
      const child = spawn(process.execPath, [BIN, "worker", "--data", dataDir, "--json", "--public-url", api.url], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TANDEM_DB: databaseUrl, TANDEM_CRON_INTERVAL_S: "1" } });
      workers.push(child);
      await once(child.stdout!, "data");
    }
  });
  after(async () => {
    for (const child of workers) {
      if (child.exitCode !== null) continue;
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api!.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("runs every job exactly once", async () => {
    await connectedProject(call, jira(), { connector: "scale", project: "SC" });
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) ids.push((await call("POST", "/projects/SC/pull", { background: true })).body.job.id);
    assert.equal(new Set(ids).size, 12);
    const jobs = await Promise.all(ids.map((id) => waitFor(`job ${id} done`, async () => {
      const job = (await call("GET", `/jobs/${id}`)).body;
      return job.state === "done" || job.state === "failed" ? job : null;
    }, { timeoutMs: 120_000 })));
    assert.deepEqual(jobs.map((job) => [job.state, job.attempts]), jobs.map(() => ["done", 1]), JSON.stringify(jobs.filter((job) => job.state !== "done")));
    const runs = await api!.store.runs.list((await api!.store.projects.byId("SC"))!.id, { kind: "pull" });
    assert.equal(runs.length, 12, "one run per job: none ran twice, none was lost");
    assert.deepEqual(new Set(jobs.map((job) => job.result.runId)), new Set(runs.map((run) => run.id)));
  });

  it("applies each webhook delivery once, though both workers watch the inbox", async () => {
    const keys = ["BOARD-3", "BOARD-4", "BOARD-5", "BOARD-6", "BOARD-7", "BOARD-8"];
    const itemOf = new Map<string, string>();
    for (const key of keys) {
      const item = await call("POST", "/projects/SC/items", { values: { title: "before the burst" } });
      assert.equal((await call("PUT", `/items/${item.body.key}/link`, { jiraKey: key })).status, 200);
      itemOf.set(key, item.body.key);
    }
    // The connector's account is no Jira admin: Tandem answers what to paste, and an admin registers it.
    const webhook = (await call("POST", "/connectors/scale/webhook")).body;
    const pasted = await sandboxCall(jira(), "POST", "/rest/webhooks/1.0/webhook", { body: { name: "tandem", url: webhook.url, events: webhook.events, filters: { "issue-related-events-section": webhook.jql }, secret: webhook.secret } });
    assert.equal(pasted.status, 201);
    for (const key of keys) {
      const edited = await fetch(`${jira().url}/rest/api/3/issue/${key}`, { method: "PUT", headers: { Authorization: `Basic ${Buffer.from("bob@sandbox.test:bob-token").toString("base64")}`, "Content-Type": "application/json" }, body: JSON.stringify({ fields: { summary: `Burst ${key}` } }) });
      assert.equal(edited.status, 204);
    }
    await jira().dispatcher.idle();
    for (const key of keys) await waitFor(`${key} applied by a worker`, async () => (await api!.store.projects.item(itemOf.get(key)!))?.values.title === `Burst ${key}`, { timeoutMs: 60_000 });
    await waitFor("the inbox drained", async () => (await api!.store.inbox.pending(1)).length === 0, { timeoutMs: 60_000 });
    for (const key of keys) {
      const item = await api!.store.projects.item(itemOf.get(key)!);
      const byWebhook = [];
      for (const entry of await api!.store.runs.forItem(item!.id)) if ((await api!.store.runs.byId(entry.runId))?.userId === "webhook") byWebhook.push(entry);
      assert.equal(byWebhook.length, 1, `${key}: one delivery, applied by one worker (${byWebhook.length} webhook runs touched it)`);
    }
  });

  it("fires a scheduled catch-up once, though both workers run the cron pass", async () => {
    assert.equal((await call("PUT", "/projects/SC/catch-up-schedule", { cron: "* * * * *", timeZone: "UTC" })).status, 200);
    try {
      const scheduled = async () => ((await call("GET", "/jobs?kind=catch-up&project=SC")).body as { id: string; state: string; payload: { userId?: string }; createdAt: number }[]).filter((job) => !job.payload.userId);
      const first = await waitFor("a scheduled catch-up done", async () => (await scheduled()).find((job) => job.state === "done"), { timeoutMs: 120_000 });
      // Only the schedule enqueues catch-ups without a person; pg-boss files each occurrence once: a second job of the same minute would be a duplicate.
      const minute = Math.floor(first.createdAt / 60_000);
      assert.equal((await scheduled()).filter((job) => Math.floor(job.createdAt / 60_000) === minute).length, 1, "one job for the occurrence");
    } finally {
      await call("PUT", "/projects/SC/catch-up-schedule", { cron: "0 2 * * *", timeZone: "UTC" });
    }
  });
});
