// Two-way sync on both flavours through the API against the sandbox: every both-ways transform (text, rich text,
// person, value map, duration, date, status through the workflow), edits on either side, and a held conflict.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adfToMarkdown } from "../../src/jira/rich-text.ts";
import { toWiki } from "../../src/sandbox/content/index.ts";
import { useSandbox, basic, call } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import type { RunningSandbox } from "../../src/sandbox/server.ts";

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

const MAPPINGS = [
  { tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } },
  { tandemField: "description", jiraField: "description", direction: "both", transform: { kind: "richText" } },
  { tandemField: "assignee", jiraField: "assignee", direction: "both", transform: { kind: "person" } },
  { tandemField: "importance", jiraField: "priority", direction: "both", transform: { kind: "valueMap", map: { Highest: "critical", High: "important", Medium: "normal", Low: "minor", Lowest: "trivial" } } },
  { tandemField: "duration", jiraField: "timetracking", direction: "both", transform: { kind: "duration", unit: "days", estimate: "remaining" } },
  { tandemField: "due", jiraField: "duedate", direction: "both", transform: { kind: "date" } },
  { tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status" } },
];

for (const flavour of ["cloud", "dc"] as const) {
  describe(`two-way sync on ${flavour}`, () => {
    const jira = (): RunningSandbox => (flavour === "cloud" ? cloud() : dc());
    const key = `TW${flavour.toUpperCase()}`;
    const connector = `two-way ${flavour}`;
    const issueKey = "SCHED-6";
    const issue = () => jira().state.issueByIdOrKey(issueKey)!;
    let itemKey = "";
    const sync = async () => {
      const result = await api(t(), "POST", `/projects/${key}/sync`, { body: {} });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      return result.body as { run: { status: string; error: string | null }; items: { outcome: string; changes: { field: string; side: string }[]; messages: string[] }[] };
    };
    const item = async () => (await api(t(), "GET", `/projects/${key}/items`)).body[0] as { key: string; values: Record<string, unknown> };

    it("links an item and takes Jira's values on the first sync (jira-wins)", async () => {
      const credentials = flavour === "cloud" ? { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } : { authMode: "password", username: "alice", password: "alice-password" };
      assert.equal((await api(t(), "POST", "/connectors", { body: { name: connector, flavour, siteUrl: jira().url, credentials } })).status, 201);
      await api(t(), "POST", "/projects", { body: { key, name: `Two-way ${flavour}`, fields: [{ key: "importance", name: "Importance", type: "select" }, { key: "duration", name: "Duration (days)", type: "duration" }, { key: "due", name: "Due", type: "date" }] } });
      await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector, jiraProjects: ["SCHED"], direction: "two-way", conflictPolicy: "jira-wins" } });
      const saved = await api(t(), "PUT", `/projects/${key}/mappings`, { body: { mappings: MAPPINGS } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const created = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: "placeholder" } } });
      itemKey = created.body.key;
      await api(t(), "PUT", `/items/${itemKey}/link`, { body: { jiraKey: issueKey } });
      const first = await sync();
      assert.equal(first.run.status, "succeeded", JSON.stringify(first.items));
      const values = (await item()).values;
      assert.equal(values.title, issue().summary);
      const priority = jira().state.priorities.get(issue().priorityId!)!.name;
      assert.equal(values.importance, { Highest: "critical", High: "important", Medium: "normal", Low: "minor", Lowest: "trivial" }[priority]);
      assert.equal(values.duration, issue().remainingEstimate === null ? null : Math.round((issue().remainingEstimate! / 3600 / 8) * 100) / 100);
      assert.equal(values.assignee, issue().assigneeId ? jira().state.userByAccountId(issue().assigneeId!)!.email : null);
      const category = jira().state.statuses.get(issue().statusId)!.category;
      assert.equal(values.status, { new: "Not Started", indeterminate: "Started", done: "Completed" }[category]);
      const again = await sync();
      assert.ok(again.items.every((entry) => entry.outcome === "unchanged"), JSON.stringify(again.items));
    });

    it("sends Tandem's edits of every field to Jira, walking the workflow for the status", async () => {
      const edit = await api(t(), "PATCH", `/items/${itemKey}`, { body: { values: { title: "Renamed in Tandem", description: "Now with **bold** text", assignee: "dave@sandbox.test", importance: "critical", duration: 1.5, due: "2026-12-24", status: "Completed" } } });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      const result = await sync();
      assert.equal(result.run.status, "succeeded", JSON.stringify(result.items));
      const source = issue();
      assert.equal(source.summary, "Renamed in Tandem");
      const description = source.description!;
      const markdown = description.kind === "adf" ? adfToMarkdown(description.doc) : toWiki(description);
      assert.match(markdown, flavour === "cloud" ? /\*\*bold\*\*/ : /\*bold\*/);
      assert.equal(jira().state.userByAccountId(source.assigneeId!)!.email, "dave@sandbox.test");
      assert.equal(jira().state.priorities.get(source.priorityId!)!.name, "Highest");
      assert.equal(source.remainingEstimate, 1.5 * 8 * 3600);
      assert.equal(source.dueDate, "2026-12-24");
      assert.equal(jira().state.statuses.get(source.statusId)!.category, "done");
      const settled = await sync();
      assert.ok(settled.items.every((entry) => entry.outcome === "unchanged"), `nothing echoes back: ${JSON.stringify(settled.items)}`);
    });

    it("brings Jira's edits to Tandem", async () => {
      const auth = flavour === "cloud" ? basic("bob@sandbox.test", "bob-token") : basic("bob", "bob-password");
      const edited = await call(jira(), "PUT", `/rest/api/${flavour === "cloud" ? 3 : 2}/issue/${issueKey}`, { auth, body: { fields: { summary: "Renamed in Jira", duedate: "2027-01-15" } } });
      assert.equal(edited.status, 204, JSON.stringify(edited.body));
      const result = await sync();
      assert.deepEqual(result.items[0]!.changes.map((change) => [change.field, change.side]).sort(), [["due", "tandem"], ["title", "tandem"]]);
      const values = (await item()).values;
      assert.equal(values.title, "Renamed in Jira");
      assert.equal(values.due, "2027-01-15");
    });

    it("holds a conflict for a person, who resolves it", async () => {
      await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector, jiraProjects: ["SCHED"], direction: "two-way", conflictPolicy: "hold" } });
      await api(t(), "PATCH", `/items/${itemKey}`, { body: { values: { title: "Tandem's title" } } });
      const auth = flavour === "cloud" ? basic("bob@sandbox.test", "bob-token") : basic("bob", "bob-password");
      await call(jira(), "PUT", `/rest/api/${flavour === "cloud" ? 3 : 2}/issue/${issueKey}`, { auth, body: { fields: { summary: "Jira's title" } } });
      const result = await sync();
      assert.equal(result.items[0]!.outcome, "conflict");
      assert.equal(issue().summary, "Jira's title", "no silent overwrite");
      assert.equal((await item()).values.title, "Tandem's title");
      const conflicts = (await api(t(), "GET", `/projects/${key}/conflicts`)).body;
      assert.equal(conflicts.length, 1);
      assert.deepEqual([conflicts[0].tandem, conflicts[0].jira], ["Tandem's title", "Jira's title"]);
      assert.equal((await api(t(), "POST", `/conflicts/${conflicts[0].id}/resolve`, { body: { keep: "tandem" } })).status, 200);
      await sync();
      assert.equal(issue().summary, "Tandem's title");
      assert.equal((await api(t(), "GET", `/projects/${key}/conflicts`)).body.length, 0);
    });
  });
}
