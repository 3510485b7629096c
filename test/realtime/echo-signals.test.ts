// The echo signals besides the snapshot, with real webhooks from the sandbox: a change made by the connector's own
// service account (nothing else for that issue) and a delivery within the window of Tandem's write that changed only
// what the write set are recorded as ignored, without reading the issue again; anyone else's change is applied.
// The own-identity signal holds for a service account that is Tandem's alone.
process.env.TANDEM_DEDICATED_SERVICE_ACCOUNT = "1";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });

const stats = async () => (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
const reads = (requests: Record<string, number>) => Object.entries(requests).filter(([route]) => /bulkfetch|search|GET \/rest\/api\/3\/issue\//.test(route)).reduce((sum, [, count]) => sum + count, 0);
const settle = async () => {
  for (let round = 0; round < 3; round++) {
    await jira().dispatcher.idle();
    await inboxSettled(t());
  }
};
const deliveries = async (issueId: string) => (await t().tandem.store.db.all<{ status: string; error: string | null }>("SELECT status, error FROM inbox WHERE issue_id = ? ORDER BY received_at", [issueId])).map((row) => ({ status: row.status, error: row.error }));
/** A sync run as a background job; answers the job's summary of the run. */
const syncAsJob = async (project: string) => {
  const started = await api(t(), "POST", `/projects/${project}/sync`, { body: { background: true } });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const job = await waitFor(`the sync job of ${project}`, async () => {
    const current = (await api(t(), "GET", `/jobs/${started.body.job.id}`)).body;
    return current.state === "done" || current.state === "failed" ? current : null;
  });
  assert.equal(job.state, "done", JSON.stringify(job));
  return job.result as { counts: { changed: number } };
};
const title = async (project: string) => (await api(t(), "GET", `/projects/${project}/items`)).body[0].values.title as string;

async function twoWayProject(key: string, jiraKey: string, syncIdentity: "service" | "user") {
  await api(t(), "POST", "/projects", { body: { key, name: key, fields: [] } });
  await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector: "echo", jiraProjects: ["BOARD"], direction: "two-way", conflictPolicy: "newest-wins", syncIdentity } });
  await api(t(), "PUT", `/projects/${key}/mappings`, { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }] } });
  const item = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: "x" } } });
  await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey } });
  await api(t(), "POST", `/projects/${key}/sync`, { body: {} });
  return item.body.key as string;
}

describe("echo signals", () => {
  it("ignores a change made by Tandem's own identity, and applies the same change made by someone else", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "echo", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    assert.equal(connector.status, 201);
    await twoWayProject("OWN", "BOARD-3", "service");
    assert.equal((await api(t(), "POST", "/connectors/echo/webhook")).body.registered, true);
    const issueId = jira().state.issueByIdOrKey("BOARD-3")!.id;

    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    // The service account's credentials used outside Tandem stand for Tandem's own write coming back.
    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-3", { auth: basic("admin@sandbox.test", "sandbox-token"), body: { fields: { summary: "Written as Tandem" } } });
    await settle();
    const [own] = await deliveries(issueId);
    assert.deepEqual(own, { status: "ignored", error: "The echo of Tandem's own write (own identity)." });
    assert.equal(await title("OWN"), "x", "nothing was applied");
    assert.equal(reads(await stats()), 0, "the echo was not even read from Jira");

    await call(jira(), "PUT", "/rest/api/3/issue/BOARD-3", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Written by Bob" } } });
    await settle();
    assert.equal((await deliveries(issueId))[1]!.status, "processed");
    assert.equal(await title("OWN"), "Written by Bob");
  });

  it("ignores a delivery within the window of Tandem's write that changed only what it wrote, but not a different value", async () => {
    // As a person's own identity (Alice), so the identity signal cannot be what recognises the echo.
    assert.equal((await api(t(), "PUT", "/connectors/echo/identity", { body: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } })).status, 200);
    const itemKey = await twoWayProject("WIN", "BOARD-4", "user");
    await settle();
    const issueId = jira().state.issueByIdOrKey("BOARD-4")!.id;
    const before = (await deliveries(issueId)).length;
    // Write windows are kept by the process that writes (src/realtime/echo.ts). With worker processes, a foreground
    // sync writes from the API process, which processes no delivery: the push runs as a job in the one worker left
    // running, which then processes its echo.
    const workers = t().workers;
    if (workers) {
      await workers.stop();
      await workers.start(1);
    }
    try {
      await api(t(), "PATCH", `/items/${itemKey}`, { body: { values: { title: "Pushed as Alice" } } });
      await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
      const pushed = workers ? await syncAsJob("WIN") : (await api(t(), "POST", "/projects/WIN/sync", { body: {} })).body.run;
      assert.equal(pushed.counts.changed, 1);
      await settle();
      const echo = (await deliveries(issueId))[before]!;
      assert.deepEqual(echo, { status: "ignored", error: "The echo of Tandem's own write (write window)." });
      assert.equal(reads(await stats()), 1, "only the sync's own read: the echo was not read again");

      // Bob changes the same field moments later, inside the window: a different value is no echo.
      await call(jira(), "PUT", "/rest/api/3/issue/BOARD-4", { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary: "Bob, right after" } } });
      await settle();
      assert.equal((await deliveries(issueId))[before + 1]!.status, "processed");
      assert.equal(await title("WIN"), "Bob, right after");
    } finally {
      if (workers) {
        await workers.stop();
        await workers.start();
      }
    }
  });
});
