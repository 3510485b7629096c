// Connectors through Tandem's API against the sandbox Jira over real HTTP: every authentication mode on both
// flavours, OAuth consent, Connect & Test with each failure cause, rotation, roles, bad input, sealed secrets.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { addUser } from "../../src/sandbox/seed/base.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

const SECRETS = ["alice-token", "carol-token", "dave-password", "bob-pat", "sandbox-client-secret", "wrong-token"];

async function addConnector(name: string, flavour: "cloud" | "dc", siteUrl: string, credentials: Record<string, string>) {
  const response = await api(t(), "POST", "/connectors", { body: { name, flavour, siteUrl, credentials } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string; name: string };
}

describe("connectors: authentication modes and Connect & Test", () => {
  it("Cloud API token: passes and reports the account, site, projects and permissions", async () => {
    const connector = await addConnector("cloud-token", "cloud", cloud().url, { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" });
    const report = (await api(t(), "POST", `/connectors/${connector.id}/test`)).body;
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.account.email, "alice@sandbox.test");
    assert.equal(report.site.deploymentType, "Cloud");
    const browsable = [...cloud().state.projects.values()].filter((project) => (project.permissions["5b10ac8d82e05b22cc7d4ef5"] ?? []).includes("BROWSE_PROJECTS")).length;
    assert.equal(report.browsableProjects, browsable);
    assert.equal(report.permissions.EDIT_ISSUES, true);
    const shown = (await api(t(), "GET", `/connectors/${connector.id}`)).body;
    assert.equal(shown.lastTest.ok, true);
  });

  it("Data Center password and personal access token", async () => {
    const password = await addConnector("dc-password", "dc", dc().url, { authMode: "password", username: "dave", password: "dave-password" });
    const pat = await addConnector("dc-pat", "dc", dc().url, { authMode: "pat", token: "bob-pat" });
    const first = (await api(t(), "POST", `/connectors/${password.id}/test`)).body;
    const second = (await api(t(), "POST", `/connectors/${pat.id}/test`)).body;
    assert.equal(first.ok, true, JSON.stringify(first.problems));
    assert.equal(first.account.username, "dave");
    assert.equal(second.ok, true, JSON.stringify(second.problems));
    assert.equal(second.account.username, "bob");
    assert.equal(second.site.deploymentType, "Server");
  });

  it("Cloud OAuth: consent, code exchange through Tandem's callback, then tests through the gateway", async () => {
    const connector = await addConnector("cloud-oauth", "cloud", cloud().url, { authMode: "oauth", clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", oauthBaseUrl: cloud().url });
    const before = (await api(t(), "POST", `/connectors/${connector.id}/test`));
    assert.equal(before.status, 400);
    assert.match(before.body.error.message, /authorize it with Atlassian first/);
    const start = (await api(t(), "POST", `/connectors/${connector.id}/oauth/start`, { body: { purpose: "connector" } })).body;
    const consent = await fetch(`${start.authorizeUrl}&sandbox_user=${encodeURIComponent("tandem-sync@sandbox.test")}`, { redirect: "manual" });
    assert.equal(consent.status, 302);
    const callback = await fetch(consent.headers.get("location")!);
    const done = await callback.json() as { site: string; account: string };
    assert.equal(callback.status, 200, JSON.stringify(done));
    assert.equal(done.site, cloud().url);
    assert.equal(done.account, "tandem-sync@sandbox.test");
    const report = (await api(t(), "POST", `/connectors/${connector.id}/test`)).body;
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.account.email, "tandem-sync@sandbox.test");
    const reused = await fetch(consent.headers.get("location")!);
    assert.equal(reused.status, 400, "a state is single use");
  });

  it("OAuth with an account that has no Jira site says so", async () => {
    addUser(cloud().state, { accountId: "5b10ac8d82e05b22cc7d4f00", name: "nojira", email: "nojira@sandbox.test", displayName: "No Jira", apiTokens: ["nojira-token"] });
    const connector = await addConnector("cloud-oauth-nosite", "cloud", cloud().url, { authMode: "oauth", clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", oauthBaseUrl: cloud().url });
    const start = (await api(t(), "POST", `/connectors/${connector.id}/oauth/start`, { body: {} })).body;
    const consent = await fetch(`${start.authorizeUrl}&sandbox_user=nojira@sandbox.test`, { redirect: "manual" });
    const callback = await fetch(consent.headers.get("location")!);
    const body = (await callback.json()) as { error: { code: string; message: string } };
    assert.equal(callback.status, 400);
    assert.equal(body.error.code, "no_sites");
    assert.match(body.error.message, /no Jira site/);
  });

  it("names the cause and the fix of each failure", async () => {
    const unreachable = await addConnector("unreachable", "cloud", "http://127.0.0.1:9", { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" });
    const notJira = await addConnector("not-jira", "cloud", t().tandem.url, { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" });
    const badToken = await addConnector("bad-token", "cloud", cloud().url, { authMode: "api-token", email: "alice@sandbox.test", apiToken: "wrong-token" });
    const readOnly = await addConnector("read-only", "cloud", cloud().url, { authMode: "api-token", email: "carol@sandbox.test", apiToken: "carol-token" });
    const wrongFlavour = await addConnector("wrong-flavour", "dc", cloud().url, { authMode: "pat", token: "bob-pat" });
    const test = async (id: string) => (await api(t(), "POST", `/connectors/${id}/test`)).body;

    const a = await test(unreachable.id);
    assert.equal(a.ok, false);
    assert.equal(a.problems[0].step, "reach");
    assert.match(a.problems[0].fix, /Check the URL/);
    const b = await test(notJira.id);
    assert.equal(b.ok, false);
    assert.match(b.problems[0].cause, /not as Jira/);
    const c = await test(badToken.id);
    assert.equal(c.ok, false);
    assert.equal(c.problems[0].step, "authenticate");
    assert.match(c.problems[0].fix, /API token/);
    const d = await test(readOnly.id);
    assert.equal(d.ok, true, "a read-only account can still pull");
    const permissionProblem = d.problems.find((problem: { step: string }) => problem.step === "permissions");
    assert.match(permissionProblem.cause, /CREATE_ISSUES/);
    assert.match(permissionProblem.fix, /grant/);
    const e = await test(wrongFlavour.id);
    assert.equal(e.ok, false);
    assert.match(e.problems[0].cause, /Jira Cloud/);
  });
});

describe("connectors: rename, rotate, default options, remove", () => {
  it("keeps the connector's id through rename and rotation, and tests with the new credentials", async () => {
    const connector = await addConnector("rotating", "cloud", cloud().url, { authMode: "api-token", email: "alice@sandbox.test", apiToken: "wrong-token" });
    assert.equal((await api(t(), "POST", `/connectors/${connector.id}/test`)).body.ok, false);
    const rotated = await api(t(), "PUT", `/connectors/${connector.id}/credentials`, { body: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.id, connector.id);
    assert.equal((await api(t(), "POST", `/connectors/${connector.id}/test`)).body.ok, true);
    const renamed = await api(t(), "PATCH", `/connectors/${connector.id}`, { body: { name: "rotated", defaultSyncOptions: { direction: "pull", fields: { summary: "pull" } } } });
    assert.equal(renamed.body.name, "rotated");
    assert.equal(renamed.body.id, connector.id);
    assert.deepEqual(renamed.body.defaultSyncOptions, { direction: "pull", fields: { summary: "pull" } });
    const taken = await api(t(), "PATCH", `/connectors/${connector.id}`, { body: { name: "cloud-token" } });
    assert.equal(taken.status, 409);
    await api(t(), "POST", "/projects", { body: { key: "ROT", name: "Uses the rotated connector", fields: [] } });
    await api(t(), "PUT", "/projects/ROT/jira", { body: { connector: "rotated", jiraProjects: ["ROAD"] } });
    const item = await api(t(), "POST", "/projects/ROT/items", { body: { values: { title: "stays" } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "ROAD-1" } });
    const removed = await api(t(), "DELETE", `/connectors/rotated`);
    assert.equal(removed.status, 200);
    assert.equal(removed.body.projectAssociationsRemoved, 1);
    const project = (await api(t(), "GET", "/projects/ROT")).body;
    assert.equal(project.connectorId, null, "the project lost its association");
    const items = (await api(t(), "GET", "/projects/ROT/items")).body;
    assert.equal(items.length, 1, "its items stay");
    assert.equal(items[0].link.jiraKey, "ROAD-1", "and so do their links, ready for a new connector");
    assert.equal((await api(t(), "GET", `/connectors/${connector.id}`)).status, 404);
  });

  it("lets a member connect their own Jira identity", async () => {
    const connector = (await api(t(), "GET", "/connectors/cloud-token")).body;
    const mine = await api(t(), "PUT", `/connectors/${connector.id}/identity`, { token: t().tokens.member, body: { authMode: "api-token", email: "dave@sandbox.test", apiToken: "dave-token" } });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.account.email, "dave@sandbox.test");
    const state = await api(t(), "GET", `/connectors/${connector.id}/identity`, { token: t().tokens.member });
    assert.equal(state.body.connected, true);
    const refused = await api(t(), "PUT", `/connectors/${connector.id}/identity`, { token: t().tokens.member, body: { authMode: "api-token", email: "dave@sandbox.test", apiToken: "nope" } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /did not accept/);
  });
});

describe("connectors: roles", () => {
  it("refuses every connector route without a token, and every change to guests", async () => {
    const connector = (await api(t(), "GET", "/connectors/cloud-token")).body;
    const routes: [string, string, unknown?][] = [
      ["GET", "/connectors"],
      ["POST", "/connectors", { name: "x", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "a@b.c", apiToken: "t" } }],
      ["GET", `/connectors/${connector.id}`],
      ["PATCH", `/connectors/${connector.id}`, { name: "guest-rename" }],
      ["PUT", `/connectors/${connector.id}/credentials`, { authMode: "api-token", email: "a@b.c", apiToken: "t" }],
      ["POST", `/connectors/${connector.id}/test`],
      ["POST", `/connectors/${connector.id}/oauth/start`, { purpose: "connector" }],
      ["DELETE", `/connectors/${connector.id}`],
      ["GET", "/users"],
    ];
    for (const [method, path, body] of routes) {
      assert.equal((await api(t(), method, path, { token: null, body })).status, 401, `${method} ${path} without a token`);
    }
    for (const [method, path, body] of routes.filter(([method, path]) => method !== "GET" || path === "/users")) {
      const response = await api(t(), method, path, { token: t().tokens.guest, body });
      assert.equal(response.status, 403, `${method} ${path} as guest`);
      assert.match(response.body.error.message, /needs the (member|admin) role/);
    }
    const asMember = await api(t(), "POST", "/connectors", { token: t().tokens.member, body: routes[1]![2] });
    assert.equal(asMember.status, 403);
    const list = await api(t(), "GET", "/connectors", { token: t().tokens.guest });
    assert.equal(list.status, 200);
    assert.ok(!JSON.stringify(list.body).includes("alice-token"), "credentials are never returned");
  });
});

describe("connectors: bad input", () => {
  it("answers 400 naming what is wrong as the connector form names it, keeping each field's path in details, and stores nothing", async () => {
    const before = (await api(t(), "GET", "/connectors")).body.length;
    const cases: [unknown, RegExp, string[]][] = [
      [{ name: "x", flavour: "cloud", siteUrl: "not a url", credentials: { authMode: "api-token", email: "a@b.co", apiToken: "t" } }, /^Jira URL: Give the Jira site's base URL, e\.g\. https:\/\/your-site\.atlassian\.net\.$/, ["siteUrl"]],
      [{ name: "x", flavour: "jira", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "a@b.co", apiToken: "t" } }, /^Jira flavour: choose one of cloud, dc\.$/, ["flavour"]],
      [{ name: "x", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "not-an-email", apiToken: "t" } }, /^Email: not a valid email address — use the email you sign in to Atlassian with\.$/, ["credentials.email"]],
      [{ name: "x", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "a@b.co", apiToken: "" } }, /^API token: missing — create one at https:\/\/id\.atlassian\.com/, ["credentials.apiToken"]],
      [{ name: "x", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "password", username: "u", password: "p" } }, /does not work with Jira Cloud/, []],
      [{ name: "x", flavour: "dc", siteUrl: dc().url, credentials: { authMode: "oauth", clientId: "a", clientSecret: "b" } }, /does not work with Jira Data Center/, []],
      [{ name: "", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "pat", token: "t" } }, /^Name: missing\.$/, ["name"]],
      [{ name: "x", flavour: "cloud", siteUrl: cloud().url, credentials: { authMode: "api-token", email: "a@b.co", apiToken: "t" }, extra: 1 }, /^Unrecognized key: "extra"\.$/, ["(body)"]],
      [{ name: "x", flavour: "cloud", siteUrl: cloud().url }, /^Credentials: missing\.$/, ["credentials"]],
    ];
    for (const [body, message, paths] of cases) {
      const response = await api(t(), "POST", "/connectors", { body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(Object.keys(response.body), ["error"]);
      assert.match(response.body.error.message, message);
      assert.doesNotMatch(response.body.error.message, /credentials\./, "a person's words, not the request's paths");
      if (paths.length) {
        assert.equal(response.body.error.code, "invalid_request");
        assert.deepEqual(response.body.error.details.map((detail: { field: string }) => detail.field), paths, "details keep the path");
      }
    }
    // Rotating credentials names the fields the same way.
    const rotated = await api(t(), "PUT", "/connectors/cloud-token/credentials", { body: { authMode: "api-token", email: "alice", apiToken: "alice-token" } });
    assert.equal(rotated.status, 400);
    assert.match(rotated.body.error.message, /^Email: not a valid email address/);
    assert.equal(rotated.body.error.details[0].field, "email");
    const malformed = await api(t(), "POST", "/connectors", { rawBody: '{"name": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, "invalid_json");
    assert.equal((await api(t(), "GET", "/connectors/no-such-connector")).status, 404);
    assert.equal((await api(t(), "GET", "/nothing")).status, 404);
    assert.equal((await api(t(), "GET", "/connectors")).body.length, before);
  });
});

describe("secrets at rest", () => {
  it("keeps no credential in plaintext in the database (files, or every row on PostgreSQL) or the logs", async () => {
    const db = t().tandem.store.db;
    if (db.dialect === "postgres") {
      const tables = await db.all<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      assert.ok(tables.length > 5);
      for (const { table_name: table } of tables) {
        const rows = JSON.stringify(await db.all(`SELECT * FROM ${table}`));
        for (const secret of SECRETS) assert.ok(!rows.includes(secret), `${secret} found in ${table}`);
      }
    } else {
      const files = readdirSync(t().dataDir).filter((name) => name.startsWith("tandem.db"));
      assert.ok(files.length > 0);
      for (const file of files) {
        const bytes = readFileSync(join(t().dataDir, file)).toString("latin1");
        for (const secret of SECRETS) assert.ok(!bytes.includes(secret), `${secret} found in ${file}`);
      }
    }
    const logs = t().logs.join("\n");
    for (const secret of SECRETS) assert.ok(!logs.includes(secret), `${secret} found in the logs`);
  });
});
