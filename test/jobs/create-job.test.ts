// Creating many Jira issues can run as a durable job ("create"): the batch is done by a worker, each item linked to
// its new issue, and running the same job again (a retry after a crash or a timeout) creates no second issue.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CreatePayload } from "../../src/jobs/handlers.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";

const t = useTandem({ jobs: { pollMs: 50 } });
const jira = useSandbox({ flavour: "cloud" });
const admin = (method: string, path: string, body?: unknown) => api(t(), method, path, { body });
const finished = (id: string) => waitFor(`job ${id}`, async () => {
  const job = (await admin("GET", `/jobs/${id}`)).body;
  return job.state === "done" || job.state === "failed" ? job : null;
});

describe("create in Jira as a job", () => {
  it("creates and links each item once, and a second run of the same job creates nothing more", async () => {
    await admin("POST", "/connectors", { name: "cj", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } });
    await admin("POST", "/projects", { key: "CJB", name: "Create jobs", fields: [] });
    await admin("PUT", "/projects/CJB/jira", { connector: "cj", jiraProjects: ["SCHED"], direction: "two-way" });
    const keys: string[] = [];
    for (const title of ["First note", "Second note", "Third note"]) keys.push((await admin("POST", "/projects/CJB/items", { values: { title } })).body.key);
    const before = jira().state.issues.size;

    const queued = await admin("POST", "/projects/CJB/create-in-jira", { items: keys, jiraProject: "SCHED", issueType: "Task", background: true });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    const done = await finished(queued.body.job.id);
    assert.equal(done.state, "done", JSON.stringify(done));
    assert.equal(done.kind, "create");
    assert.equal(done.result.created.length, 3, JSON.stringify(done.result));
    assert.equal(jira().state.issues.size, before + 3);
    const items = (await admin("GET", "/projects/CJB/items")).body as { key: string; values: { title: string }; link: { jiraKey: string } | null }[];
    for (const item of items) assert.equal(jira().state.issueByIdOrKey(item.link!.jiraKey)!.summary, item.values.title);

    // The same job again, as a retry would run it: every item is linked already, nothing is created.
    const project = (await t().tandem.store.projects.byId("CJB"))!;
    const again = await t().tandem.jobs.enqueue<CreatePayload>("create", { projectId: project.id, userId: (await t().tandem.store.users.byEmail("admin@tandem.test"))!.id, items: items.map((item) => item.key), jiraProject: "SCHED", issueType: "Task" }, { connectorId: project.connectorId, projectId: project.id });
    const second = await finished(again.id);
    assert.equal(second.state, "done", JSON.stringify(second));
    assert.equal(second.result.created.length, 0);
    assert.equal(second.result.skipped.length, 3);
    assert.equal(jira().state.issues.size, before + 3, "no second issue");
  });
});
