// The sign-in page of `tandem serve --demo` (as `npm start` runs it, with the demo's own public admin) says it is the
// demo and shows the demo admin's email and password, and signing in with what it shows works; a server without
// --demo says nothing of the kind.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { serve } from "../../src/server/server.ts";
import { ADMIN, browserSkip, useBrowserTandem } from "../support/browser.ts";

describe("the demo's sign-in page in the browser", { skip: browserSkip, timeout: 120_000 }, () => {
  const web = useBrowserTandem("demo-sign-in", { env: {} });

  it("says it is the demo, shows the demo admin, and signs in with what it shows", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/projects`);
    await page.waitForURL(/\/login$/);
    const note = page.locator("#demo-sign-in");
    assert.ok(await note.isVisible(), "the sign-in page says this is the demo");
    assert.match((await note.textContent()) ?? "", /This is the Tandem demo/);
    const email = (await page.textContent("#demo-email"))?.trim() ?? "";
    const password = (await page.textContent("#demo-password"))?.trim() ?? "";
    assert.deepEqual([email, password], ["admin@tandem.local", "tandem-demo-password"], "the README's demo credentials");
    await web.shot("sign-in-demo");
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("button:has-text('Sign in')");
    await page.waitForURL(/\/projects$/);
    assert.match((await page.textContent("header")) ?? "", /admin@tandem\.local/);
  });

  it("says nothing of a demo when the server runs without --demo", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tandem-no-demo-"));
    const plain = await serve({ port: 0, dataDir, env: { TANDEM_ADMIN_EMAIL: ADMIN.email, TANDEM_ADMIN_PASSWORD: "tandem-demo-password" } });
    try {
      await web.page.goto(`${plain.url}/login`);
      assert.ok(await web.page.isVisible("#email"), "the sign-in form is there");
      assert.equal(await web.page.locator("#demo-sign-in").count(), 0);
      const text = (await web.page.textContent("main")) ?? "";
      assert.doesNotMatch(text, /demo/i);
      assert.doesNotMatch(text, /tandem-demo-password|admin@tandem/, "no credential is shown, even one that equals the demo's");
    } finally {
      await plain.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
