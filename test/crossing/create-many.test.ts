// Creating many Jira issues at once from unlinked items (API and `tandem create ITEM... --project --type --field`),
// with the create form read first (`tandem create-form PROJECT TYPE`): each item is created once and linked, a refusal
// names the item and Jira's reason, a second run creates nothing, and the history has one run for the batch.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("create many in Jira", () => {
  it("reads the form, creates each item once with the required field, and names what Jira refused", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "cm", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "CM", name: "Create many", fields: [] } });
    await api(t(), "PUT", "/projects/CM/jira", { body: { connector: "cm", jiraProjects: ["ROAD"], direction: "two-way" } });
    const keys: string[] = [];
    for (const title of ["Crash on save", "Typo in footer", "Slow search"]) keys.push((await api(t(), "POST", "/projects/CM/items", { body: { values: { title } } })).body.key);

    const form = await runCli(["create-form", "CM", "Bug", "--json"]);
    assert.equal(form.status, 0, form.stderr);
    const risk = JSON.parse(form.stdout).fields.find((field: { name: string }) => field.name === "Risk");
    assert.equal(risk.required, true);
    const text = await runCli(["create-form", "CM", "Bug"]);
    assert.match(text.stdout, /customfield_10051\s+Risk\s+option\s+required\s+Low, Medium, High/);

    const refused = await runCli(["create", keys[0]!, "--project", "ROAD", "--type", "Bug", "--json"]);
    assert.equal(refused.status, 0, "the batch itself ran");
    const failed = JSON.parse(refused.stdout).failed;
    assert.deepEqual(failed.map((row: { item: string }) => row.item), [keys[0]]);
    assert.match(failed[0].reason, /Risk is required/);

    const before = jira().state.issues.size;
    const created = await runCli(["create", ...keys, "--project", "ROAD", "--type", "Bug", "--field", `${risk.fieldId}={"value":"High"}`, "--json"]);
    assert.equal(created.status, 0, created.stderr);
    const result = JSON.parse(created.stdout);
    assert.equal(result.created.length, 3);
    assert.equal(jira().state.issues.size, before + 3);
    for (const row of result.created as { item: string; key: string }[]) {
      const issue = jira().state.issueByIdOrKey(row.key)!;
      assert.equal((issue.properties["tandem.item"] as { key: string }).key, row.item);
      assert.equal(jira().state.issueTypeOf(issue).name, "Bug");
    }
    const run = await api(t(), "GET", `/runs/${result.run.id}`);
    assert.deepEqual(run.body.items.map((entry: { itemKey: string }) => entry.itemKey).sort(), [...keys].sort());

    const again = await api(t(), "POST", "/projects/CM/create-in-jira", { token: t().tokens.member, body: { items: keys, jiraProject: "ROAD", issueType: "Bug" } });
    assert.equal(again.status, 200);
    assert.equal(again.body.created.length, 0);
    assert.ok(again.body.skipped.every((row: { reason: string }) => /already linked/.test(row.reason)));
    assert.equal(jira().state.issues.size, before + 3, "nothing twice");

    const guest = await api(t(), "POST", "/projects/CM/create-in-jira", { token: t().tokens.guest, body: { items: keys, jiraProject: "ROAD", issueType: "Bug" } });
    assert.equal(guest.status, 403);
    const stranger = await api(t(), "POST", "/projects/CM/create-in-jira", { body: { items: ["NOPE-1"], jiraProject: "ROAD", issueType: "Bug" } });
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.error.message, /'NOPE-1' is not an item of CM/);
    const mixed = await runCli(["create", "CM-1", "XY-2", "--project", "ROAD", "--type", "Bug"]);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /all of one Tandem project/);
  });
});

const runCli = (args: string[]) => runTandemCli(args, cliEnvFor(t()));
