// The run history in Chromium on the demo: a Push whose account may no longer edit the issues shows the warning in
// plain words with what to do; runs filter by kind and outcome; a run started elsewhere appears on the project page
// without a reload; a conflict is shown side by side (a guest is offered no choice) and resolved from its button, and
// the kept value reaches Jira.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browserSkip, GUEST, MEMBER, useBrowserTandem } from "../support/browser.ts";
import { call } from "../support/sandbox.ts";

describe("run history in the browser", { skip: browserSkip, timeout: 240_000 }, () => {
  const b = useBrowserTandem("history");
  const jira = () => b.tandem.demo!.sandbox;
  const apiAs = async (method: string, path: string, body?: unknown) => {
    const login = await fetch(`${b.tandem.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(MEMBER) });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${b.tandem.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  /** Polls until `check` holds (no timed assertions: a generous limit, then the last state is reported). */
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`timed out waiting until ${what}`);
  };

  it("shows a Push refused for lack of permission as a warning in plain words, with what to do", async () => {
    const sync = [...jira().state.users.values()].find((user) => user.email === "tandem-sync@sandbox.test")!;
    const sched = jira().state.projectByIdOrKey("SCHED")!;
    const kept = sched.permissions[sync.accountId]!;
    sched.permissions[sync.accountId] = ["BROWSE_PROJECTS"]; // may still see SCHED's issues, no longer edit them
    try {
      await b.signIn(MEMBER);
      await b.page.goto(`${b.tandem.url}/projects/REL`);
      await b.page.click("#push");
      await b.page.waitForURL(/\/runs\//);
    } finally {
      sched.permissions[sync.accountId] = kept;
    }
    assert.match(await b.page.textContent("#run-status") ?? "", /partial/);
    const first = b.page.locator("#run-items tbody tr").first();
    assert.equal((await first.locator("td").nth(2).textContent())?.trim(), "warning");
    const plain = await first.locator(".plain").first().textContent();
    assert.match(plain ?? "", /^Jira did not let tandem-sync@sandbox\.test \(service account of 'Sandbox Jira \(demo\)'\) change \w+ on SCHED-\d+: the account may not edit this issue/);
    assert.match(await first.locator(".fix").first().textContent() ?? "", /Edit Issues permission/);
    assert.match(await first.locator("details code").first().textContent() ?? "", /cannot be set/, "the original message stays under Details");
    await b.shot("run-permission-warning");
  });

  it("filters runs by kind and outcome", async () => {
    const pulled = await apiAs("POST", "/projects/REL/pull", {});
    assert.equal(pulled.status, 200);
    await b.page.goto(`${b.tandem.url}/projects/REL/runs`);
    // The demo's own first-start runs (its import's Pull, its create) are listed too.
    assert.ok((await b.page.locator("#runs tbody tr").count()) >= 2);
    await b.page.selectOption("#kind", "push");
    await b.page.selectOption("#status", "partial");
    await b.page.click("#filter-runs");
    assert.equal(await b.page.locator("#runs tbody tr").count(), 1);
    assert.match(await b.page.textContent("#runs tbody tr") ?? "", /Push.*With warnings or conflicts/s);
    await b.shot("runs-filtered");
    await b.page.selectOption("#kind", "pull");
    await b.page.click("#filter-runs");
    assert.match(await b.page.textContent("#no-runs") ?? "", /No runs match these filters/);
  });

  it("shows a run started elsewhere on the project page as it finishes, without a reload", async () => {
    await b.page.goto(`${b.tandem.url}/projects/REL`);
    await until("the live feed is connected", async () => /Live: runs of REL/.test((await b.page.textContent("#live-state")) ?? ""));
    assert.equal(await b.page.locator("#live-list li").count(), 0);
    await b.page.evaluate(() => { (window as any).sameLoad = true; });
    const run = await apiAs("POST", "/projects/REL/pull", {});
    assert.equal(run.status, 200);
    // The activity panel lists it. (The page does not reload for it: the member who started it is the one watching,
    // and a person's own run is not news to them.)
    const runId = run.body.run.id as string;
    await until("the run appears", async () => (await b.page.locator(`#live-list li[data-run='${runId}']`).count()) === 1);
    const live = (await b.page.textContent(`#live-list li[data-run='${runId}']`)) ?? "";
    assert.match(live, /^Pull succeeded · .* · as tandem-sync@sandbox\.test \(service account of 'Sandbox Jira \(demo\)'\)$/);
    assert.equal(await b.page.evaluate(() => (window as any).sameLoad), true, "the page was not reloaded");
    // A run Tandem started by itself says what started it: someone changes a linked issue in Jira, and the webhook's
    // run is listed as such. (Typing in a field meanwhile, so news raises the banner rather than reloading the page.)
    await b.page.fill("input[aria-label='New item title']", "Half-typed");
    const rel = (await b.tandem.store.projects.byId("REL"))!;
    const jiraKey = (await b.tandem.store.projects.items(rel.id)).map((item) => item.link?.jiraKey).find((key) => key && key !== "SCHED-5")!;
    assert.equal((await call(jira(), "PUT", `/rest/api/3/issue/${jiraKey}`, { body: { fields: { labels: ["live-feed"] } } })).status, 204);
    const webhookRun = b.page.locator("#live-list li", { hasText: "(webhook, from " });
    await until("the webhook's run appears", async () => (await webhookRun.count()) > 0);
    assert.match((await webhookRun.first().textContent()) ?? "", /^Sync \(webhook, from [^)]+\) \w+ · .* · as tandem-sync@sandbox\.test \(service account of 'Sandbox Jira \(demo\)'\)$/);
    assert.equal(await b.page.inputValue("input[aria-label='New item title']"), "Half-typed", "what was typed is still there");
    // The runs table names the account the same way.
    await b.page.goto(`${b.tandem.url}/projects/REL/runs`);
    assert.equal((await b.page.locator(`#runs tr[data-run='${runId}'] td`).last().textContent())?.trim(), "tandem-sync@sandbox.test (service account of 'Sandbox Jira (demo)')");
    await b.shot("live-activity");
  });

  it("shows a held conflict side by side and resolves it from its button; the kept value reaches Jira", async () => {
    assert.equal((await apiAs("POST", "/projects", { key: "HOLD", name: "Held conflicts" })).status, 201);
    const connector = (await b.tandem.store.projects.byId("REL"))!.connectorId!;
    assert.equal((await apiAs("PUT", "/projects/HOLD/jira", { connector, jiraProjects: ["SCHED"], direction: "two-way", conflictPolicy: "hold" })).status, 200);
    assert.equal((await apiAs("PUT", "/projects/HOLD/mappings", { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }] })).status, 200);
    // The item and its issue disagree on the title, and no sync has settled a common value yet: under "hold",
    // neither side is overwritten.
    const item = (await apiAs("POST", "/projects/HOLD/items", { values: { title: "Title from Tandem" } })).body;
    assert.equal((await apiAs("PUT", `/items/${item.key}/link`, { jiraKey: "SCHED-5" })).status, 200);
    // (Jira's side is left as the demo has it: an edit through its REST API would also send a webhook, whose sync
    // would race this test's.)
    const jiraTitle = jira().state.issueByIdOrKey("SCHED-5")!.summary;
    assert.notEqual(jiraTitle, "Title from Tandem");
    const held = await apiAs("POST", "/projects/HOLD/sync", {});
    assert.equal(held.body.items[0].outcome, "conflict", JSON.stringify(held.body.items));

    await b.page.goto(`${b.tandem.url}/runs/${held.body.run.id}`);
    const conflict = b.page.locator("#conflicts .conflict");
    assert.equal(await conflict.count(), 1);
    assert.match(await conflict.locator("h3").textContent() ?? "", new RegExp(`${item.key} \\(SCHED-5\\) · title`));
    assert.equal((await conflict.locator(".side.tandem .value").textContent())?.trim(), "Title from Tandem");
    assert.equal((await conflict.locator(".side.jira .value").textContent())?.trim(), jiraTitle);
    assert.match(await b.page.textContent("#run-items") ?? "", /was changed in both Tandem .* and Jira .* since the last sync/);
    await b.shot("conflict-side-by-side");
    // A guest sees the conflict but is offered no choice.
    await b.signOut();
    await b.signIn(GUEST);
    await b.page.goto(`${b.tandem.url}/runs/${held.body.run.id}`);
    assert.equal(await b.page.locator("#conflicts .conflict").count(), 1);
    assert.equal(await b.page.locator("#conflicts button").count(), 0);
    await b.signOut();
    await b.signIn(MEMBER);
    await b.page.goto(`${b.tandem.url}/runs/${held.body.run.id}`);
    await b.page.click(`button[aria-label="Keep Tandem's title of ${item.key}"]`);
    assert.match(await b.page.textContent("[role=status], [role=alert]") ?? "", new RegExp(`Kept Tandem's title for ${item.key}`));
    assert.equal(await b.page.locator("#conflicts").count(), 0, "no open conflict left on the run");
    await b.shot("conflict-resolved");
    const settled = await apiAs("POST", "/projects/HOLD/sync", {});
    assert.equal(settled.body.run.status, "succeeded", JSON.stringify(settled.body.items));
    assert.equal((await call(jira(), "GET", "/rest/api/3/issue/SCHED-5")).body.fields.summary, "Title from Tandem");
  });

  it("marks a dry run in an item's history: what it would change, and that nothing was written", async () => {
    const item = (await b.tandem.store.projects.items((await b.tandem.store.projects.byId("HOLD"))!.id))[0]!;
    assert.equal((await apiAs("PATCH", `/items/${item.key}`, { values: { title: "Only tried" } })).status, 200);
    const dry = await apiAs("POST", "/projects/HOLD/push", { dryRun: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    await b.page.goto(`${b.tandem.url}/items/${item.key}`);
    const entry = b.page.locator(`#item-history li[data-run='${dry.body.run.id}']`);
    assert.equal(await entry.getAttribute("class"), "dry-run");
    assert.match((await entry.textContent()) ?? "", /^Push \(dry run\) .* · would change \(nothing was written\): Title in Jira Title from Tandem → Only tried$/);
    // The real runs before it (the held sync and the one that settled it) say what they did, with no such note.
    const real = await b.page.$$eval("#item-history li:not(.dry-run)", (entries) => entries.map((entry) => entry.textContent ?? ""));
    assert.ok(real.length >= 2, real.join("\n"));
    for (const text of real) assert.match(text, /^Sync .* · (conflict|changed|unchanged)/);
    assert.ok(real.every((text) => !/would change|nothing was written/.test(text)), real.join("\n"));
    assert.equal((await call(jira(), "GET", "/rest/api/3/issue/SCHED-5")).body.fields.summary, "Title from Tandem", "the dry run wrote nothing");
    await b.shot("item-history-dry-run");
  });
});
