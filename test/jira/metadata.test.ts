// Metadata is discovered once per connector and reused: the second ask makes no call to Jira.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JiraClient } from "../../src/jira/client.ts";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import { JiraMetadata } from "../../src/jira/metadata.ts";
import { call, useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud" });

describe("Jira metadata cache", () => {
  it("asks Jira once per kind until the entry expires, and knows each field's schema type", async () => {
    let now = 1_000_000;
    const jira = new JiraClient({ flavour: "cloud", siteUrl: sandbox().url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, limiter: new ConnectorLimiter() });
    const metadata = new JiraMetadata(jira, { ttlMs: 60_000, now: () => now });
    await call(sandbox(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const storyPoints = await metadata.field("customfield_10016");
    assert.equal(storyPoints?.schema?.type, "number");
    assert.equal((await metadata.field("Story point estimate"))?.id, "customfield_10016");
    const tracking = await metadata.timeTracking();
    assert.equal(tracking.workingHoursPerDay, sandbox().state.site.hoursPerDay);
    await metadata.timeTracking();
    const required = (await metadata.createMetaFields("ROAD", "10003")).filter((field) => field.required).map((field) => field.fieldId);
    assert.ok(required.includes("customfield_10051"));
    await metadata.createMetaFields("ROAD", "10003");
    let stats = (await call(sandbox(), "GET", "/_sandbox/stats", { auth: "" })).body;
    assert.equal(stats.requests["GET /rest/api/3/field"], 1);
    assert.equal(stats.requests["GET /rest/api/3/configuration"], 1);
    assert.equal(stats.requests["GET /rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId"], 1);
    now += 61_000;
    await metadata.fields();
    stats = (await call(sandbox(), "GET", "/_sandbox/stats", { auth: "" })).body;
    assert.equal(stats.requests["GET /rest/api/3/field"], 2, "asked again after expiry");
  });
});
