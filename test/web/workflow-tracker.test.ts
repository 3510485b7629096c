// Workflow 3 (work tracker), real time, in Chromium against `tandem serve --demo`: the webhook panel with its URL,
// secret and events to copy, a test ping that shows the connection, an issue changed in the sandbox Jira arriving
// in Tandem's item list by the webhook, and the catch-up schedule and "sync now" of the project.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertAccessible } from "../support/a11y.ts";
import { until } from "../support/until.ts";
import { ADMIN, browserSkip, useBrowserTandem } from "../support/browser.ts";

describe("workflow 3 (work tracker) in the browser: webhook panel, test ping, changes arriving", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("workflow-tracker");

  it("shows the webhook's URL, secret and events, each copied by its button", async () => {
    const { page } = web;
    await web.signIn(ADMIN);
    await web.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: web.tandem.url });
    await page.goto(`${web.tandem.url}/connectors`);
    await page.click("a:has-text('Sandbox Jira (demo)')");
    assert.match((await page.textContent("#webhook-state")) ?? "", /Not connected yet/);
    const endpoint = (await web.tandem.store.inbox.endpointFor((await web.tandem.store.connectors.byName("Sandbox Jira (demo)"))!.id))!;
    const url = await page.inputValue("#webhook-url");
    assert.equal(url, `${web.tandem.url}/hooks/jira/${endpoint.pathToken}`);
    const secret = await page.inputValue("#webhook-secret");
    assert.ok(secret.length >= 32, "the secret is shown to the admin");
    const events = (await page.inputValue("#webhook-events")).split("\n");
    for (const event of ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "attachment_created", "issuelink_deleted"]) assert.ok(events.includes(event), event);

    await page.click("button[aria-label='Copy webhook url']");
    await until("the copied URL", async () => (await page.textContent("#webhook-url-copied")) === "Copied.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    await page.click("button[aria-label='Copy secret']");
    await until("the copied secret", async () => (await page.textContent("#webhook-secret-copied")) === "Copied.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await assertAccessible(page, "connector page with the webhook panel");
    await web.shot("webhook-panel");
  });

  it("says in plain words when the connector's account may not register the webhook, and what to do", async () => {
    const { page } = web;
    await page.click("#register-webhook");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /may not register webhooks .*Ask a Jira admin to add a webhook .* with this URL, secret, JQL filter and events/);
  });

  it("sends a signed test ping through the public address and shows the connection", async () => {
    const { page } = web;
    await page.click("#webhook-ping");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /signature was verified/);
    assert.match((await page.textContent("#webhook-state")) ?? "", /Connected · last verified delivery \d{4}-\d{2}-\d{2}/);
    assert.equal((await page.textContent("#webhook-verified"))?.trim(), "1");
    await web.shot("webhook-connected");
  });

  it("shows an issue changed in Jira in the item list by itself, brought by the webhook", async () => {
    const { page, tandem } = web;
    const sandbox = tandem.demo!.sandbox;
    const project = (await tandem.store.projects.byId("REL"))!;
    const items = await tandem.store.projects.items(project.id);
    const item = items.find((candidate) => sandbox.state.statuses.get(sandbox.state.issueByIdOrKey(candidate.link!.jiraKey)!.statusId)!.category !== "done")!;
    const jiraKey = item.link!.jiraKey;
    const row = `tr[data-item='${item.key}']`;
    // The person has the project open, listening for changes.
    await page.goto(`${tandem.url}/projects/REL`);
    assert.doesNotMatch((await page.textContent(row)) ?? "", /Completed/);
    await page.waitForSelector("body[data-live='on']");

    // Someone in Jira moves the issue to Done (REST, as Alice); the workflow may need a step through In Progress.
    const auth = { Authorization: `Basic ${Buffer.from("alice@sandbox.test:alice-token").toString("base64")}`, "Content-Type": "application/json" };
    for (let step = 0; step < 4 && sandbox.state.statuses.get(sandbox.state.issueByIdOrKey(jiraKey)!.statusId)!.category !== "done"; step++) {
      const { transitions } = (await (await fetch(`${sandbox.url}/rest/api/2/issue/${jiraKey}/transitions`, { headers: auth })).json()) as { transitions: { id: string; to: { statusCategory: { key: string } } }[] };
      const next = transitions.find((transition) => transition.to.statusCategory.key === "done") ?? transitions.find((transition) => transition.to.statusCategory.key === "indeterminate");
      assert.ok(next, `a transition onwards from ${jiraKey}`);
      const moved = await fetch(`${sandbox.url}/rest/api/2/issue/${jiraKey}/transitions`, { method: "POST", headers: auth, body: JSON.stringify({ transition: { id: next.id } }) });
      assert.equal(moved.status, 204);
    }
    assert.equal(sandbox.state.statuses.get(sandbox.state.issueByIdOrKey(jiraKey)!.statusId)!.category, "done");

    // Nobody reloads and nobody presses Pull: the page updates itself when the webhook's run finishes.
    await until(`${item.key} completed on the open page`, async () => /Completed/.test((await page.textContent(row).catch(() => "")) ?? ""));
    await web.shot("item-updated-by-webhook");
  });

  it("edits the catch-up schedule (refusing a wrong one in plain words) and syncs now", async () => {
    const { page, tandem } = web;
    await page.click("#open-realtime");
    await page.waitForURL(/\/projects\/REL\/realtime$/);
    await assertAccessible(page, "project real-time page");
    assert.match((await page.textContent("#webhook-state")) ?? "", /Connected/);
    await page.fill("#cron", "every morning");
    await page.click("#save-schedule");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /'every morning' is not a cron expression .*0 2 \* \* \*/);
    assert.equal((await tandem.store.projects.byId("REL"))!.catchUpCron, "0 2 * * *", "a refused schedule changes nothing");
    await web.shot("schedule-refused");

    await page.fill("#cron", "30 6 * * 1-5");
    await page.fill("#timeZone", "Europe/Paris");
    await page.click("#save-schedule");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Catch-up schedule saved: 30 6 \* \* 1-5 \(Europe\/Paris\)/);
    const saved = (await tandem.store.projects.byId("REL"))!;
    assert.deepEqual([saved.catchUpCron, saved.catchUpTimeZone], ["30 6 * * 1-5", "Europe/Paris"]);
    assert.equal((await page.textContent("#catch-up-cron"))?.trim(), "30 6 * * 1-5");

    await page.click("#sync-now");
    await page.waitForURL(/\/runs\/|notice=/);
    assert.ok((await tandem.store.projects.byId("REL"))!.lastCatchUpAt, "the catch-up ran");
    await web.shot("synced-now");
  });
});
