// The Jira projects a connector's account may browse and its saved filters, for the import wizard: listed for any signed-in role,
// with clear errors for an unknown connector and for a connector without an identity to ask with.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

describe("a connector's Jira projects and saved filters", () => {
  it("lists the projects the connector's account may browse, to every role", async () => {
    const created = await api(t(), "POST", "/connectors", { body: { name: "browse", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "bob@sandbox.test", apiToken: "bob-token" } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const bob = [...jira().state.users.values()].find((user) => user.name === "bob")!;
    const browsable = [...jira().state.projects.values()].filter((project) => jira().state.hasPermission(bob.accountId, project, "BROWSE_PROJECTS")).map((project) => project.key).sort();
    assert.ok(browsable.length > 0 && browsable.length < jira().state.projects.size, "the demo gives bob some projects, not all");
    for (const token of ["admin", "member", "guest"] as const) {
      const listed = await api(t(), "GET", `/connectors/${created.body.id}/jira-projects`, { token: t().tokens[token] });
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.deepEqual(listed.body.map((project: { key: string }) => project.key), browsable);
      assert.ok(listed.body.every((project: { name: string }) => project.name.length > 0));
    }
    assert.equal((await api(t(), "GET", "/connectors/browse/jira-projects")).status, 200, "by name too");
  });

  it("lists the saved filters with their JQL, on Cloud (filter search) and Data Center (favourites)", async () => {
    const dcConnector = await api(t(), "POST", "/connectors", { body: { name: "browse dc", flavour: "dc", siteUrl: dc().url, credentials: { authMode: "pat", token: "bob-pat" } } });
    assert.equal(dcConnector.status, 201, JSON.stringify(dcConnector.body));
    for (const [name, sandbox] of [["browse", jira()], ["browse dc", dc()]] as const) {
      const listed = await api(t(), "GET", `/connectors/${encodeURIComponent(name)}/filters`, { token: t().tokens.guest });
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const expected = [...sandbox.state.filters.values()].map((filter) => ({ id: String(filter.id), name: filter.name, jql: filter.jql })).sort((a, b) => a.name.localeCompare(b.name));
      assert.ok(expected.length >= 2);
      assert.deepEqual(listed.body, expected);
    }
  });

  it("says which connector is unknown, and refuses without a session", async () => {
    const missing = await api(t(), "GET", "/connectors/nope/jira-projects");
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /nope/);
    const anonymous = await fetch(`${t().tandem.url}/api/v1/connectors/nope/jira-projects`);
    assert.equal(anonymous.status, 401);
  });

  it("asks the caller's own identity when the connector has none, and says how to add one when neither exists", async () => {
    const oauth = await api(t(), "POST", "/connectors", { body: { name: "oauth only", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "oauth", clientId: "client", clientSecret: "secret" } } });
    assert.equal(oauth.status, 201, JSON.stringify(oauth.body));
    const refused = await api(t(), "GET", `/connectors/${oauth.body.id}/jira-projects`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /own Jira identity/);
  });
});
