// A webhook delivery whose processing fails (Jira refuses the read of the current state) is not marked done:
// it waits and is tried again by itself, and the change arrives; one that keeps failing is failed with the reason
// after its last attempt and shows in the job view, where a person can retry it.
// One short delay between attempts, set before the server starts: worker processes (TANDEM_TEST_WORKERS) read it
// from the environment they start with.
process.env.TANDEM_INBOX_RETRY_MS = "30";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { INBOX_ATTEMPTS } from "../../src/store/inbox.ts";
import { sandboxLimits } from "../jobs/setup.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10] } });
const admin = (method: string, path: string, body?: unknown) => api(t(), method, path, { body });
const edit = (key: string, summary: string) => call(jira(), "PUT", `/rest/api/3/issue/${key}`, { auth: basic("bob@sandbox.test", "bob-token"), body: { fields: { summary } } });
const titleOf = async (key: string) => ((await admin("GET", "/projects/WR/items")).body as { values: { title: string }; link: { jiraKey: string } }[]).find((item) => item.link.jiraKey === key)!.values.title;
const delivery = (key: string) => t().tandem.store.db.get<{ status: string; attempts: number; error: string | null }>("SELECT status, attempts, error FROM inbox WHERE body LIKE ? ORDER BY received_at DESC", [`%"key":"${key}"%`]);

describe("webhook deliveries that fail to apply", () => {
  after(() => {
    delete process.env.TANDEM_INBOX_RETRY_MS;
  });

  it("are tried again by themselves, and the change arrives", async () => {
    await admin("POST", "/connectors", { name: "retry", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } });
    await admin("POST", "/projects", { key: "WR", name: "Webhook retries", fields: [] });
    await admin("PUT", "/projects/WR/jira", { connector: "retry", jiraProjects: ["BOARD"], direction: "pull" });
    await admin("PUT", "/projects/WR/mappings", { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] });
    for (const key of ["BOARD-3", "BOARD-4"]) {
      const item = await admin("POST", "/projects/WR/items", { values: { title: "old" } });
      assert.equal((await admin("PUT", `/items/${item.body.key}/link`, { jiraKey: key })).status, 200);
    }
    const registered = await admin("POST", "/connectors/retry/webhook");
    assert.equal(registered.body.registered, true, JSON.stringify(registered.body));
    // Jira refuses the first read of the current state (a 400 is not retried by the transport).
    await sandboxLimits(jira(), { reset: true, failNext: [{ count: 1, status: 400, path: "/rest/api/3/issue/bulkfetch" }] });
    await edit("BOARD-3", "Arrives on the second attempt");
    await waitFor("the change to arrive", async () => (await titleOf("BOARD-3")) === "Arrives on the second attempt");
    const record = (await delivery("BOARD-3"))!;
    assert.equal(record.status, "processed");
    assert.equal(record.attempts, 1, "one failed attempt before the one that applied it");
    const runs = (await admin("GET", "/projects/WR/runs")).body as { status: string; identity: string }[];
    assert.ok(runs.some((run) => run.status === "failed"), "the failed attempt is in the history");
  });

  it("fail with the reason after the last attempt, shown in the job view", async () => {
    await sandboxLimits(jira(), { reset: true, failNext: [{ count: INBOX_ATTEMPTS + 5, status: 400, path: "/rest/api/3/issue/bulkfetch" }] });
    await edit("BOARD-4", "Never applied");
    const failed = await waitFor("the delivery to fail", async () => {
      const record = await delivery("BOARD-4");
      return record?.status === "failed" ? record : null;
    });
    assert.equal(failed.attempts, INBOX_ATTEMPTS);
    assert.match(failed.error ?? "", /the webhook sync of WR failed/);
    assert.notEqual(await titleOf("BOARD-4"), "Never applied");
    const jobs = (await admin("GET", "/jobs?state=failed&kind=webhook")).body as { lastError: string }[];
    assert.ok(jobs.some((job) => /the webhook sync of WR failed/.test(job.lastError)), JSON.stringify(jobs));
    await sandboxLimits(jira(), { reset: true });
  });
});
