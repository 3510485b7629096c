// Import from a saved Jira filter: the filter (by name or id) gives the JQL, within the project's Jira projects and
// with any JQL given beside it; a filter the identity cannot use is refused, naming the ones it can.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("import from a saved filter", () => {
  it("previews and imports what the filter matches, and refuses a filter that is not there", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "filters", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "FLT", name: "Filtered", fields: [] } });
    await api(t(), "PUT", "/projects/FLT/jira", { body: { connector: "filters", jiraProjects: ["BOARD"], direction: "pull" } });
    const q4 = [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("BOARD-") && issue.labels.includes("q4") && jira().state.statuses.get(issue.statusId)?.category !== "done").map((issue) => issue.key).sort();
    assert.ok(q4.length > 0 && q4.length < [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("BOARD-")).length);

    const preview = await api(t(), "POST", "/projects/FLT/import/preview", { body: { filter: "q4 team work", pageSize: 100 } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.match(preview.body.jql, /labels = q4/);
    assert.deepEqual((preview.body.rows as { key: string }[]).map((row) => row.key).sort(), q4);

    const narrowed = await api(t(), "POST", "/projects/FLT/import/preview", { body: { filter: "10001", jql: `key = ${q4[0]}`, pageSize: 100 } });
    assert.deepEqual((narrowed.body.rows as { key: string }[]).map((row) => row.key), [q4[0]], "the filter and the JQL beside it, both");

    const unknown = await api(t(), "POST", "/projects/FLT/import", { body: { filter: "No such filter" } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /No saved filter 'No such filter'.*Q4 team work \(10001\)/);
    assert.equal((await api(t(), "GET", "/projects/FLT/items")).body.length, 0, "nothing imported");

    const cli = await runTandemCli(["import", "FLT", "--filter", "Q4 team work", "--json"], cliEnvFor(t(), t().tokens.admin));
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual([...JSON.parse(cli.stdout).created].length, q4.length);
    const items = (await api(t(), "GET", "/projects/FLT/items")).body as { link: { jiraKey: string } }[];
    assert.deepEqual(items.map((item) => item.link.jiraKey).sort(), q4);
  });
});
