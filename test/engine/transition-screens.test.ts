// Pushing a status whose transition has a screen: the screen's fields are filled from the mappings; without a
// mapping for a required screen field the status is not pushed, the reason is given, and the rest still syncs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

const STATUS = { tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status", byStatus: { Blocked: "On Hold" }, toJira: { "On Hold": "Blocked" } } };
const COMMENTS = { tandemField: "statusComments", jiraField: "Status Comments", direction: "both", transform: { kind: "richText" } };
const TITLE = { tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } };

describe("transition screens", () => {
  const inProgress = () => [...jira().state.issues.values()].filter((issue) => issue.key.startsWith("SCHED-") && jira().state.statuses.get(issue.statusId)!.name === "In Progress");

  async function project(key: string, mappings: unknown[], issueKey: string) {
    await api(t(), "POST", "/projects", { body: { key, name: key, fields: [{ key: "statusComments", name: "Status comments", type: "markdown" }] } });
    await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector: "screens", jiraProjects: ["SCHED"], direction: "two-way", conflictPolicy: "jira-wins" } });
    const saved = await api(t(), "PUT", `/projects/${key}/mappings`, { body: { mappings } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const item = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: "x" } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: issueKey } });
    await api(t(), "POST", `/projects/${key}/sync`, { body: {} });
    return item.body.key as string;
  }

  it("fills a required screen field from its mapping", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "screens", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } } });
    const [first, second] = inProgress();
    assert.ok(first && second, "the demo has two SCHED issues in progress");
    const itemKey = await project("SCR", [STATUS, COMMENTS, TITLE], first.key);
    await api(t(), "PATCH", `/items/${itemKey}`, { body: { values: { status: "On Hold", statusComments: "Waiting on the vendor" } } });
    const result = (await api(t(), "POST", "/projects/SCR/sync", { body: {} })).body;
    assert.equal(result.run.status, "succeeded", JSON.stringify(result.items));
    assert.equal(jira().state.statuses.get(first.statusId)!.name, "Blocked");
    assert.match(JSON.stringify(first.customFields.customfield_10040), /Waiting on the vendor/);
  });

  it("without a mapping for the required field, says so and syncs the rest", async () => {
    const second = inProgress()[0]!;
    const itemKey = await project("SCR2", [STATUS, TITLE], second.key);
    await api(t(), "PATCH", `/items/${itemKey}`, { body: { values: { status: "On Hold", title: "Renamed while blocked" } } });
    const result = (await api(t(), "POST", "/projects/SCR2/sync", { body: {} })).body;
    assert.equal(result.items[0].outcome, "warning");
    assert.match(result.items[0].messages.join(" "), /needs Status Comments, which no mapping fills/);
    assert.equal(jira().state.statuses.get(second.statusId)!.name, "In Progress");
    assert.equal(second.summary, "Renamed while blocked");
  });
});
