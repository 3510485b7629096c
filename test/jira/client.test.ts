// The Jira client against the sandbox over real HTTP: every authentication mode on both flavours, OAuth refresh
// and rotation, pagination call counts, 429 and fault handling, and typed errors with Jira's messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JiraClient, type JiraConnection } from "../../src/jira/client.ts";
import type { JiraCredentials } from "../../src/jira/credentials.ts";
import { JiraAuthenticationError, JiraAuthorizationExpiredError, JiraInvalidJqlError, JiraNotFoundError, JiraUnavailableError, JiraValidationError } from "../../src/jira/errors.ts";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import { exchangeCode, sandboxOAuthEndpoints, authorizationUrl, DEFAULT_SCOPES } from "../../src/jira/oauth.ts";
import { call, useSandbox } from "../support/sandbox.ts";

const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

function client(flavour: "cloud" | "dc", credentials: JiraCredentials, extra: Partial<JiraConnection> = {}) {
  const sandbox = flavour === "cloud" ? cloud() : dc();
  return new JiraClient({
    flavour,
    siteUrl: sandbox.url,
    credentials,
    oauthApp: { clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", endpoints: sandboxOAuthEndpoints(sandbox.url) },
    limiter: new ConnectorLimiter(),
    transport: { baseDelayMs: 5 },
    ...extra,
  });
}

async function oauthTokens(user: string) {
  const endpoints = sandboxOAuthEndpoints(cloud().url);
  const redirect = "http://127.0.0.1:9/cb";
  const url = authorizationUrl(endpoints, "sandbox-client-id", redirect, "st", DEFAULT_SCOPES);
  const consent = await fetch(`${url}&sandbox_user=${encodeURIComponent(user)}`, { redirect: "manual" });
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  return exchangeCode({ clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret", endpoints }, code, redirect);
}

describe("Jira client: authentication modes", () => {
  it("Cloud API token", async () => {
    const me = await client("cloud", { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" }).myself();
    assert.equal(me.emailAddress, "alice@sandbox.test");
  });

  it("Cloud OAuth through the gateway", async () => {
    const tokens = await oauthTokens("bob@sandbox.test");
    const jira = client("cloud", { mode: "oauth", accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, cloudId: cloud().state.site.cloudId });
    assert.equal((await jira.myself()).emailAddress, "bob@sandbox.test");
  });

  it("Data Center username + password and personal access token", async () => {
    assert.equal((await client("dc", { mode: "password", username: "carol", password: "carol-password" }).myself()).name, "carol");
    assert.equal((await client("dc", { mode: "pat", token: "dave-pat" }).myself()).name, "dave");
  });

  it("wrong credentials are an authentication error on every mode", async () => {
    const attempts: [("cloud" | "dc"), JiraCredentials][] = [
      ["cloud", { mode: "api-token", email: "alice@sandbox.test", apiToken: "nope" }],
      ["dc", { mode: "password", username: "carol", password: "nope" }],
      ["dc", { mode: "pat", token: "nope" }],
    ];
    for (const [flavour, credentials] of attempts) {
      await assert.rejects(client(flavour, credentials).myself(), JiraAuthenticationError, credentials.mode);
    }
  });
});

describe("Jira client: OAuth refresh", () => {
  it("refreshes an expired access token, persists the rotated tokens, then keeps working", async () => {
    await call(cloud(), "POST", "/_sandbox/oauth", { auth: "", body: { accessTokenTtlSeconds: 1 } });
    const tokens = await oauthTokens("alice@sandbox.test");
    await call(cloud(), "POST", "/_sandbox/oauth", { auth: "", body: { accessTokenTtlSeconds: 3600 } });
    await call(cloud(), "POST", "/_sandbox/clock", { auth: "", body: { advanceMs: 5_000 } });
    const rotations: JiraCredentials[] = [];
    // expiresAt unknown to the client, so it learns of the expiry from Jira's 401.
    const jira = client("cloud", { mode: "oauth", accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: null, cloudId: cloud().state.site.cloudId }, { onCredentialsRotated: (credentials) => void rotations.push(credentials) });
    assert.equal((await jira.myself()).emailAddress, "alice@sandbox.test");
    assert.equal(rotations.length, 1);
    const rotated = rotations[0] as Extract<JiraCredentials, { mode: "oauth" }>;
    assert.notEqual(rotated.refreshToken, tokens.refreshToken);
    assert.notEqual(rotated.accessToken, tokens.accessToken);
  });

  it("reports a revoked authorization as 'authorize again'", async () => {
    const tokens = await oauthTokens("dave@sandbox.test");
    await call(cloud(), "POST", "/_sandbox/oauth", { auth: "", body: { revokeUser: "dave@sandbox.test" } });
    const jira = client("cloud", { mode: "oauth", accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: null, cloudId: cloud().state.site.cloudId });
    await assert.rejects(jira.myself(), (error: unknown) => error instanceof JiraAuthorizationExpiredError && /Authorize again/.test(error.message));
  });
});

describe("Jira client: search and bulk reads", () => {
  for (const flavour of ["cloud", "dc"] as const) {
    it(`pages every matching issue on ${flavour} in ceil(N / page) calls`, async () => {
      const sandbox = flavour === "cloud" ? cloud() : dc();
      const credentials: JiraCredentials = flavour === "cloud" ? { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } : { mode: "password", username: "admin", password: "sandbox-password" };
      const jira = client(flavour, credentials);
      const expected = [...sandbox.state.issues.values()].filter((issue) => issue.projectId === "10002").map((issue) => issue.id).sort();
      await call(sandbox, "POST", "/_sandbox/stats/reset", { auth: "" });
      const seen: string[] = [];
      for await (const issue of jira.search("project = ROAD", { fields: ["summary"], pageSize: 4 })) seen.push(issue.id);
      assert.deepEqual(seen.sort(), expected);
      const stats = await call(sandbox, "GET", "/_sandbox/stats", { auth: "" });
      assert.equal(stats.body.total, Math.ceil(expected.length / 4));
      assert.equal(await jira.count("project = ROAD"), expected.length);
      const fetched = await jira.bulkFetch(["ROAD-2", "ROAD-1", "NOPE-1"], { fields: ["summary"] });
      assert.deepEqual(fetched.map((issue) => issue.key).sort(), ["ROAD-1", "ROAD-2"]);
      const logs = await jira.changelogs(fetched.map((issue) => issue.id));
      for (const issue of fetched) assert.equal(logs.get(issue.id)?.length, sandbox.state.issues.get(issue.id)!.changelog.length);
    });
  }

  it("turns invalid JQL, validation errors and missing issues into typed errors with Jira's messages", async () => {
    const jira = client("cloud", { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" });
    await assert.rejects(jira.search("project = ").next(), JiraInvalidJqlError);
    await assert.rejects(jira.getIssue("ROAD-99999"), (error: unknown) => error instanceof JiraNotFoundError && error.message === "Issue does not exist or you do not have permission to see it.");
    await assert.rejects(jira.editIssue("ROAD-1", { fields: { customfield_10016: "lots" } }), (error: unknown) => error instanceof JiraValidationError && "customfield_10016" in error.fieldErrors);
  });
});

describe("Jira client: rate limits and faults", () => {
  it("waits out 429s together and loses no request", async () => {
    await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { reset: true, rateLimit: { burstPerSecond: 4, burstCapacity: 4 } } });
    const limiter = new ConnectorLimiter();
    const jira = client("cloud", { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" }, { limiter });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, index) => jira.getIssue(`ROAD-${(index % 5) + 1}`, { fields: ["summary"] })));
      assert.equal(results.length, 12);
      assert.ok(results.every((issue) => issue.key.startsWith("ROAD-")));
      assert.ok(limiter.stats().rateLimited > 0, "the sandbox answered 429 at least once");
    } finally {
      await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { reset: true, rateLimit: null } });
    }
  });

  it("retries a read through 503s, but does not repeat a create", async () => {
    const jira = client("cloud", { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" });
    await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { failNext: [{ count: 2, status: 503, path: "/rest/api/3/issue/ROAD-1" }] } });
    assert.equal((await jira.getIssue("ROAD-1", { fields: ["summary"] })).key, "ROAD-1");
    const before = cloud().state.issues.size;
    await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { failNext: [{ count: 1, status: 503, path: "/rest/api/3/issue" }] } });
    await assert.rejects(jira.createIssue({ project: { key: "ROAD" }, issuetype: { id: "10002" }, summary: "once" }), JiraUnavailableError);
    assert.equal(cloud().state.issues.size, before);
  });

  it("asks again when a read's answer is cut off or not JSON", async () => {
    const jira = client("cloud", { mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" });
    await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { reset: true, faults: { seed: 11, truncateRate: 0.15, malformedRate: 0.15, pathPrefix: "/rest/api/3/issue/ROAD-2" } } });
    try {
      for (let round = 0; round < 6; round++) assert.equal((await jira.getIssue("ROAD-2", { fields: ["summary"] })).key, "ROAD-2");
      const { stats } = (await call(cloud(), "GET", "/_sandbox/limits", { auth: "" })).body as { stats: { faults: { byKind: Record<string, number> } } };
      assert.ok(stats.faults.byKind.truncate! + stats.faults.byKind.malformed! > 0, "the sandbox cut or garbled at least one answer");
    } finally {
      await call(cloud(), "POST", "/_sandbox/limits", { auth: "", body: { reset: true, faults: null } });
    }
  });

  it("reports an unreachable site clearly", async () => {
    const jira = new JiraClient({ flavour: "cloud", siteUrl: "http://127.0.0.1:9", credentials: { mode: "api-token", email: "a@b.c", apiToken: "t" }, limiter: new ConnectorLimiter(), transport: { baseDelayMs: 1, maxRetries: 1 } });
    await assert.rejects(jira.serverInfo(), (error: unknown) => error instanceof JiraUnavailableError && /could not be reached/.test(error.message));
  });
});

describe("Jira client: no issue is ever deleted", () => {
  it("refuses to delete an issue, by id or key, on every REST version, before sending anything", async () => {
    const jira = client("cloud", { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" });
    const issue = cloud().state.issueByIdOrKey("ROAD-1")!;
    const sent: string[] = [];
    const watched = new JiraClient({ flavour: "cloud", siteUrl: cloud().url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, limiter: new ConnectorLimiter(), transport: { onAttempt: (attempt) => sent.push(`${attempt.method} ${attempt.path}`) } });
    for (const path of [`/rest/api/3/issue/${issue.id}`, "/rest/api/3/issue/ROAD-1", "/rest/api/2/issue/ROAD-1/", "/rest/api/latest/issue/ROAD-1?deleteSubtasks=true"]) {
      await assert.rejects(watched.request("DELETE", path), (error: Error) => error.name === "ReadOnlyViolationError" && /never deletes a Jira issue/.test(error.message), path);
    }
    assert.deepEqual(sent, [], "nothing reached Jira");
    assert.ok(cloud().state.issueByIdOrKey("ROAD-1"), "the issue is still there");
    // Deleting what belongs to an issue (a comment Tandem wrote, say) is not refused by this rule.
    const comment = await jira.request<{ id: string }>("POST", "/rest/api/3/issue/ROAD-1/comment", { body: { body: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "temporary" }] }] } } });
    await jira.request("DELETE", `/rest/api/3/issue/ROAD-1/comment/${comment.data.id}`);
  });
});
