// The job queue through the API against the sandbox Jira: retries with backoff when Jira fails, failed with the
// reason and retried, the per-connector concurrency limit, scheduled catch-ups as jobs, bad input and roles.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";
import { connectedProject, sandboxLimits } from "./setup.ts";

const t = useTandem({ jobs: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 100, perConnector: 2, concurrency: 6, cronIntervalSeconds: 1 } });
const jira = useSandbox({ flavour: "cloud" });
const admin = (method: string, path: string, body?: unknown) => api(t(), method, path, { body });
const job = async (id: string) => (await api(t(), "GET", `/jobs/${id}`)).body;
const finished = (id: string) => waitFor(`job ${id} to finish`, async () => {
  const current = await job(id);
  return current.state === "done" || current.state === "failed" ? current : null;
});

describe("the job queue", () => {
  it("retries a catch-up that Jira fails twice, then applies it", async () => {
    await connectedProject(admin, jira(), { connector: "jobs", project: "JQ" });
    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-1", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Changed before the catch-up" } } });
    await sandboxLimits(jira(), { reset: true, failNext: [{ count: 2, status: 400, path: "/rest/api/3/search" }] });

    const started = await admin("POST", "/projects/JQ/catch-up?background=true");
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.headers.get("location"), `/api/v1/jobs/${started.body.job.id}`);
    assert.equal(started.body.links.job, `/api/v1/jobs/${started.body.job.id}`);
    const done = await finished(started.body.job.id);
    assert.equal(done.state, "done", JSON.stringify(done));
    assert.equal(done.attempts, 3, "two failed attempts, then the one that worked");
    assert.ok(done.lastError, "the last failure is kept for the record");
    assert.equal(done.result.run.status, "succeeded");
    assert.equal(done.links.run, `/api/v1/runs/${done.result.run.runId}`);
    const items = (await admin("GET", "/projects/JQ/items")).body as { values: { title: string }; link: { jiraKey: string } }[];
    assert.equal(items.find((item) => item.link.jiraKey === "BOARD-1")!.values.title, "Changed before the catch-up");
  });

  it("fails a job with the reason after its last attempt, and a member retries it", async () => {
    await sandboxLimits(jira(), { reset: true, failNext: [{ count: 2, status: 400, path: "/rest/api/3/search" }] });
    const project = (await admin("GET", "/projects/JQ")).body;
    const queued = await t().tandem.jobs.enqueue("catch-up", { projectId: project.id }, { projectId: project.id, connectorId: project.connectorId, maxAttempts: 2 });
    const failed = await finished(queued.id);
    assert.equal(failed.state, "failed");
    assert.match(failed.lastError, /gave up after 2 attempts/);
    assert.ok((await api(t(), "GET", "/jobs?state=failed&project=JQ", { token: t().tokens.guest })).body.some((entry: { id: string }) => entry.id === queued.id), "guests see failed jobs");

    const refused = await api(t(), "POST", `/jobs/${queued.id}/retry`, { token: t().tokens.guest });
    assert.equal(refused.status, 403);
    assert.equal((await job(queued.id)).state, "failed", "a refused retry changes nothing");

    const retried = await api(t(), "POST", `/jobs/${queued.id}/retry`, { token: t().tokens.member });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.state, "pending");
    assert.equal(retried.body.maxAttempts, 3, "a retry gives one more attempt");
    const done = await finished(queued.id);
    assert.equal(done.state, "done", JSON.stringify(done));
    assert.equal(done.attempts, 3, "the two failed attempts and the one after the retry");
  });

  it("runs at most two jobs of one connector at once, while another connector's run beside them", async () => {
    await connectedProject(admin, jira(), { connector: "other", project: "JQB", jiraProject: "ROAD", issues: ["ROAD-1"] });
    await sandboxLimits(jira(), { reset: true, faults: { latencyMs: 150, pathPrefix: "/rest/api/3/search" } });
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      for (const key of ["JQ", "JQB"]) ids.push((await admin("POST", `/projects/${key}/pull`, { background: true })).body.job.id);
      for (const key of ["JQ", "JQB"]) ids.push((await admin("POST", `/projects/${key}/catch-up?background=true`)).body.job.id);
    }
    const jobs = await Promise.all(ids.map(finished));
    await sandboxLimits(jira(), { reset: true, faults: null });
    assert.deepEqual(jobs.map((entry) => entry.state), jobs.map(() => "done"), JSON.stringify(jobs.filter((entry) => entry.state !== "done")));
    // The most jobs running at one moment, from when each was claimed and finished.
    const peak = (subset: typeof jobs) => Math.max(...subset.map((entry) => subset.filter((other) => other.startedAt <= entry.startedAt && other.finishedAt > entry.startedAt).length));
    const byConnector = Map.groupBy(jobs, (entry) => entry.connectorId as string);
    assert.equal(byConnector.size, 2);
    for (const [connector, subset] of byConnector) assert.ok(peak(subset) <= 2, `connector ${connector} ran ${peak(subset)} at once`);
    assert.ok(peak(jobs) > 2, `the two connectors' jobs ran side by side (peak ${peak(jobs)})`);
  });

  it("runs a scheduled catch-up as a job, at most one waiting per project", async () => {
    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-2", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Found by the schedule" } } });
    const before = new Set((await admin("GET", "/jobs?kind=catch-up&project=JQ&limit=1000")).body.map((entry: { id: string }) => entry.id));
    // Every second (croner's six-field form), then back to daily.
    assert.equal((await admin("PUT", "/projects/JQ/catch-up-schedule", { cron: "* * * * * *", timeZone: "UTC" })).status, 200);
    try {
      const scheduled = await waitFor("a scheduled catch-up that ran", async () => {
        const jobs = (await admin("GET", "/jobs?kind=catch-up&project=JQ&limit=1000")).body as { id: string; state: string; payload: { userId?: string } }[];
        return jobs.find((entry) => !before.has(entry.id) && entry.state === "done");
      }, { timeoutMs: 90_000 });
      assert.equal(scheduled.payload.userId, undefined, "the schedule runs as Tandem itself");
    } finally {
      await admin("PUT", "/projects/JQ/catch-up-schedule", { cron: "0 2 * * *", timeZone: "UTC" });
    }
    const items = (await admin("GET", "/projects/JQ/items")).body as { values: { title: string }; link: { jiraKey: string } }[];
    assert.equal(items.find((item) => item.link.jiraKey === "BOARD-2")!.values.title, "Found by the schedule");
    // The singleton key collapses a burst: enqueueing while one waits returns the waiting job.
    const project = (await admin("GET", "/projects/JQ")).body;
    const queue = t().tandem.jobs;
    const later = Date.now() + 3_600_000;
    const first = await queue.enqueue("catch-up", { projectId: project.id }, { projectId: project.id, singletonKey: `catch-up/${project.id}`, runAt: later });
    const second = await queue.enqueue("catch-up", { projectId: project.id }, { projectId: project.id, singletonKey: `catch-up/${project.id}`, runAt: later });
    assert.equal(second.id, first.id);
  });

  it("refuses bad input with a clear 4xx", async () => {
    const unknown = await admin("GET", "/jobs/no-such-job");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /Job 'no-such-job' does not exist/);
    assert.equal((await admin("POST", "/jobs/no-such-job/retry")).status, 404);
    const done = (await admin("GET", "/jobs?state=done&limit=1")).body[0];
    const notFailed = await admin("POST", `/jobs/${done.id}/retry`);
    assert.equal(notFailed.status, 409);
    assert.match(notFailed.body.error.message, /is done, not failed: only failed jobs can be retried/);
    const badState = await admin("GET", "/jobs?state=stuck");
    assert.equal(badState.status, 400);
    assert.match(badState.body.error.message, /state must be one of pending, running, done, failed/);
    const badProject = await admin("GET", "/jobs?project=NOPE");
    assert.equal(badProject.status, 400);
    assert.match(badProject.body.error.message, /No project 'NOPE'/);
    const badBackground = await admin("POST", "/projects/JQ/pull", { background: "yes" });
    assert.equal(badBackground.status, 400);
    assert.equal((await api(t(), "GET", "/jobs", { token: null })).status, 401);
    assert.equal((await api(t(), "POST", "/projects/JQ/pull", { token: t().tokens.guest, body: { background: true } })).status, 403, "guests start nothing");
  });
});
