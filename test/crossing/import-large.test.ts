// Importing 2,000 issues by JQL with select-all against the large sandbox seed: calls grow with pages (one search
// call per page), re-importing creates no duplicate, and a dry run (API and CLI) says what would happen and writes
// nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { api, useTandem } from "../support/tandem.ts";

const N = 2000;
const PAGE = 100; // Jira's largest page when fields are asked for
const t = useTandem();
const jira = useSandbox({ flavour: "cloud", seed: `large:${N}` });

const SEARCH = "POST /rest/api/3/search/jql";
const stats = async () => (await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body as { requests: Record<string, number>; total: number };
const resetStats = () => call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
const itemCount = async () => Number((await t().tandem.store.db.get<{ count: number }>("SELECT COUNT(*) AS count FROM items"))!.count);
const linkCount = async () => Number((await t().tandem.store.db.get<{ count: number }>("SELECT COUNT(*) AS count FROM links"))!.count);

describe("import of 2,000 issues", { timeout: 300_000 }, () => {
  it("imports every match page by page with one search call per page, and re-imports without duplicates", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "load", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "LOADED", name: "Loaded", fields: [] } });
    const associated = await api(t(), "PUT", "/projects/LOADED/jira", { body: { connector: "load", jiraProjects: ["LOAD"], direction: "pull" } });
    assert.equal(associated.status, 200, JSON.stringify(associated.body));

    await resetStats();
    const imported = await api(t(), "POST", "/projects/LOADED/import", { body: { jql: "issuetype in (Story, Task, Bug)", includeDone: true } });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.created.length, N);
    const first = await stats();
    const pages = Math.ceil(N / PAGE);
    assert.ok(first.requests[SEARCH]! >= pages && first.requests[SEARCH]! <= pages + 2, `search calls: ${first.requests[SEARCH]} for ${pages} pages`);
    // The pull that fills the new items reads them in bulk too: every kind of call grows with pages, not issues.
    for (const [route, count] of Object.entries(first.requests)) assert.ok(count <= pages + 2, `${route} was called ${count} times`);
    assert.equal(await itemCount(), N);
    const keys = new Set(((await api(t(), "GET", "/projects/LOADED/items")).body as { link: { jiraKey: string } }[]).map((item) => item.link.jiraKey));
    assert.equal(keys.size, N, "each issue linked to exactly one item");

    await resetStats();
    const again = await api(t(), "POST", "/projects/LOADED/import", { body: { jql: "issuetype in (Story, Task, Bug)", includeDone: true } });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.created.length, 0, "nothing new");
    assert.equal(again.body.existing.length, N, "every issue found already linked");
    assert.equal(await itemCount(), N, "no duplicate item");
    assert.equal(await linkCount(), N);
    assert.ok((await stats()).requests[SEARCH]! <= pages + 2);
  });

  it("says in a dry run what would be imported, updated and skipped, and stores nothing", async () => {
    // Two more issues appear in Jira, one of them closed.
    const created: string[] = [];
    for (const summary of ["Fresh open issue", "Fresh closed issue"]) {
      const made = await call(jira(), "POST", "/rest/api/3/issue", { body: { fields: { project: { key: "LOAD" }, issuetype: { name: "Task" }, summary } } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      created.push(made.body.key as string);
    }
    // Closed behind the scenes (the workflow is not what this test is about).
    jira().state.issueByIdOrKey(created[1]!)!.statusId = [...jira().state.statuses.values()].find((status) => status.category === "done")!.id;
    const before = { items: await itemCount(), links: await linkCount(), runs: Number((await t().tandem.store.db.get<{ count: number }>("SELECT COUNT(*) AS count FROM runs"))!.count) };

    const keys = ["LOAD-1", "LOAD-2", created[0]!, created[1]!, "LOAD-99999"];
    const plan = await api(t(), "POST", "/projects/LOADED/import", { body: { issues: keys, dryRun: true } });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    assert.deepEqual(plan.body.create.map((row: { key: string }) => row.key), [created[0]]);
    assert.equal(plan.body.create[0].summary, "Fresh open issue");
    assert.deepEqual(plan.body.update.map((row: { key: string }) => row.key).sort(), ["LOAD-1", "LOAD-2"]);
    assert.deepEqual(plan.body.skip.map((row: { key: string }) => row.key).sort(), [created[1], "LOAD-99999"].sort());
    assert.match(plan.body.skip.find((row: { key: string }) => row.key === created[1]).reason, /closed/);

    // The same from the CLI, by --keys.
    const env = cliEnvFor(t());
    const cli = await runTandemCli(["import", "LOADED", "--keys", ...keys, "--include-done", "--dry-run", "--json"], env);
    assert.equal(cli.status, 0, cli.stderr);
    const cliPlan = JSON.parse(cli.stdout);
    assert.deepEqual(cliPlan.create.map((row: { key: string }) => row.key).sort(), [created[0], created[1]].sort(), "--include-done imports the closed one too");
    const text = await runTandemCli(["import", "LOADED", "--keys", ...keys, "--dry-run"], env);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /would import 1 new item\(s\), update 2 linked item\(s\), skip 2/);
    const both = await runTandemCli(["import", "LOADED", "--all", "--keys", "LOAD-1", "--dry-run"], env);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /either --all or --keys/);

    assert.deepEqual({ items: await itemCount(), links: await linkCount(), runs: Number((await t().tandem.store.db.get<{ count: number }>("SELECT COUNT(*) AS count FROM runs"))!.count) }, before, "a dry run writes nothing");
    const guest = await api(t(), "POST", "/projects/LOADED/import", { token: t().tokens.guest, body: { dryRun: true } });
    assert.equal(guest.status, 403);
    const badJql = await api(t(), "POST", "/projects/LOADED/import", { body: { jql: "summary ~~ nope", dryRun: true } });
    assert.equal(badJql.status, 400);
    assert.match(badJql.body.error.message, /Jira refused the JQL/);
  });
});

