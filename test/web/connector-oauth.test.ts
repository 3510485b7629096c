// Jira Cloud OAuth 2.0 in Chromium against the demo's sandbox (which emulates Atlassian's authorization server):
// add an OAuth connector, "Authorize with Atlassian" round trip back to the connector page, Connect & Test with the
// granted token, and a person's own authorization by OAuth with its state.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN, browserSkip, useBrowserTandem } from "../support/browser.ts";

describe("Cloud OAuth connectors in the browser", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("connector-oauth");

  it("adds an OAuth connector and authorizes it with Atlassian, coming back to its page", async () => {
    const { page, tandem } = web;
    const sandbox = tandem.demo!.sandbox;
    // The person who consents on Atlassian's screen (the sandbox has no sign-in page of its own).
    sandbox.oauth.consentingAccountId = sandbox.state.findUser("alice@sandbox.test")!.accountId;
    await web.signIn(ADMIN);
    await page.goto(`${tandem.url}/connectors`);
    await page.fill("#name", "Cloud OAuth");
    await page.fill("#siteUrl", sandbox.url);
    await page.selectOption("#mode", "cloud:oauth");
    assert.equal(await page.isVisible("#secret"), false, "OAuth asks for no token");
    await page.fill("#clientId", "sandbox-client-id");
    await page.fill("#clientSecret", "sandbox-client-secret");
    await page.fill("#oauthBaseUrl", sandbox.url);
    await web.shot("add-oauth-connector");
    await page.click("button:has-text('Add connector')");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Now press Authorize with Atlassian/);
    assert.match((await page.textContent("main")) ?? "", /not authorized yet/);

    await page.click("#authorize-connector");
    await page.waitForURL(/\/connectors\/Cloud%20OAuth\?notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", new RegExp(`The connector is authorized for ${sandbox.url.replace(/[.:/]/g, "\\$&")}.* as alice@sandbox\\.test`));
    // The site picker lists what the authorization reaches, the connector's site checked.
    const siteLabel = `${sandbox.state.site.title.toLowerCase().replace(/\s+/g, "-")} — ${sandbox.url} (in use)`;
    assert.equal((await page.textContent(`label[for='site-${sandbox.state.site.cloudId}']`))?.trim(), siteLabel);
    assert.equal(await page.isChecked(`#site-${sandbox.state.site.cloudId}`), true);
    await page.click("#use-site");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", new RegExp(`The connector now uses ${sandbox.url.replace(/[.:/]/g, "\\$&")}`));
    await page.click("#connect-test-button");
    await page.waitForURL(/#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    assert.match((await page.textContent("#connect-test")) ?? "", /Alice Martin/);
    await web.shot("oauth-authorized-and-tested");
  });

  it("authorizes the person's own Jira account by OAuth and shows its state", async () => {
    const { page, tandem } = web;
    const sandbox = tandem.demo!.sandbox;
    sandbox.oauth.consentingAccountId = sandbox.state.findUser("bob@sandbox.test")!.accountId;
    assert.match((await page.textContent("#identity-state")) ?? "", /You have not authorized/);
    await page.click("#authorize-me");
    await page.waitForURL(/\?notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Your own Jira account is authorized .* as bob@sandbox\.test/);
    assert.match((await page.textContent("#identity-state")) ?? "", /Authorized as bob@sandbox\.test \(OAuth 2\.0\)/);
    assert.equal((await page.textContent("#authorize-me"))?.trim(), "Authorize again");
    await web.shot("own-oauth-authorized");
  });

  it("shows an expired authorization that cannot renew itself, and authorizes again from the button", async () => {
    const { page, tandem } = web;
    const connector = (await tandem.store.connectors.byName("Cloud OAuth"))!;
    const admin = (await tandem.store.users.byEmail(ADMIN.email))!;
    const identity = (await tandem.store.connectors.identity(connector.id, admin.id))!;
    assert.equal(identity.credentials.mode, "oauth");
    // An access token past its expiry and no refresh token (offline access not granted): only a person can renew it.
    await tandem.store.connectors.setIdentity(connector.id, admin.id, "oauth", { ...identity.credentials, mode: "oauth", refreshToken: null, expiresAt: Date.now() - 60_000 } as typeof identity.credentials, identity.account);
    await page.reload();
    assert.match((await page.textContent("#identity-state")) ?? "", /Your authorization has expired: authorize again below/);
    await web.shot("own-oauth-expired");
    await page.click("#authorize-me");
    await page.waitForURL(/\?notice=/);
    assert.match((await page.textContent("#identity-state")) ?? "", /Authorized as bob@sandbox\.test/);
  });

  it("tells the person in words when the authorization link is stale", async () => {
    const { page, tandem } = web;
    await page.goto(`${tandem.url}/api/v1/oauth/callback?code=x&state=unknown-state`);
    await page.waitForURL(/\/connectors\?error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /This authorization link is unknown, used or older than 15 minutes: start the authorization again/);
  });
});
