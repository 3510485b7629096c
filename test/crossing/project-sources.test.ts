// Where projects come from: one per Jira project, one per Epic (its children as items), one per value of a custom
// field — each checked against the sandbox's data counted independently here; re-running never duplicates.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { projectKeyFrom } from "../../src/crossing/project-sources.ts";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("projects from Jira", () => {
  const state = () => jira().state;
  const open = (issue: { statusId: string }) => state().statuses.get(issue.statusId)!.category !== "done";
  let connector = "";

  it("makes one project per Jira project, and reuses it when run again", async () => {
    connector = (await api(t(), "POST", "/connectors", { body: { name: "sources", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } })).body.id;
    const first = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["BOARD"], source: { mode: "jira-project" } } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const expected = [...state().issues.values()].filter((issue) => issue.projectId === "10001" && open(issue)).length;
    const { runId, ...row } = first.body[0];
    assert.deepEqual(row, { key: "BOARD", name: "Planning Board", created: true, itemsCreated: expected, itemsExisting: 0, mappingProblem: null });
    assert.equal(typeof runId, "string", "the import pulled in the same pass");
    const again = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["BOARD"], source: { mode: "jira-project" } } });
    assert.deepEqual(again.body.map(({ runId: _, ...rest }: { runId: string }) => rest), [{ key: "BOARD", name: "Planning Board", created: false, itemsCreated: 0, itemsExisting: expected, mappingProblem: null }]);
  });

  it("maps new projects with a preset and pulls their fields in the same pass, reading each issue once", async () => {
    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const made = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["SCHED"], source: { mode: "jira-project" }, preset: "reporting" } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body[0].mappingProblem, null);
    const project = (await t().tandem.store.projects.byId(made.body[0].key))!;
    assert.ok((await t().tandem.store.projects.mappings(project.id)).some((mapping) => mapping.jiraField === "assignee"), "the reporting preset's mappings");
    const items = await t().tandem.store.projects.items(project.id);
    const assigned = items.find((item) => state().issueByIdOrKey(item.link!.jiraKey)!.assigneeId);
    assert.ok(assigned?.values.assignee, "an assignee pulled from Jira");
    const requests = (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests as Record<string, number>;
    assert.equal(Object.entries(requests).filter(([route]) => /bulkfetch/.test(route)).length, 0, `no second read of the issues: ${JSON.stringify(requests)}`);
  });

  it("does not give a push-only project a preset that only pulls, and says so in its row", async () => {
    const made = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["OPS"], source: { mode: "jira-project" }, direction: "push", preset: "reporting" } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body[0].created, true);
    assert.match(made.body[0].mappingProblem, /reporting preset only pulls, and project OPS only pushes/);
    const project = (await t().tandem.store.projects.byId(made.body[0].key))!;
    assert.deepEqual(await t().tandem.store.projects.mappings(project.id), [], "nothing was mapped");
  });

  it("makes one project per Epic with its children as items", async () => {
    const result = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["ROAD"], source: { mode: "epic" } } });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const epics = [...state().issues.values()].filter((issue) => issue.projectId === "10002" && state().issueTypeOf(issue).name === "Epic");
    assert.equal(result.body.length, epics.length);
    for (const epic of epics) {
      const row = result.body.find((entry: { name: string }) => entry.name === epic.summary);
      assert.ok(row, `a project for ${epic.key}`);
      assert.equal(row.key, projectKeyFrom(`ROAD${epic.key.split("-")[1]}`, "EP"));
      const children = [...state().issues.values()].filter((issue) => issue.parentId === epic.id && open(issue)).length;
      assert.equal(row.itemsCreated, children, `${epic.key} children`);
      // Its scope is the Epic, and it is scheduled like any connected project.
      const made = (await t().tandem.store.projects.byId(row.key))!;
      assert.equal(made.jqlScope, `parent = ${epic.key}`);
      assert.ok(t().tandem.scheduler.nextRun(made.id), `${row.key} has a catch-up scheduled`);
    }
    // A catch-up of an Epic's project searches that Epic's issues only.
    const first = epics[0]!;
    const caught = await api(t(), "POST", `/projects/${projectKeyFrom(`ROAD${first.key.split("-")[1]}`, "EP")}/catch-up`);
    assert.equal(caught.status, 200, JSON.stringify(caught.body));
    assert.equal(caught.body.searchedIssues, [...state().issues.values()].filter((issue) => issue.parentId === first.id).length);
  });

  it("makes one project per value of a custom field", async () => {
    const result = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["ROAD", "OPS"], source: { mode: "field", field: "Product Area" } } });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const field = [...state().customFields.values()].find((candidate) => candidate.name === "Product Area")!;
    const byValue = new Map<string, number>();
    for (const issue of state().issues.values()) {
      if (!["10002", "10003"].includes(issue.projectId) || !open(issue)) continue;
      const optionId = issue.customFields[field.id];
      if (typeof optionId !== "string") continue;
      const value = field.options.find((option) => option.id === optionId)!.value;
      byValue.set(value, (byValue.get(value) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(result.body.map((row: { name: string; itemsCreated: number }) => [row.name, row.itemsCreated])), Object.fromEntries(byValue));
    for (const row of result.body as { key: string; name: string }[]) assert.equal((await t().tandem.store.projects.byId(row.key))!.jqlScope, `cf[${field.numericId}] = "${row.name}"`);
    const unknown = await api(t(), "POST", `/connectors/${connector}/import-projects`, { body: { jiraProjects: ["ROAD"], source: { mode: "field", field: "Colour" } } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /No Jira field 'Colour'/);
  });
});
