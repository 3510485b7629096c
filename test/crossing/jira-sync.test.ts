// Project-level sync (the project as an Epic holding all its items, new items following as children, never twice)
// and team-level sync (each team's items to the team's Jira project), through the CLI and the API, against the sandbox.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });
const SYNC = basic("tandem-sync@sandbox.test", "tandem-sync-token");

const issuesMarkedFor = (projectId: string) => [...jira().state.issues.values()].filter((issue) => (issue.properties["tandem.project"] as { id?: string } | undefined)?.id === projectId);

describe("project-level sync", () => {
  it("creates the project's Epic and every item as its child, then new items as they are added, never twice", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "js", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "PL", name: "Launch plan", fields: [] } });
    await api(t(), "PUT", "/projects/PL/jira", { body: { connector: "js", jiraProjects: ["ROAD"], direction: "two-way" } });
    for (const title of ["Brief", "Build", "Ship"]) await api(t(), "POST", "/projects/PL/items", { body: { values: { title } } });
    const before = jira().state.issues.size;

    const cli = await runCli(["epic-sync", "PL", "--jira-project", "ROAD", "--child-type", "Story", "--json"]);
    assert.equal(cli.status, 0, cli.stderr);
    const sent = JSON.parse(cli.stdout);
    const projectId = (await t().tandem.store.projects.byId("PL"))!.id;
    const [epic, ...others] = issuesMarkedFor(projectId);
    assert.equal(others.length, 0, "one Epic");
    assert.equal(epic!.key, sent.epic.key);
    assert.equal(jira().state.issueTypeOf(epic!).name, "Epic");
    assert.equal(epic!.summary, "Launch plan");
    assert.equal(sent.created.length, 3);
    assert.equal(jira().state.issues.size, before + 4);
    const items = (await api(t(), "GET", "/projects/PL/items")).body as { key: string; values: { title: string }; link: { jiraKey: string } }[];
    for (const item of items) {
      const issue = jira().state.issueByIdOrKey(item.link.jiraKey)!;
      assert.equal(issue.parentId, epic!.id, `${item.key} is a child of the Epic`);
      assert.equal(issue.summary, item.values.title);
      assert.equal(jira().state.issueTypeOf(issue).name, "Story");
    }

    const added = await api(t(), "POST", "/projects/PL/items", { token: t().tokens.member, body: { values: { title: "Retrospective" } } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.jira.created.length, 1);
    const child = jira().state.issueByIdOrKey(added.body.link.jiraKey)!;
    assert.equal(child.parentId, epic!.id);
    assert.equal(child.summary, "Retrospective");

    // Rows of a CSV import follow too.
    const rows = await api(t(), "POST", "/projects/PL/items/csv", { token: t().tokens.member, body: { csv: "title\nPress release\nLaunch party\n" } });
    assert.equal(rows.status, 201, JSON.stringify(rows.body));
    assert.equal(rows.body.jira.created.length, 2, JSON.stringify(rows.body));
    for (const row of rows.body.jira.created as { key: string }[]) assert.equal(jira().state.issueByIdOrKey(row.key)!.parentId, epic!.id);

    const again = await runCli(["jira-sync", "PL", "--json"]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).created, [], "nothing is created twice");
    assert.equal(jira().state.issues.size, before + 7);
    assert.equal(issuesMarkedFor(projectId).length, 1);
  });

  it("finds the Epic an interrupted attempt created instead of creating a second", async () => {
    await api(t(), "POST", "/projects", { body: { key: "PL2", name: "Interrupted", fields: [] } });
    await api(t(), "PUT", "/projects/PL2/jira", { body: { connector: "js", jiraProjects: ["ROAD"], direction: "push" } });
    await api(t(), "POST", "/projects/PL2/items", { body: { values: { title: "Only child" } } });
    const project = (await t().tandem.store.projects.byId("PL2"))!;
    // The crash: Tandem noted it was creating the Epic, Jira created it, Tandem never stored its key.
    await t().tandem.store.projects.setJiraSync(project.id, { epic: { jiraProject: "ROAD", epicType: "Epic", childType: "Task", epicIssueId: null, epicKey: null, creatingSince: Date.now() } });
    const made = await call(jira(), "POST", "/rest/api/3/issue", { auth: SYNC, body: { fields: { project: { key: "ROAD" }, issuetype: { name: "Epic" }, summary: "Interrupted" }, properties: [{ key: "tandem.project", value: { id: project.id, key: "PL2" } }] } });
    assert.equal(made.status, 201);
    const run = await api(t(), "POST", "/projects/PL2/jira-sync");
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.epic.key, made.body.key);
    assert.equal(issuesMarkedFor(project.id).length, 1, "no second Epic");
    assert.equal(jira().state.issueByIdOrKey(run.body.created[0].key)!.parentId, made.body.id);
  });

  it("refuses what cannot work, saying why", async () => {
    await api(t(), "POST", "/projects", { body: { key: "RO", name: "Read only", fields: [] } });
    await api(t(), "PUT", "/projects/RO/jira", { body: { connector: "js", jiraProjects: ["ROAD"], direction: "pull" } });
    const pullOnly = await api(t(), "PUT", "/projects/RO/epic-sync", { body: { jiraProject: "ROAD" } });
    assert.equal(pullOnly.status, 409);
    assert.match(pullOnly.body.error.message, /pull-only/);
    const outside = await api(t(), "PUT", "/projects/PL/epic-sync", { body: { jiraProject: "OPS" } });
    assert.equal(outside.status, 400);
    assert.match(outside.body.error.message, /OPS is not one of this project's Jira projects/);
    const badType = await api(t(), "PUT", "/projects/PL/epic-sync", { body: { jiraProject: "ROAD", childType: "Saga" } });
    assert.equal(badType.status, 400);
    assert.match(badType.body.error.message, /No issue type 'Saga' in ROAD/);
    const guest = await api(t(), "POST", "/projects/PL/jira-sync", { token: t().tokens.guest });
    assert.equal(guest.status, 403);
  });
});

describe("team-level sync", () => {
  it("sends each team's items to the team's Jira project, names those it skips, and follows new items", async () => {
    await api(t(), "POST", "/projects", { body: { key: "TL", name: "Teams", fields: [{ key: "team", name: "Team", type: "select" }] } });
    await api(t(), "PUT", "/projects/TL/jira", { body: { connector: "js", jiraProjects: ["ROAD", "OPS"], direction: "push" } });
    const add = async (title: string, team?: string) => (await api(t(), "POST", "/projects/TL/items", { body: { values: { title, ...(team ? { team } : {}) } } })).body.key as string;
    const mobile = await add("Offline mode", "Mobile");
    const ops = await add("Rotate certificates", "Ops");
    const web = await add("Dark theme", "Web");
    const none = await add("Someday");

    const cli = await runCli(["team-sync", "TL", "--field", "team", "--team", "Mobile=ROAD", "--team", "Ops=OPS", "--json"]);
    assert.equal(cli.status, 0, cli.stderr);
    const sent = JSON.parse(cli.stdout);
    const keyOf = (item: string) => sent.created.find((row: { item: string }) => row.item === item)?.key as string;
    assert.match(keyOf(mobile), /^ROAD-/);
    assert.match(keyOf(ops), /^OPS-/);
    assert.equal(jira().state.issueByIdOrKey(keyOf(ops))!.summary, "Rotate certificates");
    assert.deepEqual(sent.skipped.map((row: { item: string; reason: string }) => [row.item, row.reason]).sort(), [[web, "team 'Web' has no Jira project"], [none, "no team"]].sort());

    const later = await api(t(), "POST", "/projects/TL/items", { body: { values: { title: "Patch servers", team: "Ops" } } });
    assert.match(later.body.link.jiraKey, /^OPS-/);
    const text = await runCli(["jira-sync", "TL"]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Created 0 issue\(s\); 2 skipped; 0 failed/);

    const unknown = await api(t(), "PUT", "/projects/TL/team-sync", { body: { field: "squad", teams: { Mobile: "ROAD" } } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /'squad' is not a field of TL/);
    const empty = await api(t(), "PUT", "/projects/TL/team-sync", { body: { field: "team", teams: {} } });
    assert.equal(empty.status, 400);
    const badPair = await runCli(["team-sync", "TL", "--field", "team", "--team", "Mobile"]);
    assert.equal(badPair.status, 2);
    assert.match(badPair.stderr, /'Mobile' is not team=JIRAKEY/);
  });
});

const runCli = (args: string[]) => runTandemCli(args, cliEnvFor(t()));
