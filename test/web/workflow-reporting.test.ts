// Workflow 4 (reporting, seed 003) in Chromium against `tandem serve --demo`: from the demo connector's page, make
// Tandem projects from the ROAD Jira project, one per Epic, read-only; the made projects with their item counts,
// and a second run reusing them; a made project's items (the Epic's children, with Jira's statuses pulled by the
// reporting preset), no Push offered, the people page with a manual override, the Reports page's effort chart
// counting the override, its catch-up schedule and "sync now"; then one project per value of the demo's
// "Product Area" field, after a field that does not exist is refused with what to do; a guest is not offered it.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { assertAccessible } from "../support/a11y.ts";
import { browserSkip, GUEST, MEMBER, useBrowserTandem } from "../support/browser.ts";
import { until } from "../support/until.ts";

const TANDEM_STATUS: Record<string, string> = { new: "Not Started", indeterminate: "Started", done: "Completed" };

describe("workflow 4 (reporting) in the browser: Tandem projects made from Jira", { skip: browserSkip, timeout: 300_000 }, () => {
  const web = useBrowserTandem("workflow-reporting");
  const sandbox = () => web.tandem.demo!.sandbox.state;
  const road = () => [...sandbox().projects.values()].find((project) => project.key === "ROAD")!;
  const open = (issue: { statusId: string }) => sandbox().statuses.get(issue.statusId)!.category !== "done";
  const connectorId = async () => (await web.tandem.store.connectors.byName("Sandbox Jira (demo)"))!.id;
  /** The Epics of ROAD and their open children, counted from the sandbox's own data. */
  const epics = () => {
    const issues = [...sandbox().issues.values()];
    return issues
      .filter((issue) => issue.projectId === road().id && sandbox().issueTypeOf(issue).name === "Epic")
      .map((epic) => ({ epic, children: issues.filter((issue) => issue.parentId === epic.id && open(issue)) }));
  };
  const madeRows = async () =>
    web.page.$$eval("#made-projects tbody tr", (rows) => rows.map((row) => ({
      key: row.getAttribute("data-project"),
      name: row.querySelector(".name")!.textContent!.trim(),
      made: row.querySelector(".made")!.textContent!.trim(),
      items: Number(row.querySelector(".item-count")!.textContent),
      fields: row.querySelector(".fields")!.textContent!.trim(),
    })));

  before(async () => {
    // A Tandem person whose email is also a Jira account's: matched by email, with no override.
    await web.tandem.store.users.create({ email: "alice@sandbox.test", name: "Alice", role: "member", password: "alice-password-123" });
  });

  it("makes one read-only project per Epic of ROAD from the connector's page, then reuses them", async () => {
    const { page, tandem } = web;
    await web.signIn(MEMBER);
    await page.goto(`${tandem.url}/connectors`);
    await page.click("a:has-text('Sandbox Jira (demo)')");
    await page.click("#make-projects-link");
    await page.waitForURL(/\/connectors\/[^/]+\/make-projects$/);
    assert.equal(await page.textContent("h1"), "Make Tandem projects from Jira");
    // The connector's browsable Jira projects as checkboxes; read-only Pull is the default, and says it never writes.
    for (const key of ["SCHED", "ROAD", "BOARD"]) assert.equal(await page.locator(`#jp-${key}`).count(), 1, `${key} offered`);
    assert.equal(await page.inputValue("#direction"), "pull");
    assert.match((await page.textContent("#direction-hint")) ?? "", /Read-only never writes to Jira/);
    assert.equal(await page.isChecked("#includeDone"), false, "closed issues are left out unless asked");
    assert.ok(await page.locator("#site-fields option[value='Product Area']").count(), "the field picker lists the site's custom fields");
    await assertAccessible(page, "make projects page");
    await web.shot("make-projects-form");

    // By keyboard: tick ROAD, choose "one per Epic", submit.
    await page.focus("#jp-ROAD");
    await page.keyboard.press("Space");
    await page.focus("#by-epic");
    await page.keyboard.press("Space");
    assert.equal(await page.isChecked("#jp-ROAD"), true);
    assert.equal(await page.isChecked("#by-epic"), true);
    await web.shot("make-projects-per-epic");
    await page.focus("#make-projects");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#made-projects");
    assert.equal(await page.textContent("h1"), "Projects made from Jira");

    const expected = epics();
    assert.ok(expected.length >= 2, "the demo's ROAD has Epics");
    const rows = await madeRows();
    assert.deepEqual(rows.map((row) => row.name).sort(), expected.map(({ epic }) => epic.summary).sort());
    for (const { epic, children } of expected) {
      const row = rows.find((candidate) => candidate.name === epic.summary)!;
      assert.equal(row.made, "new", `${epic.key} made a new project`);
      assert.equal(row.items, children.length, `${epic.key}: its open children became items`);
      assert.match(row.fields, /reporting fields mapped and pulled/);
      const project = (await tandem.store.projects.byId(row.key!))!;
      assert.equal(project.direction, "pull", "read-only");
      assert.deepEqual(project.jiraProjects, ["ROAD"]);
      // The daily catch-up is scheduled for the new project (the API schedules the projects it makes).
      assert.ok(tandem.scheduler.nextRun(project.id), `${row.key} has its catch-up scheduled`);
    }
    assert.match((await page.textContent("#made-summary")) ?? "", new RegExp(`${expected.length} new projects · 0 already existed`));
    assert.match((await page.textContent("#made-result")) ?? "", /Tandem never writes to their Jira/);
    await assertAccessible(page, "projects made");
    await web.shot("made-per-epic");

    // Again: idempotent, the same projects and items reused.
    await page.click("#run-again");
    await page.waitForSelector("#made-projects");
    const again = await madeRows();
    assert.deepEqual(again.map((row) => [row.key, row.made, row.items]).sort(), rows.map((row) => [row.key, "already existed", row.items]).sort());
    assert.match((await page.textContent("#made-summary")) ?? "", new RegExp(`0 new projects · ${expected.length} already existed`));
    await web.shot("made-again-reused");
  });

  it("opens a made project: its items are the Epic's children with Jira's statuses, and it offers no Push", async () => {
    const { page, tandem } = web;
    const { epic, children } = epics().find(({ epic }) => epic.summary === "Payments hardening")!;
    const row = page.locator("#made-projects tbody tr", { hasText: "Payments hardening" });
    const key = (await row.getAttribute("data-project"))!;
    await row.locator("a.project-link").click();
    await page.waitForURL(new RegExp(`/projects/${key}$`));
    assert.match((await page.textContent("h1")) ?? "", new RegExp(`${key} · ${epic.summary}`));
    const items = await page.$$eval("#items tbody tr", (trs) => trs.map((tr) => ({ jira: tr.querySelector(".jira")!.textContent!.replace("↗", "").trim(), title: tr.querySelector(".title")!.textContent!.trim(), status: tr.querySelector(".status")!.textContent!.trim() })));
    assert.deepEqual(items.map((item) => item.jira).sort(), children.map((child) => child.key).sort(), "the Epic's open children, linked");
    for (const child of children) {
      const item = items.find((candidate) => candidate.jira === child.key)!;
      assert.equal(item.title, child.summary);
      assert.equal(item.status, TANDEM_STATUS[sandbox().statuses.get(child.statusId)!.category], `${child.key}'s status pulled from Jira`);
    }
    // Read-only: Pull is there, Push is not, and the page says Tandem never writes to Jira.
    assert.equal(await page.locator("#pull").count(), 1);
    assert.equal(await page.locator("#push").count(), 0, "no Push on a read-only project");
    assert.equal(await page.locator("#push-dry").count(), 0, "no Push dry run either");
    assert.equal(await page.locator("#bulk-create").count(), 0, "no Create in Jira");
    assert.match((await page.textContent("#read-only-note")) ?? "", /never writes to its Jira/);
    await assertAccessible(page, "made project");
    await web.shot("made-project");
    assert.ok(await tandem.store.projects.byId(key));
  });

  it("reaches the people page from the project and overrides a person, which the effort report then uses", async () => {
    const { page, tandem } = web;
    const project = (await tandem.store.projects.list()).find((candidate) => candidate.name === "Payments hardening")!;
    await page.goto(`${tandem.url}/projects/${project.key}`);
    await page.click("#open-people");
    await page.waitForURL(new RegExp(`/connectors/${await connectorId()}/people$`));
    assert.match((await page.textContent("main")) ?? "", /matched to Tandem people by email address automatically/);
    assert.match((await page.textContent("#matches tr[data-email='alice@sandbox.test']")) ?? "", /Alice.*the email match/s, "matched by email");
    assert.match((await page.textContent(`#matches tr[data-email='${MEMBER.email}']`)) ?? "", /no Jira account with this email/);
    // Dave works on the payments epic; his work counts for the member from now on.
    const dave = [...sandbox().users.values()].find((user) => user.email === "dave@sandbox.test")!;
    await page.fill("#jiraUser", dave.accountId);
    await page.fill("#personEmail", MEMBER.email);
    await page.click("#add-override");
    assert.match((await page.textContent("[role=status]")) ?? "", new RegExp(`${dave.accountId} is now ${MEMBER.email}`));
    assert.match((await page.textContent("#overrides")) ?? "", new RegExp(MEMBER.email));
    await assertAccessible(page, "people page");
    await web.shot("people-override");

    await page.goto(`${tandem.url}/projects/${project.key}`);
    await page.click("#reports-link");
    await page.waitForURL(new RegExp(`/projects/${project.key}/reports$`));
    await page.waitForSelector("body[data-charts-ready=true]", { timeout: 60_000 });
    const drawn = await page.$eval("#chart-effort", (canvas) => {
      const element = canvas as HTMLCanvasElement;
      const pixels = element.getContext("2d")!.getImageData(0, 0, element.width, element.height).data;
      let painted = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted += 1;
      return { width: element.width, painted };
    });
    assert.ok(drawn.width > 0 && drawn.painted > 100, `effort chart drawn: ${JSON.stringify(drawn)}`);
    assert.doesNotMatch((await page.textContent("main")) ?? "", /is not connected/);
    assert.ok((await page.locator("#effort-table tbody tr").count()) > 0, "effort rows");
    const people = await page.$$eval("#effort-table tbody tr td:nth-child(2)", (cells) => [...new Set(cells.map((cell) => cell.textContent!.trim()))]);
    assert.ok(people.some((person) => person.includes(MEMBER.email)), `Dave's effort is the member's through the override: ${people.join(", ")}`);
    assert.ok(people.some((person) => person.includes("alice@sandbox.test")), `Alice's effort is hers by email: ${people.join(", ")}`);
    assert.ok(!people.some((person) => person.includes("dave@sandbox.test")), "the override wins over Dave's email");
    await page.click("#effort-report summary");
    await web.shot("made-project-reports");
  });

  it("shows the made project's catch-up schedule and syncs now from its real-time page", async () => {
    const { page, tandem } = web;
    const project = (await tandem.store.projects.list()).find((candidate) => candidate.name === "Payments hardening")!;
    await page.goto(`${tandem.url}/projects/${project.key}`);
    await page.click("#open-realtime");
    await page.waitForURL(new RegExp(`/projects/${project.key}/realtime$`));
    assert.equal(await page.textContent("#catch-up-cron"), project.catchUpCron);
    assert.match((await page.textContent("#last-catch-up")) ?? "", /never/);
    await web.shot("made-project-realtime");
    await page.click("#sync-now");
    await page.waitForURL((url) => /\/runs\//.test(url.pathname) || url.searchParams.has("notice"));
    if (/\/runs\//.test(new URL(page.url()).pathname)) assert.match((await page.textContent("#run-status")) ?? "", /succeeded/);
    else assert.match((await page.textContent("[role=status]")) ?? "", /Synced: nothing changed in Jira/);
    await until("the catch-up recorded", async () => (await tandem.store.projects.byId(project.id))!.lastCatchUpAt);
    await page.goto(`${tandem.url}/projects/${project.key}/realtime`);
    assert.doesNotMatch((await page.textContent("#last-catch-up")) ?? "", /never/);
    await web.shot("made-project-synced");
  });

  it("makes one project per value of the Product Area field, after a field that does not exist is refused", async () => {
    const { page, tandem } = web;
    // From the projects list this time: the "add project" area offers it.
    await page.goto(`${tandem.url}/projects`);
    await page.click("#make-projects-from-jira");
    await page.waitForURL(/\/make-projects$/);
    await page.check("#jp-ROAD");
    await page.check("#by-field");
    await page.fill("#field", "Colour");
    await page.click("#make-projects");
    await page.waitForSelector("#make-refused");
    const refused = (await page.textContent("#make-refused")) ?? "";
    assert.match(refused, /Nothing was made: No Jira field 'Colour' on this site\./);
    assert.match(refused, /Pick one of the site's custom fields/);
    assert.equal(await page.isChecked("#jp-ROAD"), true, "the choices are kept");
    assert.equal(await page.isChecked("#by-field"), true);
    assert.equal(await page.inputValue("#field"), "Colour");
    await web.shot("unknown-field-refused");

    await page.fill("#field", "Product area");
    await page.click("#make-projects");
    await page.waitForSelector("#made-projects");
    const field = [...sandbox().customFields.values()].find((candidate) => candidate.name === "Product Area")!;
    const byValue = new Map<string, number>();
    for (const issue of sandbox().issues.values()) {
      const optionId = issue.customFields[field.id];
      if (issue.projectId !== road().id || !open(issue) || typeof optionId !== "string") continue;
      const value = field.options.find((option) => option.id === optionId)!.value;
      byValue.set(value, (byValue.get(value) ?? 0) + 1);
    }
    assert.ok(byValue.size >= 2, "ROAD's issues have several product areas");
    const rows = await madeRows();
    assert.deepEqual(Object.fromEntries(rows.map((row) => [row.name, row.items])), Object.fromEntries(byValue));
    await web.shot("made-per-product-area");
    await page.goto(`${tandem.url}/projects`);
    const listed = await page.$$eval("#projects tbody tr td:nth-child(2)", (cells) => cells.map((cell) => cell.textContent!.trim()));
    for (const value of byValue.keys()) assert.ok(listed.includes(value), `a project named ${value} is listed`);
    await web.shot("projects-list");
  });

  it("does not offer it to a guest, and the API refuses a guest's request", async () => {
    const { page, tandem } = web;
    await web.signOut();
    await web.signIn(GUEST);
    const id = await connectorId();
    await page.goto(`${tandem.url}/connectors/${id}`);
    assert.equal(await page.locator("#make-projects-link").count(), 0);
    await page.goto(`${tandem.url}/projects`);
    assert.equal(await page.locator("#make-projects-from-jira").count(), 0);
    await page.goto(`${tandem.url}/connectors/${id}/make-projects`);
    assert.match((await page.textContent("[role=alert]")) ?? "", /ask a member or an admin/);
    // Posted anyway, as a browser without the page would: the API's refusal, and nothing made.
    const answer = await page.request.post(`${tandem.url}/connectors/${id}/make-projects`, { form: { jiraProjects: "BOARD", by: "jira-project", direction: "pull", preset: "0" }, maxRedirects: 0 });
    assert.equal(answer.status(), 303);
    assert.match(decodeURIComponent(answer.headers().location ?? ""), /error=.*(guest|role|member)/i);
    assert.equal(await tandem.store.projects.byId("BOARD"), undefined);
    await web.shot("guest-not-offered");
  });
});
