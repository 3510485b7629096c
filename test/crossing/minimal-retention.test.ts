// Minimal retention: a project switched to it keeps only issue ids for its links; issue data is fetched when the
// project is opened or refreshed, shown from a cache that expires (configurable), and really deleted when it does;
// guests see what is loaded and change nothing. The cache's clock is moved instead of waiting.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });
const HOUR = 3600 * 1000;

type ItemView = { key: string; values: Record<string, unknown>; link: { jiraIssueId: string; jiraKey: string | null } | null; cache?: { expiresAt: number } | null };
const view = async (token: string) => (await api(t(), "GET", "/projects/MIN/items", { token })).body as ItemView[];
const count = async (sql: string, params: string[] = []) => Number((await t().tandem.store.db.get<{ count: number }>(sql, params))!.count);
const projectId = async () => (await t().tandem.store.projects.byId("MIN"))!.id;

describe("minimal retention", () => {
  after(() => {
    t().tandem.store.issueCache.clock = Date.now;
  });
  const stories = () => [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("ROAD-") && jira().state.issueTypeOf(issue).name === "Story" && jira().state.statuses.get(issue.statusId)!.category !== "done");

  it("strips issue data from a project's items when it switches, keeping only the issue ids", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "min", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "MIN", name: "Minimal", fields: [] } });
    await api(t(), "PUT", "/projects/MIN/jira", { body: { connector: "min", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/MIN/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    const imported = await api(t(), "POST", "/projects/MIN/import", { body: { jql: "issuetype = Story" } });
    assert.equal(imported.body.created.length, stories().length);
    const own = await api(t(), "POST", "/projects/MIN/items", { body: { values: { title: "Tandem's own note" } } });
    assert.ok(await count("SELECT COUNT(*) AS count FROM snapshots"), "full retention copies issue data");

    const cli = await runCli(["retention", "MIN", "--mode", "minimal", "--cache-hours", "2", "--json"]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { key: "MIN", retention: "minimal", cacheHours: 2 });
    const id = await projectId();
    const stored = await t().tandem.store.db.all<{ values_json: string; jira_issue_id: string; jira_key: string }>("SELECT items.values_json, links.jira_issue_id, links.jira_key FROM items JOIN links ON links.item_id = items.id WHERE items.project_id = ?", [id]);
    assert.equal(stored.length, stories().length);
    for (const row of stored) {
      assert.equal(row.values_json, "{}", "no issue data in the item");
      assert.equal(row.jira_key, row.jira_issue_id, "the link holds the id only");
    }
    assert.equal(await count("SELECT COUNT(*) AS count FROM snapshots"), 0);
    assert.equal((await t().tandem.store.projects.item(own.body.key))!.values.title, "Tandem's own note", "unlinked items are Tandem's own data and stay");
  });

  it("shows guests only what is loaded, loads it when a member opens the project, and lets guests change nothing", async () => {
    const beforeOpen = await view(t().tokens.guest);
    const linked = beforeOpen.filter((item) => item.link);
    assert.ok(linked.every((item) => item.cache === null && item.link!.jiraKey === null && item.values.title === undefined), "nothing loaded yet");

    const opened = await view(t().tokens.member);
    const expected = new Map(stories().map((issue) => [issue.id, issue]));
    for (const item of opened.filter((entry) => entry.link)) {
      const issue = expected.get(item.link!.jiraIssueId)!;
      assert.equal(item.link!.jiraKey, issue.key);
      assert.equal(item.values.title, issue.summary);
      assert.ok(item.cache!.expiresAt - Date.now() > 1.9 * HOUR && item.cache!.expiresAt - Date.now() <= 2 * HOUR, "expires after the configured 2 h");
    }
    const guestView = await view(t().tokens.guest);
    assert.deepEqual(guestView.filter((item) => item.link).map((item) => item.values.title).sort(), stories().map((issue) => issue.summary).sort(), "guests see what is loaded");

    const target = guestView.find((item) => item.link)!;
    for (const [method, path, body] of [["POST", "/projects/MIN/refresh", undefined], ["PATCH", `/items/${target.key}`, { values: { title: "x" } }], ["PUT", "/projects/MIN/retention", { mode: "full" }], ["POST", "/projects/MIN/import", { jql: "issuetype = Bug" }]] as const) {
      const refused = await api(t(), method, path, { token: t().tokens.guest, body });
      assert.equal(refused.status, 403, `${method} ${path}`);
    }
    const pulled = await api(t(), "POST", "/projects/MIN/pull", { body: {} });
    assert.match(pulled.body.run.error, /minimal retention/, "no Pull copies issue data back in");
    const caughtUp = await api(t(), "POST", "/projects/MIN/catch-up", { body: {} });
    assert.equal(caughtUp.status, 200, JSON.stringify(caughtUp.body));
    assert.equal(caughtUp.body.run, null, "nor does a catch-up");
  });

  it("deletes the cached data when it expires, and fetches it again on refresh", async () => {
    const id = await projectId();
    const cache = t().tandem.store.issueCache;
    assert.equal(await cache.count(id), stories().length);
    cache.clock = () => Date.now() + 2 * HOUR - 60_000;
    assert.equal((await view(t().tokens.guest)).filter((item) => item.cache).length, stories().length, "still fresh just before 2 h");
    cache.clock = () => Date.now() + 2 * HOUR + 1;
    const expired = await view(t().tokens.guest);
    assert.ok(expired.filter((item) => item.link).every((item) => item.cache === null && item.values.title === undefined), "gone from the view");
    assert.equal(await cache.count(id), 0, "really deleted from the store");
    const summary = stories()[0]!.summary;
    assert.equal(await count("SELECT COUNT(*) AS count FROM items WHERE values_json LIKE ?", [`%${summary}%`]), 0, "and nowhere else");

    const refreshed = await runCli(["refresh", "MIN", "--json"]);
    assert.equal(refreshed.status, 0, refreshed.stderr);
    assert.equal(JSON.parse(refreshed.stdout).fetched, stories().length);
    assert.equal(await cache.count(id), stories().length);
    // The sweep deletes expired data even if nobody opens the project.
    cache.clock = () => Date.now() + 5 * HOUR;
    assert.equal(await cache.purgeExpired(), stories().length);
    assert.equal(await cache.count(id), 0);
    cache.clock = Date.now;
  });

  it("imports into a minimal project as ids, with the data in the cache only", async () => {
    const bugs = [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("ROAD-") && jira().state.issueTypeOf(issue).name === "Bug" && jira().state.statuses.get(issue.statusId)!.category !== "done");
    assert.ok(bugs.length > 0);
    const imported = await api(t(), "POST", "/projects/MIN/import", { token: t().tokens.member, body: { jql: "issuetype = Bug" } });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.created.length, bugs.length);
    for (const key of imported.body.created as string[]) assert.deepEqual((await t().tandem.store.projects.item(key))!.values, {});
    assert.equal(await t().tandem.store.issueCache.count(await projectId()), bugs.length);
    // Opening when Jira cannot be asked (here: the member has no Jira identity of their own) still shows what is loaded.
    await api(t(), "PUT", "/projects/MIN/jira", { body: { connector: "min", jiraProjects: ["ROAD"], direction: "pull", syncIdentity: "user" } });
    const opened = await api(t(), "GET", "/projects/MIN/items", { token: t().tokens.member });
    assert.equal(opened.status, 200);
    assert.match(decodeURIComponent(opened.headers.get("x-tandem-load-error") ?? ""), /own Jira identity/);
    assert.equal((opened.body as ItemView[]).filter((item) => item.cache).length, bugs.length, "what is loaded is shown");
    assert.equal((await t().tandem.store.projects.byId("MIN"))!.retention, "minimal", "re-associating keeps the retention");
    const bad = await api(t(), "PUT", "/projects/MIN/retention", { body: { mode: "minimal", cacheHours: -1 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /cacheHours/);
    const badCli = await runCli(["retention", "MIN", "--mode", "minimal", "--cache-hours", "soon"]);
    assert.equal(badCli.status, 2);
    assert.match(badCli.stderr, /--cache-hours must be a positive number/);
  });
});

const runCli = (args: string[]) => runTandemCli(args, cliEnvFor(t()));
