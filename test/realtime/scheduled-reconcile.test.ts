// The schedule's catch-up also reconciles links, because a deletion never shows in an `updated >=` search and an
// event can be lost: a silently deleted issue is severed by the next scheduled catch-up, a reconciliation that finds
// every issue records nothing, and (checked by hand) a Jira project the connector's own account can no longer see is lost access —
// its links are kept and the run says so — never a reason to sever them all.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scheduledCatchUp, type CatchUpPayload } from "../../src/jobs/handlers.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";

const t = useTandem({ jobs: { pollMs: 50 } });
const jira = useSandbox({ flavour: "cloud" });

/** Runs the schedule's catch-up job (as Tandem itself, no person) and answers what it did. */
async function scheduledRun(projectKey: string) {
  const project = (await t().tandem.store.projects.byId(projectKey))!;
  const job = await t().tandem.jobs.enqueue<CatchUpPayload>("catch-up", { projectId: project.id }, scheduledCatchUp(project));
  const done = await waitFor(`the scheduled catch-up of ${projectKey}`, async () => {
    const current = await t().tandem.jobs.get(job.id);
    return current && (current.state === "done" || current.state === "failed") ? current : null;
  });
  assert.equal(done.state, "done", JSON.stringify(done));
  return done.result as { reconciliation: { runId: string; counts: Record<string, number> } | null };
}

describe("reconciliation on the schedule", () => {
  it("severs a link whose issue was deleted without an event, and records nothing when every issue is there", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "sched", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "SR", name: "Scheduled reconcile", fields: [] } });
    await api(t(), "PUT", "/projects/SR/jira", { body: { connector: "sched", jiraProjects: ["ROAD", "OPS"], direction: "pull" } });
    await api(t(), "PUT", "/projects/SR/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    const opsKeys = [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("OPS-")).slice(0, 2).map((issue) => issue.key);
    for (const key of ["ROAD-6", "ROAD-7", ...opsKeys]) {
      const item = await api(t(), "POST", "/projects/SR/items", { body: { values: { title: key } } });
      assert.equal((await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: key } })).status, 200);
    }
    // The first catch-up sets the cursor (and records what it applied); the schedule's next one finds nothing new.
    assert.equal((await api(t(), "POST", "/projects/SR/catch-up")).status, 200);
    const runsBefore = (await api(t(), "GET", "/projects/SR/runs")).body.length;
    const quiet = await scheduledRun("SR");
    assert.equal(quiet.reconciliation, null, "every issue is there: no reconciliation run");
    assert.equal((await api(t(), "GET", "/projects/SR/runs")).body.length, runsBefore, "and nothing recorded");

    jira().state.issues.delete(jira().state.issueByIdOrKey("ROAD-7")!.id);
    const found = await scheduledRun("SR");
    assert.equal(found.reconciliation?.counts.changed, 1, JSON.stringify(found));
    const items = (await api(t(), "GET", "/projects/SR/items")).body as { values: Record<string, unknown>; link: { jiraKey: string } | null }[];
    assert.equal(items.find((item) => item.values.jiraDeleted === "ROAD-7")?.link, null, "severed, the item kept and marked");
    assert.ok(items.find((item) => item.link?.jiraKey === "ROAD-6"), "the other ROAD link stays");
  });

  it("keeps every link of a Jira project the connector's account can no longer see, saying it is lost access", async () => {
    const admin = [...jira().state.users.values()].find((user) => user.email === "admin@sandbox.test")!;
    const ops = [...jira().state.projects.values()].find((project) => project.key === "OPS")!;
    const kept = ops.permissions[admin.accountId];
    delete ops.permissions[admin.accountId];
    try {
      // (A catch-up would now fail as a whole: Jira refuses a search naming a project the account cannot see.)
      const lost = (await api(t(), "POST", "/projects/SR/reconcile")).body;
      assert.equal(lost.run.counts.changed, 0, JSON.stringify(lost));
      assert.equal(lost.run.counts.warning, 2);
      const lines = lost.items as { messages: string[] }[];
      assert.match(lines[0]!.messages[0]!, /cannot see Jira project OPS at all, so this is lost access, not a deletion/);
      const items = (await api(t(), "GET", "/projects/SR/items")).body as { link: { jiraKey: string } | null }[];
      assert.equal(items.filter((item) => item.link?.jiraKey.startsWith("OPS-")).length, 2, "both OPS links kept");
    } finally {
      ops.permissions[admin.accountId] = kept!;
    }
  });
});
