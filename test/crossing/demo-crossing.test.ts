// The demo shows the way across the boundary from the start: its project's tasks were imported from Jira (and their
// fields pulled), and one plain item was created in Jira as a new issue; both are in the project's history.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { serve, type RunningTandem } from "../../src/server/server.ts";

describe("the demo's import and create", { timeout: 120_000 }, () => {
  let tandem: RunningTandem;
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-demo-"));
  before(async () => {
    tandem = await serve({ port: 0, dataDir, demo: true, sandboxPort: 0, env: { TANDEM_ADMIN_EMAIL: "admin@tandem.test", TANDEM_ADMIN_PASSWORD: "admin-password-123" } });
  });
  after(async () => {
    await tandem.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("imported the SCHED tasks and pulled their fields, as a run in the history", async () => {
    const sandbox = tandem.demo!.sandbox.state;
    const project = (await tandem.store.projects.byId("REL"))!;
    const items = await tandem.store.projects.items(project.id);
    const tasks = [...sandbox.issues.values()].filter((issue) => issue.key.startsWith("SCHED-") && sandbox.issueTypeOf(issue).name !== "Epic" && !(issue.properties["tandem.item"]));
    const imported = items.filter((item) => tasks.some((issue) => issue.id === item.link?.jiraIssueId));
    assert.equal(imported.length, tasks.length, "every task imported once");
    const pulls = await tandem.store.runs.list(project.id, { kind: "pull" });
    const importRun = pulls.find((run) => run.userId === "demo")!;
    assert.ok(importRun, "the import's pull is in the history");
    // What started it, then the Jira account it acted as, by the email its Connect & Test reported.
    assert.equal(importRun.identity, "demo setup, as tandem-sync@sandbox.test (service account of 'Sandbox Jira (demo)')");
    assert.equal(importRun.status, "succeeded");
    const runItems = await tandem.store.runs.items(importRun.id);
    assert.equal(runItems.length, tasks.length);
    assert.ok(runItems.some((entry) => entry.outcome === "changed"), "the pull filled mapped fields");
  });

  it("keys its project REL, apart from the Jira project SCHED its items are linked to", async () => {
    const project = (await tandem.store.projects.byId("REL"))!;
    assert.equal(project.name, "Release 3 schedule (demo)");
    assert.deepEqual(project.jiraProjects, ["SCHED"]);
    assert.equal(await tandem.store.projects.byId("SCHED"), undefined, "no Tandem project shares the Jira project's key");
    const items = await tandem.store.projects.items(project.id);
    assert.equal(items.length, 9, "eight tasks imported and one created in Jira");
    for (const item of items) {
      assert.match(item.key, /^REL-\d+$/);
      assert.match(item.link?.jiraKey ?? "", /^SCHED-\d+$/, `${item.key} is linked`);
    }
  });

  it("created one plain item in Jira, linked it, and recorded the creation", async () => {
    const sandbox = tandem.demo!.sandbox.state;
    const project = (await tandem.store.projects.byId("REL"))!;
    const marked = [...sandbox.issues.values()].filter((issue) => issue.properties["tandem.item"]);
    assert.equal(marked.length, 1, "exactly one issue created by the demo");
    const item = (await tandem.store.projects.item((marked[0]!.properties["tandem.item"] as { id: string }).id))!;
    assert.equal(item.projectId, project.id);
    assert.equal(item.link?.jiraKey, marked[0]!.key);
    assert.equal(marked[0]!.summary, item.values.title);
    const history = await tandem.store.runs.forItem(item.id);
    const creation = history.find((entry) => entry.kind === "push")!;
    assert.match(creation.messages[0]!, new RegExp(`Created ${marked[0]!.key} in Jira from ${item.key}`));
  });
});

describe("a data directory from before the demo project was REL", { timeout: 120_000 }, () => {
  it("keeps its demo project SCHED and makes no second one linked to the same issues", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tandem-demo-earlier-"));
    const env = { TANDEM_ADMIN_EMAIL: "admin@tandem.test", TANDEM_ADMIN_PASSWORD: "admin-password-123" };
    try {
      const first = await serve({ port: 0, dataDir, env });
      await first.store.projects.create({ key: "SCHED", name: "Release 3 schedule (demo)", fields: [] });
      await first.close();
      const again = await serve({ port: 0, dataDir, demo: true, sandboxPort: 0, env });
      try {
        assert.ok(await again.store.projects.byId("SCHED"));
        assert.equal(await again.store.projects.byId("REL"), undefined);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
