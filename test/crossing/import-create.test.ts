// Across the boundary against the sandbox: import by JQL with preview paging, idempotent re-import, hierarchy,
// closed issues left out; create in Jira from an item with the create form, refused values, and no duplicate when
// a retry follows a crash between Jira's answer and Tandem's write.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("import by JQL", () => {
  const state = () => jira().state;
  const matching = (includeDone: boolean) =>
    [...state().issues.values()].filter((issue) => issue.projectId === "10002" && ["Story", "Epic"].includes(state().issueTypeOf(issue).name) && (includeDone || state().statuses.get(issue.statusId)!.category !== "done"));

  it("previews page by page, then imports all matches as linked items with their hierarchy", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "imp", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "IMP", name: "Imported", fields: [] } });
    await api(t(), "PUT", "/projects/IMP/jira", { body: { connector: "imp", jiraProjects: ["ROAD"], direction: "two-way" } });
    await api(t(), "PUT", "/projects/IMP/mappings", { body: { mappings: [{ tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] } });
    const expected = matching(false);
    assert.ok(expected.length > 3, "the demo has enough open stories and epics");
    const first = await api(t(), "POST", "/projects/IMP/import/preview", { body: { jql: "issuetype in (Story, Epic)", pageSize: 3 } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.rows.length, 3);
    assert.equal(first.body.total, expected.length);
    const second = await api(t(), "POST", "/projects/IMP/import/preview", { body: { jql: "issuetype in (Story, Epic)", pageSize: 3, pageToken: first.body.nextPageToken } });
    assert.deepEqual([...first.body.rows, ...second.body.rows].map((row: { key: string }) => row.key).filter((key: string, index: number, all: string[]) => all.indexOf(key) === index).length, Math.min(6, expected.length));

    const imported = await api(t(), "POST", "/projects/IMP/import", { body: { jql: "issuetype in (Story, Epic)" } });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.created.length, expected.length);
    assert.equal(imported.body.run.counts.failed, 0);
    const items = (await api(t(), "GET", "/projects/IMP/items")).body as { id: string; values: Record<string, unknown>; link: { jiraIssueId: string } }[];
    assert.deepEqual(items.map((item) => item.link.jiraIssueId).sort(), expected.map((issue) => issue.id).sort());
    const byIssue = new Map(items.map((item) => [item.link.jiraIssueId, item]));
    for (const issue of expected) {
      const item = byIssue.get(issue.id)!;
      assert.equal(item.values.title, issue.summary);
      const parent = issue.parentId ? byIssue.get(issue.parentId) : undefined;
      assert.equal(item.values.parent ?? null, parent?.id ?? null, `${issue.key} parent`);
    }
    assert.ok(items.some((item) => item.values.parent), "at least one story came with its epic");

    const again = await api(t(), "POST", "/projects/IMP/import", { body: { jql: "issuetype in (Story, Epic)" } });
    assert.equal(again.body.created.length, 0, "re-importing never duplicates");
    assert.equal(again.body.existing.length, expected.length);
    const withDone = await api(t(), "POST", "/projects/IMP/import/preview", { body: { jql: "issuetype in (Story, Epic)", includeDone: true, pageSize: 100 } });
    assert.equal(withDone.body.total, matching(true).length);
  });
});

describe("create in Jira", () => {
  it("describes the create form with required fields, and refuses a missing one without leaving an intent", async () => {
    const form = await api(t(), "GET", "/projects/IMP/create-form?jiraProject=ROAD&issueType=Bug");
    assert.equal(form.status, 200, JSON.stringify(form.body));
    const risk = form.body.fields.find((field: { fieldId: string }) => field.fieldId === "customfield_10051");
    assert.equal(risk.required, true);
    assert.deepEqual(risk.allowedValues.map((value: { name: string }) => value.name), ["Low", "Medium", "High"]);
    const item = await api(t(), "POST", "/projects/IMP/items", { body: { values: { title: "A bug from Tandem", description: "Steps:\n\n1. open\n2. **crash**" } } });
    const refused = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: "ROAD", issueType: "Bug" } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Risk|customfield_10051/);
    assert.equal(await t().tandem.store.projects.creationIntent(item.body.id), undefined);
    const created = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: "ROAD", issueType: "Bug", fields: { customfield_10051: { value: "High" } } } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.reused, false);
    const issue = jira().state.issueByIdOrKey(created.body.key)!;
    assert.equal(issue.summary, "A bug from Tandem");
    assert.deepEqual(issue.properties["tandem.item"], { id: item.body.id, key: item.body.key });
    assert.equal(created.body.item.link.jiraKey, created.body.key);
    const twice = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: "ROAD", issueType: "Bug" } });
    assert.equal(twice.status, 409);
  });

  it("finds the issue an interrupted attempt created, even while search lags, instead of creating a second", async () => {
    await call(jira(), "POST", "/_sandbox/quirks", { auth: "", body: { searchIndexLagMs: 1200 } });
    const item = await api(t(), "POST", "/projects/IMP/items", { body: { values: { title: "Created before a crash" } } });
    // The crash: Tandem recorded its intent and Jira created the issue, but Tandem never stored the link.
    await t().tandem.store.projects.recordCreationIntent(item.body.id, "ROAD");
    const made = await call(jira(), "POST", "/rest/api/3/issue", { auth: basic("tandem-sync@sandbox.test", "tandem-sync-token"), body: { fields: { project: { key: "ROAD" }, issuetype: { name: "Task" }, summary: "Created before a crash" }, properties: [{ key: "tandem.item", value: { id: item.body.id, key: item.body.key } }] } });
    assert.equal(made.status, 201);
    const before = jira().state.issues.size;
    const retried = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: "ROAD", issueType: "Task" } });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.reused, true);
    assert.equal(retried.body.key, made.body.key);
    assert.equal(jira().state.issues.size, before, "no second issue");
    await call(jira(), "POST", "/_sandbox/quirks", { auth: "", body: { searchIndexLagMs: 0 } });
  });
});
