// Bad input answers as Jira does (status and error body), loses nothing already stored, and the sandbox keeps serving.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN, basic, call, useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud", maxBodyBytes: 64 * 1024 });

describe("bad input", () => {
  it("answers 404 for an unknown route and 405 for a wrong method, in JSON", async () => {
    const unknown = await call(sandbox(), "GET", "/rest/api/3/nothing-here");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.message, /null for uri/);
    const wrong = await call(sandbox(), "PATCH", "/rest/api/3/serverInfo");
    assert.equal(wrong.status, 405);
    assert.match(wrong.headers.get("allow") ?? "", /GET/);
  });

  it("answers 400 for malformed JSON and keeps the issue unchanged", async () => {
    const before = sandbox().state.issueByIdOrKey("ROAD-1")!.summary;
    const response = await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-1", { rawBody: '{"fields": {"summary": "half' });
    assert.equal(response.status, 400);
    assert.match(response.body.errorMessages[0], /JSON/);
    assert.equal(sandbox().state.issueByIdOrKey("ROAD-1")!.summary, before);
  });

  it("answers 413 for a body over the limit", async () => {
    const response = await call(sandbox(), "POST", "/rest/api/3/issue", { rawBody: JSON.stringify({ fields: { summary: "x".repeat(100_000) } }) });
    assert.equal(response.status, 413);
    assert.match(response.body.errorMessages[0], /larger than the limit/);
  });

  it("names each unknown field and wrong type, and applies none of the edit", async () => {
    const issue = sandbox().state.issueByIdOrKey("ROAD-2")!;
    const before = { summary: issue.summary, labels: [...issue.labels] };
    const response = await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-2", { body: { fields: { summary: "Should not stick", customfield_99999: 1, customfield_10016: "many", labels: "not-an-array" } } });
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys(response.body.errors).sort(), ["customfield_10016", "customfield_99999", "labels"]);
    assert.match(response.body.errors.customfield_99999, /cannot be set\. It is not on the appropriate screen, or unknown\./);
    assert.equal(issue.summary, before.summary);
    assert.deepEqual(issue.labels, before.labels);
  });

  it("answers 404 with Jira's message for malformed and missing issue keys", async () => {
    for (const key of ["not a key", "ROAD-99999", "NOPE-1", "-1"]) {
      const response = await call(sandbox(), "GET", `/rest/api/3/issue/${encodeURIComponent(key)}`);
      assert.equal(response.status, 404, key);
      assert.deepEqual(response.body.errorMessages, ["Issue does not exist or you do not have permission to see it."]);
    }
  });

  it("hides issues a user may not browse behind the same 404", async () => {
    const opsIssue = [...sandbox().state.issues.values()].find((issue) => issue.key.startsWith("OPS-"))!;
    const asBob = await call(sandbox(), "GET", `/rest/api/3/issue/${opsIssue.key}`, { auth: basic("bob@sandbox.test", "bob-token") });
    assert.equal(asBob.status, 404);
    assert.deepEqual(asBob.body.errorMessages, ["Issue does not exist or you do not have permission to see it."]);
  });

  it("refuses an edit without permission with Jira's per-field message", async () => {
    const response = await call(sandbox(), "PUT", "/rest/api/3/issue/ROAD-1", { auth: basic("carol@sandbox.test", "carol-token"), body: { fields: { summary: "Carol was here" } } });
    assert.equal(response.status, 400);
    assert.match(response.body.errors.summary, /Field 'summary' cannot be set/);
  });

  it("answers 401 for wrong credentials and passwords on Cloud", async () => {
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/myself", { auth: basic(ADMIN.email, "wrong") })).status, 401);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/myself", { auth: basic(ADMIN.email, ADMIN.password) })).status, 401);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/myself", { auth: "" })).status, 401);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/myself", { auth: "Bearer nothing" })).status, 401);
  });

  it("answers 400 for invalid JQL, unbounded JQL, bad maxResults and bad tokens", async () => {
    const invalid = await call(sandbox(), "GET", `/rest/api/3/search/jql?jql=${encodeURIComponent("project = ")}`);
    assert.equal(invalid.status, 400);
    assert.ok(invalid.body.errorMessages.length > 0);
    const unbounded = await call(sandbox(), "GET", `/rest/api/3/search/jql?jql=${encodeURIComponent("order by key desc")}`);
    assert.equal(unbounded.status, 400);
    assert.match(unbounded.body.errorMessages[0], /Unbounded/);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/search/jql?jql=project%3DROAD&maxResults=0")).status, 400);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/search/jql?jql=project%3DROAD&maxResults=abc")).status, 400);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/search/jql?jql=project%3DROAD&nextPageToken=garbage")).status, 400);
  });

  it("answers 410 on the removed legacy search on Cloud, with Atlassian's message", async () => {
    const response = await call(sandbox(), "GET", "/rest/api/2/search?jql=project%3DROAD");
    assert.equal(response.status, 410);
    assert.match(response.body.errorMessages[0], /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/);
  });

  it("keeps serving after all of the above", async () => {
    const response = await call(sandbox(), "GET", "/rest/api/3/serverInfo");
    assert.equal(response.status, 200);
    assert.equal(response.body.deploymentType, "Cloud");
  });
});
