// The remaining transforms on both flavours through the API and the sandbox: select and multi-select options,
// labels, date-times across time zones, and people matched by a manual override where no email matches.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

const MAPPINGS = [
  { tandemField: "area", jiraField: "Product Area", direction: "both", transform: { kind: "options", multiple: false } },
  { tandemField: "platforms", jiraField: "Affected Platforms", direction: "both", transform: { kind: "options", multiple: true } },
  { tandemField: "tags", jiraField: "labels", direction: "both", transform: { kind: "labels" } },
  { tandemField: "goLive", jiraField: "Go-live", direction: "both", transform: { kind: "datetime" } },
  { tandemField: "reviewer", jiraField: "Reviewer", direction: "both", transform: { kind: "person" } },
];

for (const flavour of ["cloud", "dc"] as const) {
  describe(`more transforms on ${flavour}`, () => {
    const jira = (): RunningSandbox => (flavour === "cloud" ? cloud() : dc());
    const key = `MT${flavour.toUpperCase()}`;
    const issueKey = "ROAD-5";
    const issue = () => jira().state.issueByIdOrKey(issueKey)!;
    const cf = (name: string) => [...jira().state.customFields.values()].find((field) => field.name === name)!;
    const optionId = (field: string, value: string) => cf(field).options.find((option) => option.value === value)!.id;
    const sync = async () => (await api(t(), "POST", `/projects/${key}/sync`, { body: {} })).body;
    const item = async () => (await api(t(), "GET", `/projects/${key}/items`)).body[0] as { key: string; values: Record<string, unknown> };

    it("syncs options, labels, date-times and people both ways", async () => {
      const credentials = flavour === "cloud" ? { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } : { authMode: "pat", token: "alice-pat" };
      await api(t(), "POST", "/connectors", { body: { name: `mt ${flavour}`, flavour, siteUrl: jira().url, credentials } });
      await api(t(), "POST", "/projects", { body: { key, name: key, fields: [{ key: "area", name: "Area", type: "select" }, { key: "platforms", name: "Platforms", type: "multiselect" }, { key: "tags", name: "Tags", type: "multiselect" }, { key: "goLive", name: "Go-live", type: "datetime" }, { key: "reviewer", name: "Reviewer", type: "person" }] } });
      await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector: `mt ${flavour}`, jiraProjects: ["ROAD"], direction: "two-way", conflictPolicy: "jira-wins" } });
      const saved = await api(t(), "PUT", `/projects/${key}/mappings`, { body: { mappings: MAPPINGS } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const created = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: "x" } } });
      await api(t(), "PUT", `/items/${created.body.key}/link`, { body: { jiraKey: issueKey } });
      const first = await sync();
      assert.notEqual(first.run.status, "failed", JSON.stringify(first));
      const values = (await item()).values;
      const area = issue().customFields[cf("Product Area").id];
      assert.equal(values.area ?? null, area ? cf("Product Area").options.find((option) => option.id === area)!.value : null);
      assert.deepEqual(values.tags, [...issue().labels].sort());

      const edit = await api(t(), "PATCH", `/items/${created.body.key}`, { body: { values: { area: "Mobile", platforms: ["iOS", "Android"], tags: ["beta", "mobile"], goLive: "2026-12-01T15:30:00.000Z", reviewer: "carol@sandbox.test" } } });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      const pushed = await sync();
      assert.equal(pushed.run.status, "succeeded", JSON.stringify(pushed.items));
      const fields = issue().customFields;
      assert.equal(fields[cf("Product Area").id], optionId("Product Area", "Mobile"));
      assert.deepEqual([...(fields[cf("Affected Platforms").id] as string[])].sort(), [optionId("Affected Platforms", "Android"), optionId("Affected Platforms", "iOS")].sort());
      assert.deepEqual([...issue().labels].sort(), ["beta", "mobile"]);
      assert.equal(fields[cf("Go-live").id], Date.parse("2026-12-01T15:30:00.000Z"));
      assert.equal(jira().state.userByAccountId(fields[cf("Reviewer").id] as string)!.email, "carol@sandbox.test");
      const settled = await sync();
      assert.ok(settled.items.every((entry: { outcome: string }) => entry.outcome === "unchanged"), JSON.stringify(settled.items));
    });

    it("matches a Jira user to a Tandem person by manual override", async () => {
      const dave = [...jira().state.users.values()].find((user) => user.name === "dave")!;
      const connector = (await api(t(), "GET", `/connectors/${encodeURIComponent(`mt ${flavour}`)}`)).body;
      await api(t(), "PUT", `/connectors/${connector.id}/people`, { body: { jiraUser: flavour === "cloud" ? dave.accountId : dave.name, email: "d.okafor@tandem.example" } });
      const auth = flavour === "cloud" ? basic("bob@sandbox.test", "bob-token") : basic("bob", "bob-password");
      const reviewer = flavour === "cloud" ? { accountId: dave.accountId } : { name: dave.name };
      const edited = await call(jira(), "PUT", `/rest/api/${flavour === "cloud" ? 3 : 2}/issue/${issueKey}`, { auth, body: { fields: { [cf("Reviewer").id]: reviewer } } });
      assert.equal(edited.status, 204, JSON.stringify(edited.body));
      await sync();
      assert.equal((await item()).values.reviewer, "d.okafor@tandem.example");
      // And back: the override names the Jira user for that person.
      await api(t(), "PATCH", `/items/${(await item()).key}`, { body: { values: { reviewer: "carol@sandbox.test" } } });
      await sync();
      await api(t(), "PATCH", `/items/${(await item()).key}`, { body: { values: { reviewer: "d.okafor@tandem.example" } } });
      const back = await sync();
      assert.equal(back.run.status, "succeeded", JSON.stringify(back.items));
      assert.equal(issue().customFields[cf("Reviewer").id], dave.accountId);
    });
  });
}
