// How run pages and the CLI read a run's identity back: what started it (for the title) and the Jira account it acted
// as (after "as"), for today's wording and for runs recorded with earlier ones.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ownIdentity, serviceAccountIdentity, splitIdentity, startedBy } from "../../src/connectors/run-identity.ts";

describe("run identities", () => {
  const tested = { name: "Acme", lastTest: { account: { displayName: "Tandem Sync", email: "sync@acme.com", accountId: "1", username: null } } };

  it("names the service account by its Connect & Test email, else its display name, else says whose it is", () => {
    assert.equal(serviceAccountIdentity(tested), "sync@acme.com (service account of 'Acme')");
    assert.equal(serviceAccountIdentity({ name: "Acme", lastTest: { account: { displayName: "Tandem Sync", email: null } } }), "Tandem Sync (service account of 'Acme')");
    assert.equal(serviceAccountIdentity({ name: "Acme", lastTest: null }), "the service account of 'Acme'");
    assert.equal(ownIdentity("pm@acme.com", { email: "bob@acme.com" }), "bob@acme.com (pm@acme.com's own Jira identity)");
    assert.equal(ownIdentity("pm@acme.com", { account: "pm@acme.com" }), "pm@acme.com's own Jira identity");
  });

  it("splits a trigger from the account, and reads a person's run as the account alone", () => {
    assert.deepEqual(splitIdentity(startedBy("webhook", serviceAccountIdentity(tested))), { trigger: "webhook", account: "sync@acme.com (service account of 'Acme')" });
    assert.deepEqual(splitIdentity(serviceAccountIdentity(tested)), { trigger: null, account: "sync@acme.com (service account of 'Acme')" });
    assert.deepEqual(splitIdentity("bob@acme.com (pm@acme.com's own Jira identity)"), { trigger: null, account: "bob@acme.com (pm@acme.com's own Jira identity)" });
    assert.deepEqual(splitIdentity("reconciliation, as the service account of 'Acme'"), { trigger: "reconciliation", account: "the service account of 'Acme'" });
  });

  it("reads earlier wordings so they still make sentences", () => {
    assert.deepEqual(splitIdentity("webhook, as the service account of 'Acme'"), { trigger: "webhook", account: "the service account of 'Acme'" });
    assert.deepEqual(splitIdentity("demo start, as the service account of 'Acme'"), { trigger: "demo start", account: "the service account of 'Acme'" });
    assert.deepEqual(splitIdentity("service account of 'Acme'"), { trigger: null, account: "the service account of 'Acme'" });
    assert.deepEqual(splitIdentity("webhook (issue deleted), 'Acme'"), { trigger: "webhook, issue deleted", account: "the service account of 'Acme'" });
    assert.deepEqual(splitIdentity("pm@acme.com's own Jira identity"), { trigger: null, account: "pm@acme.com's own Jira identity" });
  });
});
