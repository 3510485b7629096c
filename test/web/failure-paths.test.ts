// The failures a person meets on the connector pages, in Chromium against `tandem serve --demo`: a wrong API token
// on Connect & Test (failed, with its fix), a site address that is not a URL, a name already taken, and their
// own Jira authorization refused — each said in plain words with what to do, and nothing half-saved.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { ADMIN, browserSkip, useBrowserTandem } from "../support/browser.ts";

/** Types a connector into the add form (the mode only when given: the form's default is a Cloud API token). */
async function fillConnector(page: Page, form: { name: string; siteUrl: string; mode?: string; login: string; secret: string }) {
  await page.fill("#name", form.name);
  await page.fill("#siteUrl", form.siteUrl);
  if (form.mode) await page.selectOption("#mode", form.mode);
  await page.fill("#login", form.login);
  await page.fill("#secret", form.secret);
}

describe("failure paths on the connector pages", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("failure-paths");

  it("shows a wrong API token failing Connect & Test, with the fix", async () => {
    const { page, tandem } = web;
    await web.signIn(ADMIN);
    await page.goto(`${tandem.url}/connectors`);
    await fillConnector(page, { name: "Wrong token", siteUrl: tandem.demo!.sandbox.url, mode: "cloud:api-token", login: "alice@sandbox.test", secret: "not-her-token" });
    await page.click("button:has-text('Add connector')");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Added 'Wrong token'\. Press Connect & Test/);
    await page.click("#connect-test-button");
    await page.waitForURL(/#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Failed");
    assert.match((await page.textContent(".test-problem")) ?? "", /Fix: .*API token/);
    await web.shot("connect-test-failed");
    await page.goto(`${tandem.url}/connectors`);
    assert.match((await page.textContent("tr[data-connector='Wrong token']")) ?? "", /failed/);
  });

  it("refuses a site address that is not a URL, and a name already taken, saying what to change", async () => {
    const { page, tandem } = web;
    const before = (await tandem.store.connectors.list()).length;
    await page.goto(`${tandem.url}/connectors`);
    await fillConnector(page, { name: "No URL", siteUrl: "jira.example", login: "alice@sandbox.test", secret: "token" });
    // Sent as a browser without validation would: the API's answer is shown.
    await Promise.all([page.waitForEvent("load"), page.$eval("#add-connector", (form) => (form as HTMLFormElement).submit())]);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Jira URL: Give the Jira site's base URL, e\.g\. https:\/\/your-site\.atlassian\.net/);
    await web.shot("bad-url-refused");

    await fillConnector(page, { name: "Wrong token", siteUrl: tandem.demo!.sandbox.url, login: "alice@sandbox.test", secret: "token" });
    await Promise.all([page.waitForEvent("load"), page.click("button:has-text('Add connector')")]);
    assert.match((await page.textContent("[role=alert]")) ?? "", /A connector named 'Wrong token' already exists; pick another name/);
    assert.equal((await tandem.store.connectors.list()).length, before, "nothing was added");
  });

  it("names a bad email as the form does and keeps what was typed (never the token), so one fix adds the connector", async () => {
    const { page, tandem } = web;
    const before = (await tandem.store.connectors.list()).length;
    await page.goto(`${tandem.url}/connectors`);
    await fillConnector(page, { name: "Alice's sandbox", siteUrl: tandem.demo!.sandbox.url, mode: "cloud:api-token", login: "alice", secret: "alice-token" });
    await page.selectOption("#direction", "pull");
    await Promise.all([page.waitForEvent("load"), page.click("button:has-text('Add connector')")]);
    const said = (await page.textContent("[role=alert]")) ?? "";
    assert.match(said, /Email: not a valid email address — use the email you sign in to Atlassian with/);
    assert.doesNotMatch(said, /credentials\.email|Invalid email address/, "the person's words, not the API's field path");
    assert.deepEqual(
      [await page.inputValue("#name"), await page.inputValue("#siteUrl"), await page.inputValue("#mode"), await page.inputValue("#login"), await page.inputValue("#direction")],
      ["Alice's sandbox", tandem.demo!.sandbox.url, "cloud:api-token", "alice", "pull"],
      "what was typed is still there",
    );
    assert.equal(await page.inputValue("#secret"), "", "the token is not sent back");
    assert.doesNotMatch(await page.content(), /alice-token/);
    assert.equal((await tandem.store.connectors.list()).length, before, "nothing was added");
    await web.shot("bad-email-kept-form");

    await page.fill("#login", "alice@sandbox.test");
    await page.fill("#secret", "alice-token");
    await page.click("button:has-text('Add connector')");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Added 'Alice's sandbox'/);
    const added = (await tandem.store.connectors.list()).find((connector) => connector.name === "Alice's sandbox")!;
    assert.equal(added.defaultSyncOptions.direction, "pull");
    await page.click("#disconnect-link");
    await page.click("#confirm-disconnect");
    await page.waitForURL(/\/connectors\?notice=/);
  });

  it("refuses the person's own Jira authorization with wrong credentials, then accepts the right ones", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/connectors`);
    await page.click("a:has-text('Sandbox Jira (demo)')");
    assert.match((await page.textContent("#identity-state")) ?? "", /You have not authorized Tandem with your own Jira account/);
    await page.fill("#my-login", "alice@sandbox.test");
    await page.fill("#my-secret", "not-her-token");
    await page.click("#authorize-me");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Jira did not accept these credentials: .*API token/);
    await web.shot("own-authorization-refused");
    await page.fill("#my-login", "alice@sandbox.test");
    await page.fill("#my-secret", "alice-token");
    await page.click("#authorize-me");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("#identity-state")) ?? "", /Authorized as Alice Martin alice@sandbox\.test/);
    await page.click("#forget-me");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("#identity-state")) ?? "", /You have not authorized/);
  });

  it("is usable with the keyboard alone: Tab reaches a connector's Connect & Test, Enter runs it", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/connectors`);
    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") === "Connect & Test Wrong token");
    }
    assert.ok(reached, "Tab reaches the button");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#connect-test$/);
    assert.equal((await page.textContent("h1"))?.trim(), "Wrong token");
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Failed");
  });

  it("says how to start when nothing is connected any more", async () => {
    const { page, tandem } = web;
    for (const name of ["Wrong token", "Sandbox Jira (demo)"]) {
      await page.goto(`${tandem.url}/connectors`);
      await page.click(`a:has-text('${name}')`);
      await page.click("#disconnect-link");
      await page.click("#confirm-disconnect");
      await page.waitForURL(/\/connectors\?notice=/);
    }
    assert.match((await page.textContent("[role=status]")) ?? "", /Disconnected 'Sandbox Jira \(demo\)'; 1 project lost its Jira association/);
    assert.match((await page.textContent("#no-connectors")) ?? "", /No connector yet\. Add one below: give the Jira site's URL and how Tandem signs in, then press Connect & Test/);
    await web.shot("no-connectors");
    await page.goto(`${tandem.url}/projects/REL/mappings`);
    assert.match((await page.textContent("#mappings-empty")) ?? "", /not connected to Jira yet\. Associate it with a connector first/);
    await page.goto(`${tandem.url}/projects/REL/realtime`);
    assert.match((await page.textContent("main")) ?? "", /not connected to Jira yet: associate it with a connector first/);
    assert.equal(await page.isVisible("#sync-now"), false);
  });
});
