// The hierarchy mapping sets each imported item's level: by default from Jira's hierarchy (Initiative > Epic > Story
// > Sub-task), configurable per issue type (API and `tandem hierarchy`); a re-import applies a changed mapping and
// otherwise writes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });
const DEFAULT: Record<string, string> = { "2": "initiative", "1": "epic", "0": "story", "-1": "subtask" };

type ItemView = { key: string; version: number; values: Record<string, unknown>; link: { jiraIssueId: string } };

describe("hierarchy levels on import", () => {
  it("sets levels from Jira's hierarchy, then from the project's mapping", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "hl", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "HL", name: "Levels", fields: [] } });
    await api(t(), "PUT", "/projects/HL/jira", { body: { connector: "hl", jiraProjects: ["ROAD"], direction: "pull" } });
    const imported = await api(t(), "POST", "/projects/HL/import", { body: { includeDone: true } });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const state = jira().state;
    const levelOf = (issueId: string) => state.issueTypeOf(state.issues.get(issueId)!).hierarchyLevel;
    let items = (await api(t(), "GET", "/projects/HL/items")).body as ItemView[];
    assert.ok(new Set(items.map((item) => levelOf(item.link.jiraIssueId))).size >= 3, "ROAD has several hierarchy levels");
    for (const item of items) assert.equal(item.values.level, DEFAULT[String(Math.max(-1, Math.min(2, levelOf(item.link.jiraIssueId))))], item.key);

    const cli = await runCli(["hierarchy", "HL", "Epic=theme", "Sub-task=step", "--json"]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout).levels, { Epic: "theme", "Sub-task": "step" });
    await api(t(), "POST", "/projects/HL/import", { body: { includeDone: true } });
    items = (await api(t(), "GET", "/projects/HL/items")).body as ItemView[];
    for (const item of items) {
      const type = state.issueTypeOf(state.issues.get(item.link.jiraIssueId)!).name;
      const expected = type === "Epic" ? "theme" : type === "Sub-task" ? "step" : DEFAULT[String(Math.max(-1, Math.min(2, levelOf(item.link.jiraIssueId))))];
      assert.equal(item.values.level, expected, `${item.key} (${type})`);
    }
    const versions = new Map(items.map((item) => [item.key, item.version]));
    await api(t(), "POST", "/projects/HL/import", { body: { includeDone: true } });
    const after = (await api(t(), "GET", "/projects/HL/items")).body as ItemView[];
    assert.ok(after.every((item) => item.version === versions.get(item.key)), "an unchanged mapping writes nothing on re-import");

    const bad = await api(t(), "PUT", "/projects/HL/hierarchy", { body: { levels: { Epic: "Big Theme!" } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /short lowercase name/);
    assert.equal((await api(t(), "PUT", "/projects/HL/hierarchy", { token: t().tokens.guest, body: { levels: {} } })).status, 403);
  });
});

const runCli = (args: string[]) => runTandemCli(args, cliEnvFor(t()));
