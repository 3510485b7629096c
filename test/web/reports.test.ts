// The reports page in a real Chromium on the demo project: four charts drawn by chart.js (served by Tandem), each
// with its data table and a CSV link; a guest reads them too. Screenshots go to artifacts/screenshots/reports/.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN, browserSkip, GUEST, MEMBER, useBrowserTandem } from "../support/browser.ts";

describe("reports page in Chromium", { skip: browserSkip, timeout: 240_000 }, () => {
  const b = useBrowserTandem("reports");

  async function apiAsAdmin(method: string, path: string, body?: unknown) {
    const admin = (await b.tandem.store.users.byEmail(ADMIN.email))!;
    const { token } = await b.tandem.store.tokens.issue(admin.id, "api", "reports-test");
    const response = await fetch(`${b.tandem.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  it("draws effort, CapEx vs OpEx, the epic's burn-up and capacity with their tables", async () => {
    // A CapEx rule on an ordinary field (any field works) and a capacity for Bob.
    const saved = await apiAsAdmin("PUT", "/projects/REL/reports/settings", { capex: { field: "Priority", rule: { kind: "equals", value: "Highest" } }, capacity: { defaultPoints: 5, perPerson: { "bob@sandbox.test": 8 } } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await b.signIn(ADMIN);
    await b.page.goto(`${b.tandem.url}/projects/REL`);
    await b.page.click("#reports-link");
    await b.page.waitForURL(/\/projects\/REL\/reports$/);
    await b.page.waitForSelector("body[data-charts-ready=true]", { timeout: 60_000 });
    const effort = await apiAsAdmin("GET", "/projects/REL/reports/effort");
    const capex = await apiAsAdmin("GET", "/projects/REL/reports/capex");
    const rollup = await apiAsAdmin("GET", "/projects/REL/reports/rollup");
    const capacity = await apiAsAdmin("GET", "/projects/REL/reports/capacity");
    assert.ok(effort.body.totalHours > 0 && capex.body.totals.capex > 0 && capex.body.totals.opex > 0, "the demo has effort on both sides of the rule");
    const expectedRows = { effort: effort.body.weeks.length, capex: capex.body.weeks.length, rollup: rollup.body.burnup.points.length, capacity: capacity.body.sprints.length };
    for (const [kind, rows] of Object.entries(expectedRows)) {
      assert.ok(rows > 0, `${kind} has data`);
      // chart.js sized the canvas and drew on it.
      const drawn = await b.page.$eval(`#chart-${kind}`, (canvas) => {
        const element = canvas as HTMLCanvasElement;
        const pixels = element.getContext("2d")!.getImageData(0, 0, element.width, element.height).data;
        let painted = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted += 1;
        return { width: element.width, painted };
      });
      assert.ok(drawn.width > 0 && drawn.painted > 100, `${kind} chart drawn: ${JSON.stringify(drawn)}`);
      assert.equal(await b.page.locator(`#${kind}-table tbody tr`).count(), rows, `${kind} table rows`);
      assert.match((await b.page.getAttribute(`#${kind}-report a[download]`, "href")) ?? "", new RegExp(`/reports/${kind}\\?format=csv`));
    }
    await b.shot("reports");
    for (const kind of Object.keys(expectedRows)) {
      await b.page.click(`#${kind}-report summary`);
    }
    await b.shot("reports-with-tables");
    const csv = await b.page.evaluate(async (href) => (await fetch(href)).text(), (await b.page.getAttribute("#capex-report a[download]", "href"))!);
    assert.match(csv, /^week,capex_hours,opex_hours\r\n/);
    assert.equal(csv.trim().split("\r\n").length, expectedRows.capex + 1);
  });

  it("shows the reports to a guest and a clear message for a bad period", async () => {
    await b.signOut();
    await b.signIn(GUEST);
    await b.page.goto(`${b.tandem.url}/projects/REL/reports?from=2026-12-31&to=2026-01-01`);
    assert.match((await b.page.textContent("[role=alert]")) ?? "", /from \(2026-12-31\) must be before to \(2026-01-01\)/);
    await b.shot("bad-period");
    await b.page.goto(`${b.tandem.url}/projects/REL/reports`);
    await b.page.waitForSelector("body[data-charts-ready=true]", { timeout: 60_000 });
    assert.equal(await b.page.locator("canvas").count(), 4);
    await b.shot("guest");
  });

  it("lets a member set the calendar and capacities from the page, refusing a bad time zone", async () => {
    assert.equal(await b.page.locator("#report-settings").count(), 0, "a guest is not offered the settings");
    await b.signOut();
    await b.signIn(MEMBER);
    await b.page.goto(`${b.tandem.url}/projects/REL/reports`);
    await b.page.click("#report-settings summary");
    await b.page.fill("#timeZone", "Mars/Olympus");
    await b.page.click("#save-report-settings");
    assert.match((await b.page.textContent("[role=alert]")) ?? "", /calendar\.timeZone: Not a time zone/);
    await b.shot("settings-refused");
    await b.page.goto(`${b.tandem.url}/projects/REL/reports`);
    await b.page.click("#report-settings summary");
    await b.page.fill("#timeZone", "America/New_York");
    await b.page.fill("#perPerson", "dave@sandbox.test=6");
    await b.page.click("#save-report-settings");
    await b.page.waitForSelector("body[data-charts-ready=true]", { timeout: 60_000 });
    assert.match((await b.page.textContent("[role=status]")) ?? "", /Report settings saved/);
    await b.page.click("#capacity-report summary");
    assert.deepEqual(await b.page.locator("#capacity-table tbody tr td").allTextContents(), ["SCHED Sprint 1", "active", "0", "0", "6"]);
    assert.equal(await b.page.inputValue("#timeZone"), "America/New_York");
    await b.shot("settings-saved");
  });
});
