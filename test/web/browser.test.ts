// The web app in a real Chromium (Debian's, driven by playwright-core) against a fresh `tandem serve --demo`:
// sign in, Connect & Test (passing and failing with its fix), Pull and Push on the demo project from the
// buttons, the run history from the last Push date, and what a guest is not offered. Screenshots go to artifacts/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { serve, type RunningTandem } from "../../src/server/server.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : "Debian's chromium is not installed (apt-get install chromium; .ci/run does this)";
const ARTIFACTS = join(process.cwd(), "artifacts", "screenshots");

describe("web app in Chromium", { skip, timeout: 180_000 }, () => {
  let tandem: RunningTandem;
  let browser: BrowserContext;
  let page: Page;
  let dataDir = "";
  let profile = "";

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tandem-web-"));
    profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
    mkdirSync(ARTIFACTS, { recursive: true });
    tandem = await serve({ port: 0, dataDir, demo: true, sandboxPort: 0, env: { TANDEM_ADMIN_EMAIL: "admin@tandem.test", TANDEM_ADMIN_PASSWORD: "admin-password-123" } });
    await tandem.store.users.create({ email: "guest@tandem.test", name: "Guest", role: "guest", password: "guest-password-123" });
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  after(async () => {
    await browser?.close();
    await tandem?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  const signIn = async (email: string, password: string) => {
    await page.goto(`${tandem.url}/login`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("button:has-text('Sign in')");
    await page.waitForURL(/\/projects$/);
  };

  it("signs in and shows the demo project", async () => {
    await page.goto(`${tandem.url}/projects`);
    assert.match(page.url(), /\/login$/, "signed-out people are sent to sign in");
    await page.fill("#email", "admin@tandem.test");
    await page.fill("#password", "wrong");
    await page.click("button:has-text('Sign in')");
    assert.match(await page.textContent("[role=alert]") ?? "", /Wrong email or password/);
    await signIn("admin@tandem.test", "admin-password-123");
    assert.ok(await page.isVisible("a:has-text('SCHED')"));
    await page.screenshot({ path: join(ARTIFACTS, "projects.png"), fullPage: true });
  });

  it("adds a connector and runs Connect & Test, showing the failure's fix", async () => {
    await page.goto(`${tandem.url}/connectors`);
    await page.click("button:has-text('Connect & Test')");
    await page.waitForURL(/\/connectors\/[^/]+$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    await page.goto(`${tandem.url}/connectors`);
    await page.fill("#name", "Wrong token");
    await page.fill("#siteUrl", tandem.demo!.sandbox.url);
    await page.selectOption("#mode", "cloud:api-token");
    await page.fill("#login", "alice@sandbox.test");
    await page.fill("#secret", "not-her-token");
    await page.click("button:has-text('Add connector')");
    assert.match(await page.textContent("[role=status]") ?? "", /Added 'Wrong token'/);
    await page.click("tr:has-text('Wrong token') button:has-text('Connect & Test')");
    await page.waitForURL(/\/connectors\/[^/]+$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Failed");
    assert.match(await page.textContent(".error") ?? "", /Fix: .*API token/);
    await page.screenshot({ path: join(ARTIFACTS, "connect-test-failed.png"), fullPage: true });
  });

  it("pulls and pushes the demo project from its buttons, and opens the run from the last Push date", async () => {
    await page.goto(`${tandem.url}/projects/SCHED`);
    await page.click("#pull");
    await page.waitForURL(/\/runs\//);
    assert.match(await page.textContent("#run-status") ?? "", /succeeded/);
    await page.goto(`${tandem.url}/projects/SCHED`);
    const statuses = await page.$$eval("#items td.status", (cells) => cells.map((cell) => cell.textContent?.trim()));
    const sandbox = tandem.demo!.sandbox.state;
    const items = await tandem.store.projects.items((await tandem.store.projects.byId("SCHED"))!.id);
    const expected = items.map((item) => ({ new: "Not Started", indeterminate: "Started", done: "Completed" })[sandbox.statuses.get(sandbox.issues.get(item.link!.jiraIssueId)!.statusId)!.category]);
    assert.deepEqual(statuses, expected);
    await page.click("#push");
    await page.waitForURL(/\/runs\//);
    await page.goto(`${tandem.url}/projects/SCHED`);
    await page.click("#last-push");
    await page.waitForURL(/\/runs\//);
    assert.ok(await page.isVisible("#run-items"));
    assert.match(await page.textContent("h1") ?? "", /Push/);
    await page.screenshot({ path: join(ARTIFACTS, "push-run.png"), fullPage: true });
  });

  it("sets up a project in the browser: connect it, apply the preset, add and link a task, and pull", async () => {
    await page.goto(`${tandem.url}/projects`);
    await page.fill("#key", "WEB");
    await page.fill("#pname", "Set up in the browser");
    await page.selectOption("#preset", "scheduler");
    await page.click("button:has-text('Add project')");
    await page.waitForURL(/\/projects\/WEB/);
    await page.fill("#jiraProjects", "SCHED");
    await page.click("#save-jira");
    assert.match(await page.textContent("[role=status]") ?? "", /Jira integration saved/);
    await page.click("#apply-preset");
    assert.match(await page.textContent("[role=status]") ?? "", /10 mappings saved/);
    await page.fill("input[aria-label='New item title']", "Browser task");
    await page.click("#add-item");
    await page.fill("input[aria-label='Jira key of WEB-1']", "SCHED-4");
    await page.click("tr[data-item='WEB-1'] button:has-text('Link')");
    assert.match(await page.textContent("[role=status]") ?? "", /WEB-1 linked to SCHED-4/);
    await page.click("#pull");
    await page.waitForURL(/\/runs\//);
    assert.match(await page.textContent("#run-status") ?? "", /succeeded/);
    await page.goto(`${tandem.url}/projects/WEB`);
    const sandbox = tandem.demo!.sandbox.state;
    const expected = ({ new: "Not Started", indeterminate: "Started", done: "Completed" } as Record<string, string>)[sandbox.statuses.get(sandbox.issueByIdOrKey("SCHED-4")!.statusId)!.category];
    assert.equal((await page.textContent("tr[data-item='WEB-1'] td.status"))?.trim(), expected);
    await page.screenshot({ path: join(ARTIFACTS, "project-set-up.png"), fullPage: true });
  });

  it("offers a guest no buttons that change anything", async () => {
    await page.click("button:has-text('Sign out')");
    await signIn("guest@tandem.test", "guest-password-123");
    await page.goto(`${tandem.url}/projects/SCHED`);
    assert.equal(await page.isVisible("#pull"), false);
    assert.equal(await page.isVisible("#push"), false);
    await page.goto(`${tandem.url}/connectors`);
    assert.equal(await page.isVisible("button:has-text('Connect & Test')"), false);
    assert.equal(await page.isVisible("button:has-text('Add connector')"), false);
  });
});
