// Workflow 1 (scheduler) in Chromium against a fresh `tandem serve --demo`: sign in, the demo connector passes
// Connect & Test, the demo project REL is associated with the Jira project SCHED, Pull sets statuses from the issues' categories, Push
// writes back, the last Push date opens its run; a project set up from nothing in the browser (association,
// the scheduler preset from the mappings page, a linked task, a Pull); what a guest is not offered.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN, browserSkip, GUEST, useBrowserTandem } from "../support/browser.ts";

const TANDEM_STATUS: Record<string, string> = { new: "Not Started", indeterminate: "Started", done: "Completed" };

describe("workflow 1 (scheduler) in the browser", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("workflow-scheduler");

  it("signs in (refusing a wrong password in plain words) and shows the demo project", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects`);
    assert.match(page.url(), /\/login$/, "signed-out people are sent to sign in");
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", "wrong");
    await page.click("button:has-text('Sign in')");
    assert.match((await page.textContent("[role=alert]")) ?? "", /Wrong email or password/);
    await web.signIn(ADMIN);
    assert.ok(await page.isVisible("a[href='/projects/REL']"));
    await web.shot("projects");
  });

  it("runs Connect & Test on the demo connector and shows what it found", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/connectors`);
    await page.click("tr[data-connector='Sandbox Jira (demo)'] button:has-text('Connect & Test')");
    await page.waitForURL(/\/connectors\/[^/]+#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    assert.match((await page.textContent("#connect-test")) ?? "", /Account: Tandem Sync/);
    assert.match((await page.textContent("main")) ?? "", /Projects using it: REL/);
    await web.shot("connect-test-passed");
  });

  it("pulls and pushes the associated demo project from its buttons, and opens the run from the last Push date", async () => {
    const { page, tandem } = web;
    await page.click("a[href='/projects/REL']");
    await page.waitForURL(/\/projects\/REL$/);
    assert.match((await page.textContent("#jira-panel")) ?? "", /Jira projects: SCHED/);
    await page.click("#pull");
    await page.waitForURL(/\/runs\//);
    assert.match((await page.textContent("#run-status")) ?? "", /succeeded/);
    await web.shot("pull-run");
    await page.goto(`${tandem.url}/projects/REL`);
    const sandbox = tandem.demo!.sandbox.state;
    const items = await tandem.store.projects.items((await tandem.store.projects.byId("REL"))!.id);
    for (const item of items) {
      const expected = TANDEM_STATUS[sandbox.statuses.get(sandbox.issues.get(item.link!.jiraIssueId)!.statusId)!.category]!;
      assert.match((await page.textContent(`tr[data-item='${item.key}']`)) ?? "", new RegExp(expected), `${item.key} shows ${expected}`);
    }
    await page.click("#push");
    await page.waitForURL(/\/runs\//);
    assert.match((await page.textContent("#run-status")) ?? "", /succeeded|partial/);
    await page.goto(`${tandem.url}/projects/REL`);
    await page.click("#last-push");
    await page.waitForURL(/\/runs\//);
    assert.ok(await page.isVisible("#run-items"));
    assert.match((await page.textContent("h1")) ?? "", /Push/);
    await web.shot("push-run");
  });

  it("sets up a project in the browser: connect it, apply the preset on the mappings page, add and link a task, and pull", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects`);
    await page.fill("#key", "WEB");
    await page.fill("#pname", "Set up in the browser");
    await page.selectOption("#preset", "scheduler");
    await page.click("button:has-text('Add project')");
    await page.waitForURL(/\/projects\/WEB/);
    await page.fill("#jiraProjects", "SCHED");
    await page.click("#save-jira");
    assert.match((await page.textContent("[role=status]")) ?? "", /Jira integration saved/);
    await page.click("#open-mappings");
    await page.waitForURL(/\/projects\/WEB\/mappings$/);
    await page.selectOption("#preset-name", "scheduler");
    await page.click("#apply-preset");
    assert.match((await page.textContent("[role=status]")) ?? "", /10 mappings saved from the scheduler preset/);
    assert.equal(await page.locator("#mappings tbody tr").count(), 10);
    await web.shot("preset-applied");
    await page.goto(`${tandem.url}/projects/WEB`);
    await page.fill("input[aria-label='New item title']", "Browser task");
    await page.click("#add-item");
    await page.fill("input[aria-label='Jira key of WEB-1']", "SCHED-4");
    await page.click("tr[data-item='WEB-1'] button:has-text('Link')");
    assert.match((await page.textContent("[role=status]")) ?? "", /WEB-1 linked to SCHED-4/);
    await page.click("#pull");
    await page.waitForURL(/\/runs\//);
    assert.match((await page.textContent("#run-status")) ?? "", /succeeded/);
    await page.goto(`${tandem.url}/projects/WEB`);
    const sandbox = tandem.demo!.sandbox.state;
    const expected = TANDEM_STATUS[sandbox.statuses.get(sandbox.issueByIdOrKey("SCHED-4")!.statusId)!.category]!;
    assert.match((await page.textContent("tr[data-item='WEB-1']")) ?? "", new RegExp(expected));
    await web.shot("project-set-up");
  });

  it("offers a guest no buttons that change anything", async () => {
    const { page, tandem } = web;
    await web.signOut();
    await web.signIn(GUEST);
    await page.goto(`${tandem.url}/projects/REL`);
    assert.equal(await page.isVisible("#pull"), false);
    assert.equal(await page.isVisible("#push"), false);
    await page.goto(`${tandem.url}/connectors`);
    assert.equal(await page.isVisible("button:has-text('Connect & Test')"), false);
    assert.equal(await page.isVisible("button:has-text('Add connector')"), false);
    await page.click("a:has-text('Sandbox Jira (demo)')");
    assert.equal(await page.isVisible("#rotate-button"), false);
    assert.equal(await page.isVisible("#disconnect-link"), false);
    assert.equal(await page.isVisible("#webhook-secret"), false, "a guest never sees the webhook secret");
    await page.goto(`${tandem.url}/projects/REL/mappings`);
    assert.equal(await page.isVisible("#add-mapping"), false);
    assert.equal(await page.isVisible("#save-statuses"), false);
    await web.shot("guest-view");
  });
});
