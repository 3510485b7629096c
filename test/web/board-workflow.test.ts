// Workflow 2 (board, seed 001) end to end in Chromium on the demo: import by JQL with preview paging and select-all,
// edit an item (description included) and see it on the Jira issue, comment, bulk-update (one failure named),
// create a Jira issue from a plain item through the create form (a required field), delete a card while its issue
// stays, and a guest who sees but cannot change. Jira is checked through the sandbox's REST API.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browserSkip, GUEST, MEMBER, useBrowserTandem } from "../support/browser.ts";
import { call } from "../support/sandbox.ts";

const MAPPINGS = [
  { tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } },
  { tandemField: "description", jiraField: "description", direction: "both", transform: { kind: "richText" } },
  { tandemField: "status", jiraField: "status", direction: "both", transform: { kind: "status" } },
  { tandemField: "assignee", jiraField: "assignee", direction: "both", transform: { kind: "person" } },
  { tandemField: "labels", jiraField: "labels", direction: "both", transform: { kind: "labels" } },
  { tandemField: "points", jiraField: "Story point estimate", direction: "both", transform: { kind: "copy" } },
];

/** Every text in an ADF document, joined (to check what Jira holds without depending on node layout). */
const adfText = (node: any): string => (node?.text ?? "") + ((node?.content as any[] | undefined)?.map(adfText).join("") ?? "");
const hasMark = (node: any, mark: string): boolean => Boolean(node?.marks?.some((entry: any) => entry.type === mark)) || Boolean((node?.content as any[] | undefined)?.some((child) => hasMark(child, mark)));

describe("workflow 2: a team board in the browser", { skip: browserSkip, timeout: 300_000 }, () => {
  const b = useBrowserTandem("board-workflow");
  const jira = () => b.tandem.demo!.sandbox;
  const issue = async (key: string) => call(jira(), "GET", `/rest/api/3/issue/${key}`);
  const apiAs = async (who: { email: string; password: string }, method: string, path: string, body?: unknown) => {
    const login = await fetch(`${b.tandem.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(who) });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${b.tandem.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const items = async () => (await b.tandem.store.projects.items((await b.tandem.store.projects.byId("BRD"))!.id));
  /** The notice at the top of the page (an error there instead is returned too, so a failure shows it). */
  const status = async () => (await b.page.textContent("[role=status], [role=alert]"))?.trim() ?? "";
  const alert = async () => (await b.page.textContent("[role=alert]"))?.trim() ?? "";
  let edited = "";
  const until = async (check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail("timed out waiting for the page");
  };

  it("imports BOARD issues by JQL: previews page by page, carries the selection across pages, then imports all matches", async () => {
    // The project's typed fields and mappings are set up through the API (the mappings editor is another screen).
    const created = await apiAs(MEMBER, "POST", "/projects", { key: "BRD", name: "Team board", fields: [{ key: "labels", name: "Labels", type: "multiselect" }, { key: "points", name: "Story points", type: "number" }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await b.signIn(MEMBER);
    await b.page.goto(`${b.tandem.url}/projects/BRD/import`);
    await b.page.click("#choose-connector");
    await b.page.selectOption("#jiraProject", "BOARD");
    await b.page.click("#choose-project");
    assert.match(await status(), /BRD now syncs with Jira project BOARD/);
    const mapped = await apiAs(MEMBER, "PUT", "/projects/BRD/mappings", { mappings: MAPPINGS });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));

    await b.page.fill("#jql", "labels = team");
    await b.page.selectOption("#pageSize", "5");
    await b.page.click("#preview");
    const open = [...jira().state.issues.values()].filter((entry) => entry.projectId === jira().state.projectByIdOrKey("BOARD")!.id && jira().state.statuses.get(entry.statusId)!.category !== "done");
    assert.equal(open.length, 8, "the demo's BOARD has 8 open issues (4 are Done)");
    assert.match(await b.page.textContent("#match-count") ?? "", new RegExp(`About ${open.length} matching issues, Done issues left out`));
    assert.equal(await b.page.locator("#preview-table tbody tr").count(), 5);
    await b.shot("import-preview-page-1");
    const firstPage = await b.page.$$eval("#preview-table tbody tr", (rows) => rows.map((row) => row.getAttribute("data-issue")!));
    await b.page.check(`input[aria-label='Select ${firstPage[0]}']`);
    await b.page.click("#next-page");
    assert.equal((await b.page.textContent("#page-number"))?.trim(), "2");
    const secondPage = await b.page.$$eval("#preview-table tbody tr", (rows) => rows.map((row) => row.getAttribute("data-issue")!));
    assert.equal(secondPage.length, 3);
    assert.equal(new Set([...firstPage, ...secondPage]).size, 8, "no issue shows on both pages");
    await b.page.check(`input[aria-label='Select ${secondPage[0]}']`);
    await b.page.click("#import-selected");
    await b.page.waitForSelector("#import-result");
    assert.equal(await b.page.textContent("#imported-count"), "2", "the selection made on page 1 came along");
    assert.deepEqual((await items()).map((item) => item.link!.jiraKey).sort(), [firstPage[0], secondPage[0]].sort());

    // A saved filter from Jira, Done issues included: exactly the BOARD bugs.
    await b.page.goto(`${b.tandem.url}/projects/BRD/import?connector=${(await b.tandem.store.projects.byId("BRD"))!.connectorId}&jiraProject=BOARD`);
    await b.page.selectOption("#filter", { label: "Board bugs" });
    await b.page.check("#includeDone");
    await b.page.click("#preview");
    const bugs = [...jira().state.issues.values()].filter((entry) => entry.projectId === jira().state.projectByIdOrKey("BOARD")!.id && jira().state.issueTypes.get(entry.issueTypeId)?.name === "Bug").map((entry) => entry.key).sort();
    assert.ok(bugs.length > 1);
    assert.deepEqual((await b.page.$$eval("#preview-table tbody tr", (rows) => rows.map((row) => row.getAttribute("data-issue")!))).sort(), bugs);
    assert.deepEqual([...new Set(await b.page.$$eval("#preview-table tbody tr td:nth-child(3)", (cells) => cells.map((cell) => cell.textContent)))], ["Bug"]);
    await b.shot("import-saved-filter");

    // Select-all on the page, then all matches (not only the visible page): the two already imported are updated.
    await b.page.goto(`${b.tandem.url}/projects/BRD/import?connector=${(await b.tandem.store.projects.byId("BRD"))!.connectorId}&jiraProject=BOARD`);
    await b.page.fill("#jql", "labels = team");
    await b.page.selectOption("#pageSize", "5");
    await b.page.click("#preview");
    await b.page.check("#select-page");
    assert.equal(await b.page.locator("#preview-table tbody input[name=issues]:checked").count(), 5);
    // First the submission is held in the page (a listener after the page's own cancels it) to see the progress
    // display: shown, counting the items stored, and no second import possible meanwhile. Then the real import.
    await b.page.evaluate(() => {
      (window as any).hold = (event: Event) => event.preventDefault();
      document.getElementById("preview-form")!.addEventListener("submit", (window as any).hold);
    });
    await b.page.click("#import-all");
    const progress = () => b.page.evaluate(() => ({ shown: !document.getElementById("import-progress")!.hidden, text: document.getElementById("import-progress-text")!.textContent ?? "", blocked: (document.getElementById("import-selected") as HTMLButtonElement).disabled }));
    await until(async () => /0 of about 8 new issues stored/.test((await progress()).text));
    assert.deepEqual(await progress(), { shown: true, text: "0 of about 8 new issues stored; their fields are filled next…", blocked: true });
    await b.shot("import-progress");
    await b.page.evaluate(() => {
      const form = document.getElementById("preview-form")!;
      form.removeEventListener("submit", (window as any).hold);
      for (const button of form.querySelectorAll("button")) button.disabled = false;
    });
    await b.page.click("#import-all");
    await b.page.waitForSelector("#import-result");
    assert.equal(await b.page.textContent("#imported-count"), "6");
    assert.equal(await b.page.textContent("#updated-count"), "2");
    await b.shot("import-result");
    const linked = (await items()).map((item) => item.link!.jiraKey).sort();
    assert.deepEqual(linked, open.map((entry) => entry.key).sort(), "every open BOARD issue, once");
    await b.page.click("#to-items");
    assert.equal(await b.page.locator("#items tbody tr").count(), 8);
    await b.shot("items");
  });

  it("edits an item's title, description and status in the browser and sees them on the Jira issue", async () => {
    const item = (await items())[0]!;
    edited = item.key;
    await b.page.goto(`${b.tandem.url}/items/${item.key}`);
    await b.page.fill("#f-title", "Onboarding checklist, v2");
    await b.page.fill("#f-description", "Steps for **every** new hire.");
    await b.page.selectOption("#f-status", "Completed");
    await b.shot("item-edit");
    await b.page.click("#save");
    assert.match(await status(), new RegExp(`Saved .* and pushed to ${item.link!.jiraKey}`));
    const fields = (await issue(item.link!.jiraKey)).body.fields;
    assert.equal(fields.summary, "Onboarding checklist, v2");
    assert.match(adfText(fields.description), /Steps for every new hire\./);
    assert.ok(hasMark(fields.description, "strong"), "the bold came through as ADF strong");
    assert.equal(fields.status.statusCategory.key, "done");
    assert.equal(await b.page.inputValue("#f-title"), "Onboarding checklist, v2");
  });

  it("edits a row in place from the table (keyboard only), and says in plain words what is wrong with bad input", async () => {
    const item = (await items()).find((entry) => entry.key !== edited)!;
    await b.page.goto(`${b.tandem.url}/projects/BRD`);
    await b.page.click(`button[aria-label='Quick edit ${item.key}']`);
    await b.page.fill(`input[aria-label='Title of ${item.key}']`, "   ");
    await b.page.press(`input[aria-label='Title of ${item.key}']`, "Enter");
    await until(async () => /Title cannot be empty/.test((await b.page.textContent("#inline-status")) ?? ""));
    assert.equal(await b.page.locator(`input[aria-label='Title of ${item.key}']`).count(), 1, "still editing: nothing was lost");
    await b.page.fill(`input[aria-label='Title of ${item.key}']`, "Renamed in the table");
    const newStatus = item.values.status === "Started" ? "Not Started" : "Started";
    await b.page.selectOption(`select[aria-label='Status of ${item.key}']`, newStatus);
    const board = (await b.tandem.store.projects.byId("BRD"))!;
    const member = (await b.tandem.store.users.byEmail(MEMBER.email))!;
    const pushedBefore = new Set((await b.tandem.store.runs.list(board.id, { kind: "push" })).map((run) => run.id));
    await b.page.evaluate(() => { (window as any).sameLoad = true; });
    await b.page.press(`input[aria-label='Title of ${item.key}']`, "Enter");
    await until(async () => /pushed to/.test((await b.page.textContent("#inline-status")) ?? ""));
    // The push is this person's own run (a new push started by them; Jira's webhook echo of it is a sync Tandem
    // started): when its live event reaches the page, the page keeps its answer.
    const push = (await b.tandem.store.runs.list(board.id, { kind: "push" })).find((run) => run.userId === member.id && !pushedBefore.has(run.id));
    assert.ok(push, "the quick edit pushed as the member");
    // The page has weighed the push once it names it, or a run that finished after it (the echo may follow at once);
    // a reload would have dropped the mark set before it.
    const weighed = async () => {
      const heard = await b.page.getAttribute("body", "data-last-run");
      const run = heard ? await b.tandem.store.runs.byId(heard) : undefined;
      return heard === push.id || (run?.projectId === board.id && (run.finishedAt ?? 0) >= (push.finishedAt ?? Infinity));
    };
    const sameLoad = async () => b.page.evaluate(() => (window as any).sameLoad).catch(() => false);
    await until(async () => (await weighed()) || (await sameLoad()) !== true);
    assert.equal(await sameLoad(), true, "the page was not reloaded under the person");
    // (The push may be heard while the row is still being edited, when news would raise the banner instead.)
    assert.equal(await b.page.isHidden("#live-banner"), true, "nor offered to reload for the person's own push");
    assert.match(await b.page.textContent("#inline-status") ?? "", new RegExp(`Saved title, status of ${item.key} and pushed to ${item.link!.jiraKey}`));
    assert.equal((await b.page.textContent(`tr[data-item='${item.key}'] td.title`))?.trim(), "Renamed in the table");
    const fields = (await issue(item.link!.jiraKey)).body.fields;
    assert.equal(fields.summary, "Renamed in the table");
    assert.equal(fields.status.statusCategory.key, newStatus === "Started" ? "indeterminate" : "new");
    await b.shot("items-quick-edit");
    // A key that is not one, typed in the Jira column of an unlinked item: refused with how a key looks.
    await b.page.fill("input[aria-label='New item title']", "A note to link");
    await b.page.click("#add-item");
    const note = (await items()).find((entry) => entry.values.title === "A note to link")!;
    // Typing summary words suggests matching issues from Jira.
    await b.page.locator(`input[aria-label='Jira key of ${note.key}']`).pressSequentially("Quarterly");
    await until(async () => (await b.page.locator(`#suggest-${note.key} option`).count()) > 0);
    const suggested = await b.page.$$eval(`#suggest-${note.key} option`, (options) => options.map((option) => (option as HTMLOptionElement).label));
    assert.deepEqual(suggested.map((label) => label.replace(/ \(.*\)$/, "")), [`${[...jira().state.issues.values()].find((entry) => entry.summary === "Quarterly planning template")!.key} · Quarterly planning template`]);
    await b.page.fill(`input[aria-label='Jira key of ${note.key}']`, "not a key");
    await b.page.click(`tr[data-item='${note.key}'] button:has-text('Link')`);
    assert.match(await alert(), /A Jira issue key looks like ABC-123/);
    await b.page.click(`a[aria-label='Search Jira for the issue of ${note.key}']`);
    await b.page.fill("#search-text", "Quarterly planning"); // a Done issue, left out of the import
    await b.page.click("#search");
    const found = await b.page.$$eval("#results tbody tr td:first-child", (cells) => cells.map((cell) => cell.textContent));
    assert.equal(found.length, 1, await b.page.textContent("main") ?? "");
    await b.page.click(`button[aria-label='Link ${note.key} to ${found[0]}']`);
    assert.match(await status(), new RegExp(`${note.key} linked to ${found[0]}`));
    // Nothing selected: the bulk update says what to do.
    await b.page.goto(`${b.tandem.url}/projects/BRD`);
    await b.page.click("#bulk-update");
    assert.match(await alert(), /Select one or more items first/);
  });

  it("adds a comment from Tandem and shows Jira's comments with their authors", async () => {
    const item = (await items()).find((entry) => entry.key === edited)!;
    await b.page.goto(`${b.tandem.url}/items/${item.key}`);
    await b.page.fill("#comment", "Reviewed in **Tandem**");
    await b.page.click("#add-comment");
    assert.match(await status(), new RegExp(`Comment added to ${item.link!.jiraKey}`));
    const comments = (await call(jira(), "GET", `/rest/api/3/issue/${item.link!.jiraKey}/comment`)).body.comments as any[];
    assert.match(adfText(comments.at(-1).body), /Member \(via Tandem\):\s*Reviewed in Tandem/);
    const sync = [...jira().state.users.values()].find((user) => user.email === "tandem-sync@sandbox.test")!;
    assert.equal(comments.at(-1).author.accountId, sync.accountId, "written as the connector's account");
    const last = b.page.locator("#comment-list li").last();
    assert.match(await last.locator(".author").textContent() ?? "", /^Member$/, "the person who wrote it, not the account");
    assert.match(await last.locator(".via").textContent() ?? "", /via Tandem, as Tandem Sync/);
    assert.match(await last.locator(".body").textContent() ?? "", /Reviewed in \*\*Tandem\*\*/);
    await b.shot("item-comments");
  });

  it("creates a Jira issue from a plain item through the create form, with its required field", async () => {
    // ROAD joins the project through the wizard's Jira project step; its Bugs require "Risk".
    await b.page.goto(`${b.tandem.url}/projects/BRD/import`);
    await b.page.click("#choose-connector");
    await b.page.selectOption("#jiraProject", "ROAD");
    await b.page.click("#choose-project");
    assert.match(await status(), /now syncs with Jira project ROAD/);
    await b.page.goto(`${b.tandem.url}/projects/BRD`);
    await b.page.fill("input[aria-label='New item title']", "Crash when saving a draft");
    await b.page.click("#add-item");
    const plain = (await items()).find((item) => item.values.title === "Crash when saving a draft")!;
    await b.page.check(`input[aria-label='Select ${plain.key}']`);
    await b.page.click("#bulk-create");
    await b.page.selectOption("#jiraProject", "ROAD");
    await b.page.click("#choose-type");
    await b.page.selectOption("#issueType", { label: "Bug" });
    await b.page.click("#choose-type");
    const riskLabel = await b.page.textContent("label[for='cf-customfield_10051']");
    assert.match(riskLabel ?? "", /Risk.*\(required\)/);
    assert.equal(await b.page.getAttribute("#cf-customfield_10051", "required"), "", "the browser will not send it empty");
    await b.page.selectOption("#cf-customfield_10051", { label: "High" });
    await b.shot("create-form");
    await b.page.click("#create");
    const message = await status();
    const key = message.match(/→ (ROAD-\d+)/)?.[1];
    assert.ok(key, message);
    const fields = (await issue(key!)).body.fields;
    assert.equal(fields.summary, "Crash when saving a draft");
    assert.equal(fields.issuetype.name, "Bug");
    assert.equal(fields.customfield_10051.value, "High");
    assert.equal((await items()).find((item) => item.key === plain.key)!.link!.jiraKey, key);
  });

  it("bulk-updates several items, naming the one Jira refused", async () => {
    const all = (await items()).filter((item) => item.link);
    const board = all.filter((item) => item.link!.jiraKey.startsWith("BOARD-") && item.key !== edited).slice(0, 3);
    const road = all.find((item) => item.link!.jiraKey.startsWith("ROAD-"))!;
    // The connector's account may still browse ROAD but no longer edit it.
    const sync = [...jira().state.users.values()].find((user) => user.email === "tandem-sync@sandbox.test")!;
    const roadProject = jira().state.projectByIdOrKey("ROAD")!;
    const kept = roadProject.permissions[sync.accountId];
    roadProject.permissions[sync.accountId] = ["BROWSE_PROJECTS"];
    try {
      await b.page.goto(`${b.tandem.url}/projects/BRD`);
      for (const item of [...board, road]) await b.page.check(`input[aria-label='Select ${item.key}']`);
      assert.equal((await b.page.textContent("#selected-count"))?.trim(), "4 selected");
      await b.page.fill("#bulk-assignee", "dave@sandbox.test");
      await b.page.selectOption("#bulk-field", "labels");
      await b.page.fill("#bulk-value", "team, bulk");
      await b.page.click("#bulk-update");
      await b.page.waitForSelector("#bulk-result");
      await b.shot("bulk-result");
      assert.match(await b.page.textContent("#bulk-result") ?? "", /3 of 4 updated/);
      const failures = await b.page.$$eval("#bulk-failures li", (rows) => rows.map((row) => row.getAttribute("data-item")));
      assert.deepEqual(failures, [road.key]);
      assert.match(await b.page.textContent("#bulk-failures") ?? "", /Edit Issues permission/);
      for (const item of board) {
        const fields = (await issue(item.link!.jiraKey)).body.fields;
        assert.deepEqual(fields.labels.sort(), ["bulk", "team"]);
        assert.equal(fields.assignee.accountId, [...jira().state.users.values()].find((user) => user.email === "dave@sandbox.test")!.accountId);
      }
      assert.ok(!((await issue(road.link!.jiraKey)).body.fields.labels ?? []).includes("bulk"));
    } finally {
      if (kept) roadProject.permissions[sync.accountId] = kept;
    }
  });

  it("deletes a card and leaves its Jira issue untouched", async () => {
    const item = (await items()).find((entry) => entry.key !== edited)!;
    const before = (await issue(item.link!.jiraKey)).body.fields.summary;
    await b.page.goto(`${b.tandem.url}/items/${item.key}`);
    await b.page.click("#delete");
    assert.match(await b.page.textContent("#confirm-text") ?? "", new RegExp(`The Jira issue ${item.link!.jiraKey} is untouched`));
    await b.shot("delete-confirm");
    await b.page.click("#confirm-delete");
    await b.page.waitForURL(/\/projects\/BRD/);
    assert.match(await status(), new RegExp(`Deleted ${item.key}\\. The Jira issue ${item.link!.jiraKey} is untouched`));
    assert.equal(await b.page.locator(`tr[data-item='${item.key}']`).count(), 0);
    const still = await issue(item.link!.jiraKey);
    assert.equal(still.status, 200);
    assert.equal(still.body.fields.summary, before);
  });

  it("lets a guest see the board but offers no change, and the API refuses one", async () => {
    await b.signOut();
    await b.signIn(GUEST);
    await b.page.goto(`${b.tandem.url}/projects/BRD`);
    assert.ok((await b.page.locator("#items tbody tr").count()) > 0, "the guest sees the items");
    for (const control of ["#select-all", "#add-item", "#bulk-update", "#import-link", "input[name=jiraKey]"]) assert.equal(await b.page.locator(control).count(), 0, `${control} is not offered`);
    await b.page.goto(`${b.tandem.url}/items/${edited}`);
    assert.match(await b.page.textContent(".value-title") ?? "", /Onboarding checklist, v2/);
    for (const control of ["#edit-form", "#save", "#add-comment", "#delete", "#unlink"]) assert.equal(await b.page.locator(control).count(), 0, `${control} is not offered`);
    assert.ok((await b.page.locator("#comment-list li").count()) > 0, "comments are readable");
    await b.shot("guest-item");
    const refused = await apiAs(GUEST, "PATCH", `/items/${edited}`, { values: { title: "guest edit" } });
    assert.equal(refused.status, 403);
    await b.page.goto(`${b.tandem.url}/projects/BRD/import`);
    assert.match(await alert(), /ask a member or an admin/);
  });
});
