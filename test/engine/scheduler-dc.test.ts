// The scheduler preset on Jira Data Center (wiki markup, name/key users, personal access token): Pull fills
// status, duration, low-risk duration and status comments; Push writes criticality, ratios, projected start, last
// sync date and the task URL; a second Push writes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "dc" });

describe("scheduler preset on Data Center", () => {
  it("pulls and pushes every mapped field, then settles", async () => {
    await api(t(), "POST", "/connectors", { body: { name: "dc", flavour: "dc", siteUrl: jira().url, credentials: { authMode: "pat", token: "tandem-sync-pat" } } });
    await api(t(), "POST", "/projects", { body: { key: "DCS", name: "DC schedule", preset: "scheduler" } });
    await api(t(), "PUT", "/projects/DCS/jira", { body: { connector: "dc", jiraProjects: ["SCHED"] } });
    assert.equal((await api(t(), "PUT", "/projects/DCS/mappings", { body: { preset: "scheduler" } })).status, 200);
    const item = await api(t(), "POST", "/projects/DCS/items", { body: { values: { title: "t", lowRiskRatio: 1.5 } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "SCHED-3" } });
    const pulled = await api(t(), "POST", "/projects/DCS/pull", { body: {} });
    assert.equal(pulled.body.run.status, "succeeded", JSON.stringify(pulled.body.items));
    const issue = jira().state.issueByIdOrKey("SCHED-3")!;
    const values = (await api(t(), "GET", `/projects/DCS/items`)).body[0].values;
    const hours = Math.round((issue.remainingEstimate! / 3600) * 100) / 100;
    assert.equal(values.duration, hours);
    assert.equal(values.lowRiskDuration, Math.round(hours * 1.5 * 100) / 100);
    const comments = issue.customFields.customfield_10040 as { kind: string; text: string } | undefined;
    assert.ok(comments, "the demo gives SCHED-3 status comments");
    assert.equal(values.statusComments, comments.text.trim());

    await api(t(), "PATCH", `/items/${item.body.key}`, { body: { values: { criticality: "Medium", criticalityRatio: 1.25, daysUntilCritical: 9, projectedStart: "2027-02-01" } } });
    const pushed = await api(t(), "POST", "/projects/DCS/push", { body: {} });
    assert.equal(pushed.body.run.status, "succeeded", JSON.stringify(pushed.body.items));
    assert.deepEqual(
      ["customfield_10041", "customfield_10042", "customfield_10043", "customfield_10044", "customfield_10045", "customfield_10046"].map((id) => issue.customFields[id]),
      ["Medium", 1.25, 9, "2027-02-01", new Date().toISOString().slice(0, 10), `${t().tandem.url}/items/${item.body.key}`],
    );
    await call(jira(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const again = await api(t(), "POST", "/projects/DCS/push", { body: {} });
    assert.equal(again.body.items[0].outcome, "unchanged");
    const writes = Object.keys((await call(jira(), "GET", "/_sandbox/stats", { auth: "" })).body.requests).filter((route) => /^(PUT|DELETE) |^POST \/rest\/api\/2\/issue($|\/:[^/]+\/(transitions|comment))/.test(route));
    assert.deepEqual(writes, []);
  });
});
