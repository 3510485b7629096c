// The stored changelogs follow Jira's events and catch-up: after a report has fetched a project, a transition and
// a handover made in Jira reach the stored history (by webhook, or by catch-up where no webhook reaches) without
// fetching the whole project again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_USERS } from "../../src/sandbox/seed/demo.ts";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 5000 } });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("insights kept current by webhooks and catch-up", () => {
  it("stores a new transition and assignee change from the events", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "ins-rt", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    assert.equal(connector.status, 201, JSON.stringify(connector.body));
    await api(t(), "POST", "/projects", { body: { key: "INSRT", name: "Insights real time" } });
    await api(t(), "PUT", "/projects/INSRT/jira", { body: { connector: connector.body.id, jiraProjects: ["ROAD"], direction: "pull" } });
    assert.equal((await api(t(), "GET", "/projects/INSRT/reports/effort")).status, 200);
    const projectId = (await t().tandem.store.projects.byId("INSRT"))!.id;
    const fetched = (await t().tandem.store.insights.data(projectId))!;
    const target = fetched.issues.find((issue) => issue.status.category === "new" && issue.level === 0)!;
    assert.ok(target, "a story still to do");
    const before = target.changes.length;
    assert.equal((await api(t(), "POST", `/connectors/${connector.body.id}/webhook`)).status, 200);

    const transitions = await call(jira(), "GET", `/rest/api/3/issue/${target.key}/transitions`);
    const start = transitions.body.transitions.find((transition: any) => transition.to.statusCategory.key === "indeterminate") ?? transitions.body.transitions[0];
    assert.equal((await call(jira(), "POST", `/rest/api/3/issue/${target.key}/transitions`, { body: { transition: { id: start.id } } })).status, 204);
    assert.equal((await call(jira(), "PUT", `/rest/api/3/issue/${target.key}/assignee`, { body: { accountId: DEMO_USERS.dave.accountId } })).status, 204);

    const stored = await until("the events to reach the stored history", async () => {
      const data = await t().tandem.store.insights.data(projectId);
      const issue = data?.issues.find((candidate) => candidate.id === target.id);
      return issue && issue.changes.some((change) => change.field === "assignee" && change.to === DEMO_USERS.dave.accountId) ? issue : undefined;
    });
    assert.ok(stored.changes.length >= before + 2, "the transition and the handover are both stored");
    assert.equal(stored.assignee?.id, DEMO_USERS.dave.accountId);
    assert.ok(stored.changes.some((change) => change.field === "status" && change.toString === start.to.name), "the transition is stored");
    const after = (await t().tandem.store.insights.data(projectId))!;
    assert.equal(after.fetchedAt, fetched.fetchedAt, "only the changed issue was fetched again, not the whole project");
  });

  it("stores changes found by catch-up, for a project no webhook reaches", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "ins-cu", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "INSCU", name: "Insights catch-up" } });
    await api(t(), "PUT", "/projects/INSCU/jira", { body: { connector: connector.body.id, jiraProjects: ["ROAD"], direction: "pull" } });
    assert.equal((await api(t(), "GET", "/projects/INSCU/reports/effort")).status, 200);
    assert.equal((await api(t(), "POST", "/projects/INSCU/catch-up")).status, 200, "the first catch-up sets the cursor");
    const projectId = (await t().tandem.store.projects.byId("INSCU"))!.id;
    const fetched = (await t().tandem.store.insights.data(projectId))!;
    const target = fetched.issues.find((issue) => issue.status.category !== "done" && issue.assignee?.id !== DEMO_USERS.bob.accountId && issue.level === 0)!;
    assert.equal((await call(jira(), "PUT", `/rest/api/3/issue/${target.key}/assignee`, { body: { accountId: DEMO_USERS.bob.accountId } })).status, 204);
    const caught = await api(t(), "POST", "/projects/INSCU/catch-up");
    assert.equal(caught.status, 200, JSON.stringify(caught.body));
    const stored = (await t().tandem.store.insights.data(projectId))!.issues.find((issue) => issue.id === target.id)!;
    assert.equal(stored.changes.at(-1)?.to, DEMO_USERS.bob.accountId, "the handover is stored");
    assert.equal((await t().tandem.store.insights.data(projectId))!.fetchedAt, fetched.fetchedAt, "without fetching the whole project again");
  });
});
