// The webhook Tandem registers is filtered by what its projects sync: each project's Jira projects narrowed by its
// JQL scope; the filter follows when a project is connected or its scope changes; a webhook deleted in Jira is
// registered again instead of being reported as refused. A delivery outside every scope never reaches Tandem.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { webhookJql } from "../../src/realtime/registration.ts";
import type { Project } from "../../src/store/projects.ts";
import { basic, call, useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 5000 } });
const project = (jiraProjects: string[], jqlScope = "") => ({ jiraProjects, jqlScope }) as Project;

describe("the webhook's filter", () => {
  it("narrows each project's Jira projects by its scope, sharing one clause for those without", () => {
    assert.equal(webhookJql([]), "");
    assert.equal(webhookJql([project(["ROAD"]), project(["SCHED", "ROAD"])]), "project in (ROAD, SCHED)");
    assert.equal(webhookJql([project(["ROAD"], "labels = team ORDER BY key")]), "project in (ROAD) AND (labels = team)");
    assert.equal(webhookJql([project(["SCHED"]), project(["ROAD"], "labels = team")]), "(project in (SCHED)) OR (project in (ROAD) AND (labels = team))");
  });

  it("registers the scoped filter, follows a newly connected project, and registers again a webhook deleted in Jira", async () => {
    const connector = await api(t(), "POST", "/connectors", { body: { name: "filtered", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "TEAM", name: "Team items", fields: [] } });
    const scoped = await api(t(), "PUT", "/projects/TEAM/jira", { body: { connector: "filtered", jiraProjects: ["BOARD"], jqlScope: "labels = q4", direction: "pull" } });
    assert.equal(scoped.status, 200, JSON.stringify(scoped.body));
    const registered = await api(t(), "POST", `/connectors/${connector.body.id}/webhook`);
    assert.equal(registered.body.registered, true, JSON.stringify(registered.body));
    assert.equal(registered.body.jql, "project in (BOARD) AND (labels = q4)");
    const webhook = () => [...jira().state.webhooks.values()].find((entry) => entry.url === registered.body.url);
    assert.equal(webhook()?.jqlFilter, "project in (BOARD) AND (labels = q4)");

    // Connecting another project updates the registration in place: no second webhook, a wider filter.
    await api(t(), "POST", "/projects", { body: { key: "PLAN", name: "Plan", fields: [] } });
    await api(t(), "PUT", "/projects/PLAN/jira", { body: { connector: "filtered", jiraProjects: ["ROAD"], direction: "pull" } });
    assert.equal(webhook()?.jqlFilter, "(project in (ROAD)) OR (project in (BOARD) AND (labels = q4))");
    assert.equal([...jira().state.webhooks.values()].filter((entry) => entry.url === registered.body.url).length, 1);

    // An edit outside every scope is not sent; one inside is.
    const before = jira().dispatcher.deliveries.length;
    const outside = [...jira().state.issues.values()].find((issue) => jira().state.projects.get(issue.projectId)?.key === "BOARD" && !issue.labels.includes("q4"))!;
    await call(jira(), "PUT", `/rest/api/3/issue/${outside.key}`, { auth: basic("admin@sandbox.test", "sandbox-token"), body: { fields: { summary: "Outside the scope" } } });
    await jira().dispatcher.idle();
    assert.equal(jira().dispatcher.deliveries.length, before, "nothing sent for an issue no project syncs");
    await call(jira(), "PUT", "/rest/api/3/issue/ROAD-1", { auth: basic("admin@sandbox.test", "sandbox-token"), body: { fields: { summary: "Inside the filter" } } });
    await jira().dispatcher.idle();
    assert.equal(jira().dispatcher.deliveries.length, before + 1);

    // A Jira admin deleted the webhook: registering again creates a new one instead of failing.
    const deleted = await call(jira(), "DELETE", `/rest/webhooks/1.0/webhook/${webhook()!.id}`, { auth: basic("admin@sandbox.test", "sandbox-token") });
    assert.ok(deleted.status < 300, JSON.stringify(deleted.body));
    assert.equal(webhook(), undefined);
    const again = await api(t(), "POST", `/connectors/${connector.body.id}/webhook`);
    assert.equal(again.body.registered, true, JSON.stringify(again.body));
    assert.notEqual(again.body.jiraWebhookId, registered.body.jiraWebhookId);
    assert.equal(webhook()?.jqlFilter, "(project in (ROAD)) OR (project in (BOARD) AND (labels = q4))");
  });
});
