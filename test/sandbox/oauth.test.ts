// OAuth 2.0 (3LO) as Atlassian runs it: authorize, code exchange, rotating refresh tokens with reuse detection,
// access-token expiry, accessible-resources, scopes, and the /ex/jira/{cloudId} gateway.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud" });
const REDIRECT = "http://127.0.0.1:9/callback";
const CLIENT = { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" };

async function authorize(scope: string, user = "alice@sandbox.test") {
  const query = new URLSearchParams({ audience: "api.atlassian.com", client_id: CLIENT.client_id, scope, redirect_uri: REDIRECT, state: "s1", response_type: "code", prompt: "consent", sandbox_user: user });
  const response = await call(sandbox(), "GET", `/authorize?${query}`, { auth: "" });
  assert.equal(response.status, 302);
  const code = new URL(response.headers.get("location")!).searchParams.get("code")!;
  const token = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...CLIENT } });
  assert.equal(token.status, 200);
  return token.body as { access_token: string; refresh_token?: string; expires_in: number; scope: string };
}

const gateway = () => `/ex/jira/${sandbox().state.site.cloudId}`;

describe("OAuth 2.0 (3LO)", () => {
  it("exchanges a code once, and lists the site in accessible-resources", async () => {
    const tokens = await authorize("read:jira-work offline_access");
    assert.ok(tokens.refresh_token);
    const resources = await call(sandbox(), "GET", "/oauth/token/accessible-resources", { auth: `Bearer ${tokens.access_token}` });
    assert.equal(resources.status, 200);
    assert.equal(resources.body[0].id, sandbox().state.site.cloudId);
    assert.equal(resources.body[0].url, sandbox().url);
  });

  it("serves the API only through the gateway with a bearer token", async () => {
    const tokens = await authorize("read:jira-work");
    const direct = await call(sandbox(), "GET", "/rest/api/3/myself", { auth: `Bearer ${tokens.access_token}` });
    assert.equal(direct.status, 401);
    const through = await call(sandbox(), "GET", `${gateway()}/rest/api/3/myself`, { auth: `Bearer ${tokens.access_token}` });
    assert.equal(through.status, 200);
    assert.equal(through.body.emailAddress, "alice@sandbox.test");
    const wrongSite = await call(sandbox(), "GET", "/ex/jira/00000000-0000-4000-8000-000000000000/rest/api/3/myself", { auth: `Bearer ${tokens.access_token}` });
    assert.equal(wrongSite.status, 404);
  });

  it("refuses a write without write:jira-work as a scope mismatch", async () => {
    const tokens = await authorize("read:jira-work");
    const response = await call(sandbox(), "PUT", `${gateway()}/rest/api/3/issue/ROAD-1`, { auth: `Bearer ${tokens.access_token}`, body: { fields: { summary: "nope" } } });
    assert.equal(response.status, 401);
    assert.equal(response.body.message, "Unauthorized; scope does not match");
  });

  it("expires access tokens and rotates refresh tokens, revoking the family on late reuse", async () => {
    await call(sandbox(), "POST", "/_sandbox/oauth", { auth: "", body: { accessTokenTtlSeconds: 60 } });
    const tokens = await authorize("read:jira-work offline_access");
    await call(sandbox(), "POST", "/_sandbox/clock", { auth: "", body: { advanceMs: 61_000 } });
    const expired = await call(sandbox(), "GET", `${gateway()}/rest/api/3/myself`, { auth: `Bearer ${tokens.access_token}` });
    assert.equal(expired.status, 401);

    const refreshed = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...CLIENT } });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, tokens.refresh_token, "refresh tokens rotate");
    const ok = await call(sandbox(), "GET", `${gateway()}/rest/api/3/myself`, { auth: `Bearer ${refreshed.body.access_token}` });
    assert.equal(ok.status, 200);

    // Reusing the old refresh token after the 10-minute leeway revokes every token of the family.
    await call(sandbox(), "POST", "/_sandbox/clock", { auth: "", body: { advanceMs: 11 * 60_000 } });
    const reuse = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...CLIENT } });
    assert.equal(reuse.status, 403);
    assert.equal(reuse.body.error, "invalid_grant");
    const newest = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token, ...CLIENT } });
    assert.equal(newest.status, 403);
    await call(sandbox(), "POST", "/_sandbox/oauth", { auth: "", body: { accessTokenTtlSeconds: 3600 } });
  });

  it("refuses unknown clients, bad grants and a reused code", async () => {
    const bad = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "authorization_code", code: "x", client_id: "nope", client_secret: "nope" } });
    assert.equal(bad.status, 401);
    const unsupported = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "password", ...CLIENT } });
    assert.equal(unsupported.status, 400);
    const query = new URLSearchParams({ client_id: CLIENT.client_id, scope: "read:jira-work", redirect_uri: REDIRECT, response_type: "code", sandbox_user: "bob@sandbox.test" });
    const code = new URL((await call(sandbox(), "GET", `/authorize?${query}`, { auth: "" })).headers.get("location")!).searchParams.get("code");
    const first = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...CLIENT } });
    assert.equal(first.status, 200);
    const second = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...CLIENT } });
    assert.equal(second.status, 403);
  });
});
