// A newcomer's walk through the demo in Chromium, with no documentation: the first page after sign-in says what to
// do and leads to each step (Connect & Test, Pull and Push, a run's history, import, create in Jira, a change made
// on the sandbox Jira's own web page arriving by webhook), and each page on the way offers its next step.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertAccessible } from "../support/a11y.ts";
import { ADMIN, browserSkip, GUEST, useBrowserTandem } from "../support/browser.ts";
import { until } from "../support/until.ts";

describe("a newcomer's walk through the demo in the browser", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("newcomer");
  const sandbox = () => web.tandem.demo!.sandbox;
  const status = async () => (await web.page.textContent("[role=status], [role=alert]"))?.trim() ?? "";

  it("says on the sign-in page that this is the demo, naming its admin but not a password chosen for it", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/login`);
    // This suite's demo admin has a password of its own (TANDEM_ADMIN_PASSWORD): not the public one, so not shown.
    assert.match((await page.textContent("#demo-sign-in")) ?? "", new RegExp(`This is the Tandem demo.*Sign in as ${ADMIN.email.replace(".", "\\.")} with the password given in TANDEM_ADMIN_PASSWORD`));
    assert.equal(await page.locator("#demo-password").count(), 0);
    assert.doesNotMatch((await page.content()), new RegExp(ADMIN.password));
  });

  it("opens on a page that lists the steps, and Connect & Test from there says what to do next", async () => {
    const { page, tandem } = web;
    await web.signIn(ADMIN);
    const start = page.locator("#start-here");
    assert.ok(await start.isVisible(), "the first page after sign-in has the getting-started steps");
    assert.match((await start.textContent()) ?? "", /Connect to Jira: check Sandbox Jira \(demo\)/);
    assert.equal(await start.locator("#start-import a").getAttribute("href"), "/projects/REL/import");
    // The issue to change in Jira is one REL links to, on the connector's own site.
    const issueUrl = (await start.locator("#start-jira-issue").getAttribute("href")) ?? "";
    const project = (await tandem.store.projects.byId("REL"))!;
    const linked = new Set((await tandem.store.projects.items(project.id)).map((item) => item.link?.jiraKey).filter(Boolean));
    const match = new RegExp(`^${sandbox().url}/browse/([A-Z]+-\\d+)$`).exec(issueUrl);
    assert.ok(match && linked.has(match[1]!), `${issueUrl} is an issue linked in REL, on the sandbox`);
    await assertAccessible(page, "projects page with the getting-started steps");
    await web.shot("first-page");

    await page.click("#start-connect-test");
    await page.waitForURL(/\/connectors\/[^/]+#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    assert.match((await page.textContent("#next-step")) ?? "", /Next: open REL and press Pull/);
    // The demo registered its webhook; nothing has arrived yet, and the page says so rather than "register it".
    assert.match((await page.textContent("#webhook-state")) ?? "", /Not connected yet · registered in Jira, no delivery received so far/);
    await web.shot("connect-test-next-step");
    await page.click("#next-step a");
    await page.waitForURL(/\/projects\/REL$/);
  });

  it("links each Jira key of the items to its issue in Jira", async () => {
    const { page } = web;
    const first = page.locator("#items tbody tr").first();
    const key = (await first.locator("a.jira-key").textContent())?.replace("↗", "").trim() ?? "";
    assert.match(key, /^SCHED-\d+$/);
    assert.equal(await first.locator("a.jira-key").getAttribute("href"), `${sandbox().url}/browse/${key}`);
  });

  it("keys the demo's items apart from their Jira issues, so nobody expects REL-n to be SCHED-n", async () => {
    const { page } = web;
    const rows = page.locator("#items tbody tr");
    const pairs: [string, string][] = [];
    for (let index = 0; index < (await rows.count()); index++) {
      const row = rows.nth(index);
      const jiraKey = (await row.locator("a.jira-key").textContent())?.replace("↗", "").trim() ?? "";
      pairs.push([(await row.getAttribute("data-item")) ?? "", jiraKey]);
    }
    assert.ok(pairs.length >= 9, `the demo's tasks and its created item are listed (${pairs.length})`);
    for (const [itemKey, jiraKey] of pairs) {
      assert.match(itemKey, /^REL-\d+$/, "the demo project's own key");
      assert.match(jiraKey, /^SCHED-\d+$/, `${itemKey} is linked to an issue of the Jira project SCHED`);
    }
    // Jira's SCHED-1 is the Epic the tasks belong to (not imported as a task): the numbers differ, and the prefixes say so.
    assert.equal(sandbox().state.issueTypes.get(sandbox().state.issueByIdOrKey("SCHED-1")!.issueTypeId)?.name, "Epic");
    assert.ok(!pairs.some(([, jiraKey]) => jiraKey === "SCHED-1"));
  });

  it("says once that a dry run wrote nothing, names fields as the project does, and runs it for real from there", async () => {
    const { page } = web;
    await page.click("#push-dry");
    await page.waitForURL(/\/runs\//);
    assert.equal(await page.locator("#dry-run-note").count(), 1);
    assert.equal(await page.locator("#run-items .message").filter({ hasText: /dry run/i }).count(), 0, "no item repeats the dry-run note");
    assert.match((await page.textContent("#run-items")) ?? "", /Last sync date in Jira/);
    assert.doesNotMatch((await page.textContent("#run-items")) ?? "", /lastSyncDate/);
    await web.shot("dry-run");
    await page.click("#run-for-real");
    await page.waitForURL(/\/runs\//);
    assert.equal((await page.textContent("h1"))?.trim(), "Push");
    assert.equal(await page.locator("#dry-run-note").count(), 0);
  });

  it("opens the import wizard on the Jira project the project already syncs with, changing nothing by itself", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects`);
    await page.click("#start-import a");
    await page.waitForURL(/\/projects\/REL\/import$/);
    assert.equal(await page.inputValue("#jiraProject"), "SCHED");
    assert.ok(await page.isVisible("#preview"), "the filter step is there at once");
    await page.click("#choose-project");
    await page.waitForURL(/jiraProject=SCHED/);
    assert.deepEqual((await tandem.store.projects.byId("REL"))!.jiraProjects, ["SCHED"], "Next did not add another Jira project");
    // The checkbox sits on its label's line (it used to stretch to the whole column).
    const box = await page.locator("#includeDone").boundingBox();
    assert.ok(box && box.width < 40, `the checkbox is checkbox-sized (${box?.width}px)`);
    await web.shot("import-wizard");
  });

  it("creates a plain item in Jira from its row, proposing a Task", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects/REL`);
    await page.fill("input[aria-label='New item title']", "Write the runbook");
    await page.click("#add-item");
    const key = /Added (REL-\d+)/.exec(await status())?.[1];
    assert.ok(key, "the new item's key is announced");
    await page.click(`a[aria-label='Create a Jira issue from ${key}']`);
    await page.waitForURL(/\/projects\/REL\/create\?items=/);
    assert.equal(await page.locator("#issueType option:checked").textContent(), "Task");
    await page.click("#choose-type");
    assert.match((await page.textContent("#nothing-required")) ?? "", /Jira requires no other field for a Task/);
    await web.shot("create-in-jira-task");
    await page.click("#create");
    await page.waitForURL(/\/projects\/REL\?notice=/);
    const created = new RegExp(`${key} → (SCHED-\\d+)`).exec(await status())?.[1];
    assert.ok(created, await status());
    assert.equal(sandbox().state.issueTypes.get(sandbox().state.issueByIdOrKey(created!)!.issueTypeId)?.name, "Task");
  });

  it("lists an item's runs on its page, each opening its run", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/items/REL-1`);
    const link = page.locator("#item-history a").first();
    assert.match((await link.getAttribute("href")) ?? "", /^\/runs\/[0-9a-f-]{36}$/);
    await link.click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    assert.ok(await page.isVisible("#run-items"));
  });

  it("shows a change made on the sandbox Jira's web page arriving by itself, with its webhook run listed", async () => {
    const { page, tandem, context } = web;
    await page.goto(`${tandem.url}/projects/REL`);
    await page.waitForSelector("body[data-live='on']");
    const hint = page.locator("#watch-hint a");
    const jiraKey = (await hint.textContent())?.replace(" in Jira", "").trim() ?? "";
    const item = (await tandem.store.projects.items((await tandem.store.projects.byId("REL"))!.id)).find((entry) => entry.link?.jiraKey === jiraKey)!;
    const row = `tr[data-item='${item.key}'] td.status`;
    const before = (await page.textContent(row))?.trim();
    // The newcomer follows the link: the issue opens in a new tab on the sandbox's own page, and is transitioned there.
    const [jira] = await Promise.all([context.waitForEvent("page"), hint.click()]);
    await jira.waitForLoadState();
    assert.equal(jira.url(), `${sandbox().url}/browse/${jiraKey}`);
    // The sandbox's pages declare their icon, so a browser asks for no /favicon.ico (a 404 in the console).
    const icon = () => jira.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>("link[rel~='icon']")?.href ?? new URL("/favicon.ico", location.href).href;
      return { href, ok: (await fetch(href)).ok };
    });
    assert.deepEqual(await icon(), { href: "data:,", ok: true }, "the issue page's icon");
    const category = () => sandbox().state.statuses.get(sandbox().state.issueByIdOrKey(jiraKey)!.statusId)!.category;
    const was = category();
    await jira.locator("form[action$='/transition'] button").first().click();
    await jira.waitForLoadState();
    await until(`${jiraKey} transitioned in the sandbox`, async () => category() !== was);
    await jira.goto(sandbox().url);
    assert.deepEqual(await icon(), { href: "data:,", ok: true }, "the sandbox's home page's icon");
    await jira.close();
    await until(`${item.key}'s status to change on the open page`, async () => {
      const now = (await page.textContent(row).catch(() => null))?.trim();
      return Boolean(now) && now !== before;
    });
    // Its title says what started it and who changed Jira (the person the sandbox's page acts as).
    await until("the webhook run listed among the latest runs", async () => /Sync \(webhook, from [^)]+\)/.test((await page.textContent("#recent-runs").catch(() => "")) ?? ""));
    await web.shot("webhook-change-arrived");
    // What started the run is in its title; the Jira account it acted as follows "as", by its email.
    const account = /as tandem-sync@sandbox\.test \(service account of 'Sandbox Jira \(demo\)'\)/;
    const listed = (await page.locator("#recent-runs li", { hasText: "Sync (webhook, from" }).first().textContent()) ?? "";
    assert.match(listed, account);
    assert.doesNotMatch(listed, /as webhook/);
    await page.locator("#recent-runs a", { hasText: "Sync (webhook, from" }).first().click();
    await page.waitForURL(/\/runs\//);
    assert.match((await page.textContent("h1"))?.trim() ?? "", /^Sync \(webhook, from [^)]+\)$/);
    assert.match((await page.textContent("#run-status")) ?? "", account);
    assert.doesNotMatch((await page.textContent("#run-status")) ?? "", /as webhook/);
    assert.match((await page.textContent(`#run-items tr[data-item='${item.key}']`)) ?? "", /Status in Tandem/);
  });

  it("says where to set the CapEx rule in the web app rather than an API call", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects/REL/reports`);
    const hint = (await page.textContent("#capex-hint")) ?? "";
    assert.match(hint, /open Report settings below/);
    assert.doesNotMatch(hint, /PUT /);
    await page.click("#capex-hint a");
    assert.ok(await page.isVisible("#capexField"), "the link opens the settings");
  });

  it("fits a narrow window: wide tables scroll inside their section, the header wraps", async () => {
    const { page, tandem } = web;
    const size = page.viewportSize();
    await page.setViewportSize({ width: 420, height: 900 });
    try {
      for (const path of ["/projects", "/projects/REL"]) {
        await page.goto(`${tandem.url}${path}`);
        const [scrollWidth, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(scrollWidth <= width, `${path} is ${scrollWidth}px wide in a ${width}px window`);
      }
      await web.shot("narrow-project");
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });

  it("offers a guest no getting-started steps they could not take", async () => {
    const { page, tandem } = web;
    await web.signOut();
    await web.signIn(GUEST);
    await page.goto(`${tandem.url}/projects`);
    assert.equal(await page.locator("#start-here").count(), 0);
    assert.ok(await page.isVisible("#projects"));
  });
});
