// Workflow 5 (roadmap) in Chromium, against a Data Center sandbox Jira: add a connector with a personal access
// token, Connect & Test, associate a project, a type-mismatched field mapping shown inline and refused on save,
// a matching one saved, many Jira statuses onto one Tandem status, the roadmap preset and its value map, default
// sync options, people matched by email and overridden, rename and rotate credentials keeping the mappings, and
// disconnect after a confirmation that names what goes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server.ts";
import { assertAccessible } from "../support/a11y.ts";
import { until } from "../support/until.ts";
import { ADMIN, browserSkip, useBrowserTandem } from "../support/browser.ts";

describe("workflow 5 (roadmap) in the browser: a Data Center connector and typed mappings", { skip: browserSkip, timeout: 240_000 }, () => {
  const web = useBrowserTandem("workflow-roadmap");
  let dc: RunningSandbox;
  const mappingsOf = async () => {
    const project = (await web.tandem.store.projects.byId("RD"))!;
    return (await web.tandem.store.projects.mappings(project.id)).map(({ id: _id, ...rest }) => rest);
  };

  before(async () => {
    dc = await startSandbox({ port: 0, seed: "demo", flavour: "dc" });
    await web.tandem.store.users.create({ email: "alice@sandbox.test", name: "Alice", role: "member", password: "alice-password-123" });
    await web.tandem.store.users.create({ email: "carol.diaz@tandem.test", name: "Carol", role: "member", password: "carol-password-123" });
  });
  after(async () => {
    await dc?.close();
  });

  it("adds a Data Center connector with a personal access token and passes Connect & Test", async () => {
    const { page } = web;
    await web.signIn(ADMIN);
    await page.goto(`${web.tandem.url}/connectors`);
    await assertAccessible(page, "connectors");
    await page.fill("#name", "Roadmap DC");
    await page.fill("#siteUrl", dc.url);
    await page.selectOption("#mode", "dc:pat");
    assert.equal(await page.isVisible("#login"), false, "a personal access token needs no username");
    assert.equal(await page.isVisible("#clientId"), false);
    await page.fill("#secret", "alice-pat");
    await web.shot("add-dc-connector");
    await page.click("button:has-text('Add connector')");
    await page.waitForURL(/\/connectors\/[^/?]+\?notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Added 'Roadmap DC'/);
    await page.click("#connect-test-button");
    await page.waitForURL(/#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    assert.match((await page.textContent("#connect-test")) ?? "", /Alice Martin/);
    await assertAccessible(page, "connector page");
    await web.shot("dc-connect-test-passed");
  });

  it("associates a project and shows a type-mismatched mapping where it is made, then refuses it on save", async () => {
    const { page } = web;
    await page.goto(`${web.tandem.url}/projects`);
    await page.fill("#key", "RD");
    await page.fill("#pname", "Roadmap");
    await page.click("button:has-text('Add project')");
    await page.waitForURL(/\/projects\/RD/);
    await page.selectOption("#connector", { label: "Roadmap DC" });
    await page.fill("#jiraProjects", "ROAD");
    await page.click("#save-jira");
    assert.match((await page.textContent("[role=status]")) ?? "", /Jira integration saved/);
    await page.click("#open-mappings");
    await page.waitForURL(/\/projects\/RD\/mappings/);
    assert.match((await page.textContent("#no-mappings")) ?? "", /Add one below, or apply a preset/);

    // Title is text; Story point estimate is a number: a copy cannot join them, and the page says so before saving.
    await page.selectOption("#tandemField", "title");
    await page.selectOption("#jiraField", { label: "Story point estimate (number)" });
    await page.selectOption("#transform", "copy");
    await until("the inline mismatch", async () => /cannot/i.test((await page.textContent("#mapping-check")) ?? ""));
    const message = (await page.textContent("#mapping-check")) ?? "";
    assert.match(message, /Title.*text/);
    assert.match(message, /Story point estimate.*number/);
    assert.equal(await page.isDisabled("#save-mapping"), true, "the add button is off while the types do not fit");
    await assertAccessible(page, "mappings page");
    await web.shot("mapping-mismatch-inline");

    // Sent anyway (as a browser without the script would): the API refuses it and nothing is saved.
    await page.$eval("#add-mapping", (form) => (form as HTMLFormElement).submit());
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Not saved: .*Story point estimate/);
    assert.deepEqual(await mappingsOf(), []);
    await web.shot("mapping-mismatch-refused");

    await page.selectOption("#tandemField", "title");
    await page.selectOption("#jiraField", { label: "Summary (string)" });
    await page.selectOption("#mapping-direction", "both");
    await page.selectOption("#transform", "copy");
    await until("the fit", async () => /These types fit/.test((await page.textContent("#mapping-check")) ?? ""));
    await page.click("#save-mapping");
    await page.waitForURL(/notice=/);
    assert.ok(await page.isVisible("#mappings tr[data-mapping='title']"));
    assert.deepEqual(await mappingsOf(), [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }]);
  });

  it("maps many Jira statuses onto one Tandem status, picked from lists", async () => {
    const { page } = web;
    await page.selectOption("select[aria-label='Tandem status for Jira status In Progress']", "Started");
    await page.selectOption("select[aria-label='Tandem status for Jira status In Review']", "Started");
    await page.selectOption("select[aria-label='Tandem status for Jira status Blocked']", "Started");
    await page.selectOption("select[aria-label='Tandem status for Jira status Backlog']", "Not Started");
    await page.click("#save-statuses");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /4 Jira statuses mapped by name/);
    const status = (await mappingsOf()).find((mapping) => mapping.transform.kind === "status");
    assert.deepEqual(status, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status", byStatus: { "In Progress": "Started", "In Review": "Started", Blocked: "Started", Backlog: "Not Started" } } });
    assert.equal(await page.$eval("select[aria-label='Tandem status for Jira status In Review']", (select) => (select as HTMLSelectElement).value), "Started", "the page shows what is saved");
    await web.shot("statuses-many-to-one");
  });

  it("applies the roadmap preset and edits its priority value map, refusing a line it cannot read", async () => {
    const { page } = web;
    await page.selectOption("#preset-name", "roadmap");
    await page.click("#apply-preset");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /8 mappings saved from the roadmap preset/);
    const editor = "textarea[id^='vm-']";
    assert.equal(await page.inputValue(editor), "Highest = Critical\nHigh = High\nMedium = Medium\nLow = Low\nLowest = Trivial\n");
    await page.fill(editor, "Highest = Critical\nHigh = Critical\nMedium = Normal\nLow = Low\nLowest = Low");
    await page.click("#value-maps button:has-text('Save value map')");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Value map saved/);
    const importance = (await mappingsOf()).find((mapping) => mapping.tandemField === "importance")!;
    assert.deepEqual(importance.transform, { kind: "valueMap", map: { Highest: "Critical", High: "Critical", Medium: "Normal", Low: "Low", Lowest: "Low" } });
    await web.shot("value-map");
    await page.fill(editor, "Highest Critical");
    await page.click("#value-maps button:has-text('Save value map')");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Could not read 'Highest Critical': write one pair per line as Jira value = Tandem value/);
    assert.deepEqual((await mappingsOf()).find((mapping) => mapping.tandemField === "importance")!.transform, importance.transform, "nothing half-saved");
  });

  it("maps Jira's issue types onto Tandem levels, refusing a level it cannot use", async () => {
    const { page } = web;
    const story = "input[aria-label='Tandem level for Jira issue type Story']";
    assert.equal(await page.getAttribute(story, "placeholder"), "story", "by Jira's hierarchy until named");
    await page.fill(story, "Feature");
    await page.fill("input[aria-label='Tandem level for Jira issue type Epic']", "theme");
    await page.click("#save-hierarchy");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Levels saved: 2 issue types named, the rest by Jira's hierarchy/);
    assert.deepEqual((await web.tandem.store.projects.byId("RD"))!.hierarchy, { Story: "feature", Epic: "theme" });
    assert.equal(await page.inputValue(story), "feature", "the page shows what is saved");
    await page.fill(story, "not a level!");
    await page.click("#save-hierarchy");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Levels not saved: .*A level is a short lowercase name/);
    assert.deepEqual((await web.tandem.store.projects.byId("RD"))!.hierarchy, { Story: "feature", Epic: "theme" }, "nothing half-saved");
    await web.shot("hierarchy-levels");
  });

  it("renames the connector and rotates its credentials, keeping the mappings", async () => {
    const { page } = web;
    const before = await mappingsOf();
    assert.equal(before.length, 8);
    await page.goto(`${web.tandem.url}/connectors`);
    await page.click("a:has-text('Roadmap DC')");
    await page.fill("#rename", "Roadmap Data Center");
    await page.click("#rename-button");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Renamed to 'Roadmap Data Center'/);
    assert.equal((await page.textContent("h1"))?.trim(), "Roadmap Data Center");

    await page.selectOption("#rotate-mode", "dc:password");
    await page.fill("#rotate-login", "alice");
    await page.fill("#rotate-secret", "alice-password");
    await page.click("#rotate-button");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Credentials rotated; projects and mappings are kept/);
    await page.click("#connect-test-button");
    await page.waitForURL(/#connect-test$/);
    assert.equal((await page.textContent("#test-result strong"))?.trim(), "Passed");
    assert.match((await page.textContent("main")) ?? "", /username \+ password/);
    assert.deepEqual(await mappingsOf(), before, "rename and rotation keep every mapping");
    const project = (await web.tandem.store.projects.byId("RD"))!;
    assert.equal((await web.tandem.store.connectors.byId(project.connectorId!))?.name, "Roadmap Data Center");
    await web.shot("renamed-and-rotated");
  });

  it("saves default sync options, refusing a line it cannot read", async () => {
    const { page } = web;
    await page.selectOption("#default-direction", "pull");
    await page.fill("#field-directions", "points = pull\ntitle: both");
    await page.click("#save-sync-options");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Default sync options saved/);
    const connector = (await web.tandem.store.connectors.byName("Roadmap Data Center"))!;
    assert.deepEqual(connector.defaultSyncOptions, { direction: "pull", fields: { points: "pull", title: "both" } });
    assert.equal(await page.inputValue("#field-directions"), "points = pull\ntitle = both\n");
    await page.fill("#field-directions", "points pulls please");
    await page.click("#save-sync-options");
    await page.waitForURL(/error=/);
    assert.match((await page.textContent("[role=alert]")) ?? "", /Could not read 'points pulls please': write one field per line as field = pull/);
    assert.deepEqual((await web.tandem.store.connectors.byName("Roadmap Data Center"))!.defaultSyncOptions.fields, { points: "pull", title: "both" });
  });

  it("keeps manual people overrides, starting from an empty state that says how matching works", async () => {
    const { page } = web;
    await page.click("a:has-text('People')");
    await page.waitForURL(/\/people$/);
    assert.match((await page.textContent("#no-overrides")) ?? "", /every person is matched by email/);
    // Alice has the same email in Tandem and Jira; Carol's differ, so she needs an override.
    assert.match((await page.textContent("tr[data-email='alice@sandbox.test']")) ?? "", /Alice Martin\s*alice\s*the email match/);
    assert.match((await page.textContent("tr[data-email='carol.diaz@tandem.test']")) ?? "", /no Jira account with this email\s*nobody — add an override/);
    await assertAccessible(page, "people page");
    await page.fill("#jiraUser", "carol");
    await page.fill("#personEmail", "Carol.Diaz@Tandem.Test");
    await page.click("#add-override");
    await page.waitForURL(/notice=/);
    assert.match((await page.textContent("#overrides")) ?? "", /carol\s*carol\.diaz@tandem\.test/);
    assert.match((await page.textContent("tr[data-email='carol.diaz@tandem.test']")) ?? "", /override: carol/);
    const connector = (await web.tandem.store.connectors.byName("Roadmap Data Center"))!;
    assert.deepEqual(await web.tandem.store.connectors.personOverrides(connector.id), [{ jiraUser: "carol", email: "carol.diaz@tandem.test" }]);
    await web.shot("people-overrides");
    await page.click("a:has-text('Back to Roadmap Data Center')");
  });

  it("disconnects after a confirmation that says which projects lose their association", async () => {
    const { page } = web;
    await page.click("#disconnect-link");
    await page.waitForURL(/\/disconnect$/);
    await assertAccessible(page, "disconnect confirmation");
    assert.match((await page.textContent("#disconnect-what")) ?? "", /1 project will lose its Jira association: RD\./);
    await web.shot("disconnect-confirmation");
    await page.click("#confirm-disconnect");
    await page.waitForURL(/\/connectors\?notice=/);
    assert.match((await page.textContent("[role=status]")) ?? "", /Disconnected 'Roadmap Data Center'; 1 project lost its Jira association/);
    assert.equal(await page.isVisible("tr[data-connector='Roadmap Data Center']"), false);
    assert.equal((await web.tandem.store.projects.byId("RD"))!.connectorId, null);
    await web.shot("disconnected");
  });
});
