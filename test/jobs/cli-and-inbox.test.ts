// `tandem jobs` and `tandem jobs retry` against a running server, and failed webhook deliveries of the inbox shown
// and retried in the same job view.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cliEnvFor, runTandemCli } from "../support/cli.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, inboxSettled, useTandem } from "../support/tandem.ts";
import { waitFor } from "../support/wait.ts";
import { connectedProject } from "./setup.ts";

const t = useTandem({ jobs: { pollMs: 100 } });
const jira = useSandbox({ flavour: "cloud" });
const admin = (method: string, path: string, body?: unknown) => api(t(), method, path, { body });

const tandem = (token: string, ...args: string[]) => runTandemCli(args, cliEnvFor(t(), token));

describe("tandem jobs and the inbox in the job view", () => {
  it("lists failed jobs with the reason and retries one", async () => {
    await connectedProject(admin, jira(), { connector: "cli", project: "CJ" });
    const project = (await admin("GET", "/projects/CJ")).body;
    // A job whose project is gone fails at once: retrying cannot help.
    const doomed = await t().tandem.jobs.enqueue("pull", { projectId: "gone", userId: "nobody", dryRun: false }, { projectId: project.id });
    await waitFor("the doomed job to fail", async () => (await t().tandem.jobs.get(doomed.id))?.state === "failed");

    const listed = await tandem(t().tokens.guest, "jobs", "--state", "failed", "--project", "CJ", "--json");
    assert.equal(listed.status, 0, listed.stderr);
    const jobs = JSON.parse(listed.stdout) as { id: string; lastError: string }[];
    assert.deepEqual(jobs.map((job) => job.id), [doomed.id]);
    assert.match(jobs[0]!.lastError, /Project 'gone' no longer exists/);
    const table = await tandem(t().tokens.guest, "jobs", "--state", "failed");
    assert.match(table.stdout, new RegExp(`${doomed.id}\\s+pull\\s+failed\\s+1/1`));

    const refused = await tandem(t().tokens.guest, "jobs", "retry", doomed.id);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /needs the member role/);
    const retried = await tandem(t().tokens.member, "jobs", "retry", doomed.id);
    assert.equal(retried.status, 0, retried.stderr);
    assert.match(retried.stdout, new RegExp(`Job ${doomed.id} \\(pull\\) is pending again`));
    const unknown = await tandem(t().tokens.member, "jobs", "retry", "nope");
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Job 'nope' does not exist/);
    const badState = await tandem(t().tokens.member, "jobs", "--state", "stuck");
    assert.equal(badState.status, 2);
    assert.match(badState.stderr, /Allowed choices are pending, running, done, failed/);
  });

  it("shows a failed webhook delivery as a job and processes it again on retry", async () => {
    const store = t().tandem.store;
    const connector = (await store.connectors.byName("cli"))!;
    const issue = jira().state.issueByIdOrKey("BOARD-1")!;
    await store.inbox.record({ connectorId: connector.id, identifier: "failed-once", event: "jira:issue_updated", issueId: issue.id, body: "{}" });
    await inboxSettled(t());
    const [entry] = (await store.db.all<{ id: string }>("SELECT id FROM inbox WHERE identifier = 'failed-once'"));
    // As the processor records a delivery whose processing threw.
    await store.inbox.markDone([entry!.id], "failed", "Jira answered 503 while fetching the issue");

    const failed = (await admin("GET", "/jobs?state=failed&kind=webhook")).body as { id: string; lastError: string; payload: { identifier: string } }[];
    const shown = failed.find((job) => job.payload.identifier === "failed-once")!;
    assert.equal(shown.id, `inbox:${entry!.id}`);
    assert.equal(shown.lastError, "Jira answered 503 while fetching the issue");
    assert.equal((await admin("GET", `/jobs/${shown.id}`)).body.kind, "webhook");

    // Changed in Jira (without a delivery of its own): only processing the retried delivery brings it over.
    issue.summary = "Applied on the second try";
    issue.updated = Date.now();
    const retried = await api(t(), "POST", `/jobs/${shown.id}/retry`, { token: t().tokens.member });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    await waitFor("the delivery to be processed again", async () => (await admin("GET", `/jobs/${shown.id}`)).body.state === "done");
    await inboxSettled(t());
    const item = (await admin("GET", "/projects/CJ/items")).body.find((candidate: { link: { jiraKey: string } }) => candidate.link.jiraKey === "BOARD-1");
    assert.equal(item.values.title, "Applied on the second try");
    const again = await admin("POST", `/jobs/${shown.id}/retry`);
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /is done, not failed/);
  });
});
