// A real Chromium (Debian's, driven by playwright-core) against a fresh `tandem serve --demo` with its sandbox
// Jira, for the web app's tests. Any console error or uncaught page error fails the suite in `after`;
// screenshots go to artifacts/screenshots/<suite>/ (the folder the README names).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { serve, type RunningTandem } from "../../src/server/server.ts";

export const CHROMIUM = "/usr/bin/chromium";
/** `describe(..., { skip: browserSkip })`: skipped, with how to run it, where Chromium is absent; CI installs it. */
export const browserSkip: string | false = existsSync(CHROMIUM)
  ? false
  : "Debian's chromium is not installed: run `apt-get install chromium` (.ci/run does this) to run the browser tests";
export const ARTIFACTS = join(process.cwd(), "artifacts", "screenshots");

export const ADMIN = { email: "admin@tandem.test", password: "admin-password-123" };
export const MEMBER = { email: "member@tandem.test", password: "member-password-123" };
export const GUEST = { email: "guest@tandem.test", password: "guest-password-123" };

export interface BrowserTandem {
  tandem: RunningTandem;
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far (the suite fails in `after` if any). */
  consoleErrors: string[];
  signIn(who: { email: string; password: string }): Promise<void>;
  signOut(): Promise<void>;
  /** Saves artifacts/screenshots/<suite>/<name>.png. */
  shot(name: string): Promise<void>;
}

/**
 * Call inside a `describe`: starts Tandem (demo + sandbox) and Chromium before, closes both after. The first admin
 * is ADMIN unless `env` says otherwise (`env: {}` leaves the demo its own public admin, as `npm start` has it).
 */
export function useBrowserTandem(suite: string, options: { allowConsoleErrors?: RegExp; env?: NodeJS.ProcessEnv } = {}): BrowserTandem {
  const state = { consoleErrors: [] as string[] } as BrowserTandem;
  let dataDir = "";
  let profile = "";
  const folder = join(ARTIFACTS, suite);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tandem-web-"));
    profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
    mkdirSync(folder, { recursive: true });
    state.tandem = await serve({ port: 0, dataDir, demo: true, sandboxPort: 0, env: options.env ?? { TANDEM_ADMIN_EMAIL: ADMIN.email, TANDEM_ADMIN_PASSWORD: ADMIN.password } });
    await state.tandem.store.users.create({ email: MEMBER.email, name: "Member", role: "member", password: MEMBER.password });
    await state.tandem.store.users.create({ email: GUEST.email, name: "Guest", role: "guest", password: GUEST.password });
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    state.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    state.page = state.context.pages()[0] ?? (await state.context.newPage());
    state.page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (options.allowConsoleErrors?.test(text)) return;
      state.consoleErrors.push(text);
    });
    state.page.on("pageerror", (error) => state.consoleErrors.push(String(error)));
  });

  after(async () => {
    await state.context?.close();
    await state.tandem?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
    assert.deepEqual(state.consoleErrors, [], "the pages logged no console errors");
  });

  state.signIn = async (who) => {
    await state.page.goto(`${state.tandem.url}/login`);
    await state.page.fill("#email", who.email);
    await state.page.fill("#password", who.password);
    await state.page.click("button:has-text('Sign in')");
    await state.page.waitForURL(/\/projects$/);
  };
  state.signOut = async () => {
    await state.page.context().clearCookies();
  };
  state.shot = async (name) => {
    await state.page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
  };
  return state;
}
