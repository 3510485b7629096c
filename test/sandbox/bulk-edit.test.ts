// Jira Cloud's bulk edit in the sandbox: POST /bulk/issues/fields queues a task that edits each issue through the
// single-edit path (values, changelog, webhook with bulkOperationMetaData), GET /bulk/queue/{taskId} reports it;
// per-issue permissions and refusals land in the task's outcome, a bad request is refused whole; Data Center has
// no such API.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { basic, call, useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud", webhooks: { retryDelaysMs: [10], timeoutMs: 2000 } });
const dc = useSandbox({ flavour: "dc" });

const BOB = basic("bob@sandbox.test", "bob-token");
const CAROL = basic("carol@sandbox.test", "carol-token");
const ALICE_ID = "5b10ac8d82e05b22cc7d4ef5";
const DAVE_ID = "5b10ac8d82e05b22cc7d4ef8";
const adf = (text: string) => ({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

const received: any[] = [];
const hook = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    response.end();
  });
});
before(() => new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve)));
after(() => new Promise<void>((resolve) => hook.close(() => resolve())));

function submit(body: unknown, auth?: string) {
  return call(sandbox(), "POST", "/rest/api/3/bulk/issues/fields", { body, ...(auth ? { auth } : {}) });
}

/** Polls the task as a client must, until it is COMPLETE. */
async function finished(taskId: string, auth?: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const progress = await call(sandbox(), "GET", `/rest/api/3/bulk/queue/${taskId}`, auth ? { auth } : {});
    assert.equal(progress.status, 200, progress.text);
    if (progress.body.status === "COMPLETE") return progress.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskId} did not complete`);
}

async function issue(key: string, fields: string) {
  return (await call(sandbox(), "GET", `/rest/api/3/issue/${key}?fields=${fields}&expand=changelog`)).body;
}

describe("bulk edit on Cloud", () => {
  it("edits every field type Tandem writes on each issue, with its changelog entry and webhook, once the task runs", async () => {
    const registered = await call(sandbox(), "POST", "/rest/webhooks/1.0/webhook", { body: { name: "bulk", url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/jira`, events: ["jira:issue_updated"], filters: { "issue-related-events-section": "project = ROAD" } } });
    assert.equal(registered.status, 201);
    const before = await issue("ROAD-4", "summary");
    const historyBefore = before.changelog.total;

    const body = {
      selectedIssueIdsOrKeys: ["ROAD-4", "10025", "ROAD-6"],
      selectedActions: ["summary", "description", "labels", "priority", "assignee", "customfield_10047", "customfield_10049", "customfield_10016", "customfield_10044", "customfield_10045", "customfield_10041", "customfield_10053", "customfield_10046", "customfield_10052"],
      editedFieldsInput: {
        singleLineTextFields: [{ fieldId: "summary", text: "Bulk edited" }, { fieldId: "customfield_10041", text: "High" }],
        richTextFields: [{ fieldId: "description", richText: { adfValue: adf("Written in bulk") } }],
        labelsFields: [
          { fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "bulk" }, { name: "q4" }] },
          { fieldId: "customfield_10052", bulkEditMultiSelectFieldOption: "REPLACE", labels: [{ name: "payments" }] },
        ],
        priority: { priorityId: "2" },
        singleSelectClearableUserPickerFields: [{ fieldId: "assignee", user: { accountId: DAVE_ID } }],
        singleSelectFields: [{ fieldId: "customfield_10047", option: { optionId: 100472 } }],
        multipleSelectFields: [{ fieldId: "customfield_10049", options: [{ optionId: 100490 }, { optionId: 100491 }] }],
        clearableNumberFields: [{ fieldId: "customfield_10016", value: 13 }],
        datePickerFields: [{ fieldId: "customfield_10044", date: { formattedDate: "2026-12-01" } }, { fieldId: "customfield_10045", date: { formattedDate: "5/Dec/26" } }],
        dateTimePickerFields: [{ fieldId: "customfield_10053", dateTime: { formattedDateTime: "2026-12-24T09:30:00.000Z" } }],
        urlFields: [{ fieldId: "customfield_10046", url: "https://tandem.example/items/1" }],
      },
      sendBulkNotification: false,
    };
    received.length = 0;
    const submitted = await submit(body);
    assert.equal(submitted.status, 201, submitted.text);
    assert.deepEqual(Object.keys(submitted.body), ["taskId"]);
    assert.match(submitted.body.taskId, /^\d+$/);

    const done = await finished(submitted.body.taskId);
    assert.equal(done.status, "COMPLETE");
    assert.equal(done.progressPercent, 100);
    assert.deepEqual(done.processedAccessibleIssues, [10024, 10025, 10026]);
    assert.equal(done.failedAccessibleIssues, undefined, "nothing failed, so no failures are listed");
    assert.equal(done.invalidOrInaccessibleIssueCount, 0);
    assert.equal(done.totalIssueCount, 3);
    assert.deepEqual(done.submittedBy, { accountId: sandbox().state.userByEmail("admin@sandbox.test")!.accountId });
    for (const date of ["created", "started", "updated"]) assert.equal(typeof done[date], "number", `${date} is epoch ms, as Atlassian's examples show`);

    const after = await issue("ROAD-4", "summary,description,labels,priority,assignee,customfield_10047,customfield_10049,customfield_10016,customfield_10044,customfield_10045,customfield_10041,customfield_10053,customfield_10046,customfield_10052");
    const f = after.fields;
    assert.equal(f.summary, "Bulk edited");
    assert.deepEqual(f.description, adf("Written in bulk"));
    assert.deepEqual(f.labels, ["bulk", "q4"]);
    assert.equal(f.priority.id, "2");
    assert.equal(f.assignee.accountId, DAVE_ID);
    assert.equal(f.customfield_10047.value, "Web");
    assert.deepEqual(f.customfield_10049.map((option: { value: string }) => option.value), ["iOS", "Android"]);
    assert.equal(f.customfield_10016, 13);
    assert.equal(f.customfield_10044, "2026-12-01");
    assert.equal(f.customfield_10045, "2026-12-05", "d/MMM/yy, the date picker's format, is read too");
    assert.equal(f.customfield_10041, "High");
    assert.match(f.customfield_10053, /^2026-12-24T09:30:00\.000\+0000$/);
    assert.equal(f.customfield_10046, "https://tandem.example/items/1");
    assert.deepEqual(f.customfield_10052, ["payments"]);

    // One changelog entry per issue, as a single edit of the same fields makes.
    assert.equal(after.changelog.total, historyBefore + 1);
    const entry = after.changelog.histories[0];
    // Every selected field changed on ROAD-4, each once.
    assert.deepEqual(entry.items.map((item: { fieldId: string }) => item.fieldId).sort(), [...body.selectedActions].sort());

    await sandbox().dispatcher.idle();
    const updates = received.filter((delivery) => delivery.webhookEvent === "jira:issue_updated");
    assert.deepEqual(updates.map((delivery) => delivery.issue.key).sort(), ["ROAD-4", "ROAD-5", "ROAD-6"]);
    for (const delivery of updates) {
      assert.deepEqual(delivery.bulkOperationMetaData, { sendMail: false });
      assert.ok(delivery.changelog.items.some((item: { fieldId: string }) => item.fieldId === "summary"));
    }
  });

  it("removes, replaces and clears labels, and clears other fields with Jira's clearing inputs", async () => {
    const run = async (editedFieldsInput: Record<string, unknown>, selectedActions: string[]) => {
      const submitted = await submit({ selectedIssueIdsOrKeys: ["ROAD-7"], selectedActions, editedFieldsInput });
      assert.equal(submitted.status, 201, submitted.text);
      const done = await finished(submitted.body.taskId);
      assert.deepEqual(done.processedAccessibleIssues, [10027], JSON.stringify(done));
      return (await issue("ROAD-7", "labels,customfield_10016,customfield_10047,assignee,description,customfield_10044")).fields;
    };
    const labels = (option: string, names: string[]) => ({ labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: option, labels: names.map((name) => ({ name })) }] });
    assert.deepEqual((await run(labels("ADD", ["a", "b", "c"]), ["labels"])).labels, ["a", "b", "c"]);
    assert.deepEqual((await run(labels("REMOVE", ["b"]), ["labels"])).labels, ["a", "c"]);
    assert.deepEqual((await run(labels("REPLACE", ["z"]), ["labels"])).labels, ["z"]);
    assert.deepEqual((await run(labels("REMOVE_ALL", []), ["labels"])).labels, []);

    await run({ richTextFields: [{ fieldId: "description", richText: { adfValue: adf("temporary") } }], datePickerFields: [{ fieldId: "customfield_10044", date: { formattedDate: "2026-01-02" } }] }, ["description", "customfield_10044"]);
    const cleared = await run(
      {
        clearableNumberFields: [{ fieldId: "customfield_10016", value: null }],
        singleSelectFields: [{ fieldId: "customfield_10047", option: { optionId: -1 } }],
        singleSelectClearableUserPickerFields: [{ fieldId: "assignee", user: null }],
        richTextFields: [{ fieldId: "description", richText: {} }],
        datePickerFields: [{ fieldId: "customfield_10044", date: { formattedDate: "" } }],
      },
      ["customfield_10016", "customfield_10047", "assignee", "description", "customfield_10044"],
    );
    assert.equal(cleared.customfield_10016, null);
    assert.equal(cleared.customfield_10047, null);
    assert.equal(cleared.assignee, null);
    assert.equal(cleared.description, null);
    assert.equal(cleared.customfield_10044, null);
  });

  it("lists issues the caller may see but not edit as failed, and only counts those it may not see", async () => {
    // Bob contributes to ROAD but cannot see OPS; NOPE-1 does not exist.
    const bob = await submit({ selectedIssueIdsOrKeys: ["ROAD-8", "OPS-1", "NOPE-1"], selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "bob" }] }] } }, BOB);
    assert.equal(bob.status, 201, bob.text);
    const bobDone = await finished(bob.body.taskId, BOB);
    assert.deepEqual(bobDone.processedAccessibleIssues, [10028]);
    assert.equal(bobDone.failedAccessibleIssues, undefined);
    assert.equal(bobDone.invalidOrInaccessibleIssueCount, 2);
    assert.equal(bobDone.totalIssueCount, 3);
    assert.deepEqual((await issue("OPS-1", "labels")).fields.labels, [], "an issue Bob cannot see is untouched");

    // Carol may only read: she sees both issues, edits neither.
    const opsBefore = (await issue("OPS-2", "summary")).changelog.total;
    const carol = await submit({ selectedIssueIdsOrKeys: ["ROAD-8", "OPS-2"], selectedActions: ["summary"], editedFieldsInput: { singleLineTextFields: [{ fieldId: "summary", text: "Carol was here" }] } }, CAROL);
    assert.equal(carol.status, 201, carol.text);
    const carolDone = await finished(carol.body.taskId, CAROL);
    assert.deepEqual(carolDone.processedAccessibleIssues, []);
    assert.deepEqual(Object.keys(carolDone.failedAccessibleIssues).sort(), ["10028", "10036"]);
    assert.match(carolDone.failedAccessibleIssues["10028"][0], /permission to edit/);
    assert.equal(carolDone.invalidOrInaccessibleIssueCount, 0);
    assert.notEqual((await issue("ROAD-8", "summary")).fields.summary, "Carol was here");
    assert.equal((await issue("OPS-2", "summary")).changelog.total, opsBefore);
  });

  it("reports a value Jira refuses for an issue as that issue's failure, with the single edit's message", async () => {
    const submitted = await submit({
      selectedIssueIdsOrKeys: ["ROAD-9", "ROAD-10"],
      selectedActions: ["priority", "customfield_10047", "assignee"],
      editedFieldsInput: { priority: { priorityId: "99" }, singleSelectFields: [{ fieldId: "customfield_10047", option: { optionId: 123 } }], singleSelectClearableUserPickerFields: [{ fieldId: "assignee", user: { accountId: ALICE_ID } }] },
    });
    assert.equal(submitted.status, 201, submitted.text);
    const done = await finished(submitted.body.taskId);
    assert.deepEqual(done.processedAccessibleIssues, []);
    const reasons = done.failedAccessibleIssues["10029"];
    assert.ok(reasons.includes("Priority: Priority name '99' is not valid"), JSON.stringify(reasons));
    assert.ok(reasons.includes("Product Area: Option id '123' is not valid"), JSON.stringify(reasons));
    assert.notEqual((await issue("ROAD-9", "assignee")).fields.assignee?.accountId, ALICE_ID, "a refused edit changes nothing on the issue");
  });

  it("is queued, runs and completes after the request, so a client must poll", async () => {
    const controls = (body: unknown) => call(sandbox(), "POST", "/_sandbox/bulk", { auth: "", body });
    assert.equal((await controls({ startDelayMs: 80, issuesPerStep: 1, stepDelayMs: 60 })).status, 200);
    try {
      const submitted = await submit({ selectedIssueIdsOrKeys: ["ROAD-16", "ROAD-17", "ROAD-18"], selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "slow" }] }] } });
      const taskId = submitted.body.taskId;
      const first = (await call(sandbox(), "GET", `/rest/api/3/bulk/queue/${taskId}`)).body;
      assert.equal(first.status, "ENQUEUED");
      assert.equal(first.progressPercent, 0);
      assert.equal(first.started, undefined);
      assert.equal(first.processedAccessibleIssues, undefined, "results come only with COMPLETE");
      const seen = new Set<string>();
      const percents: number[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        const progress = (await call(sandbox(), "GET", `/rest/api/3/bulk/queue/${taskId}`)).body;
        seen.add(progress.status);
        percents.push(progress.progressPercent);
        if (progress.status === "COMPLETE") break;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      assert.ok(seen.has("RUNNING") && seen.has("COMPLETE"), [...seen].join(","));
      assert.deepEqual([...percents].sort((a, b) => a - b), percents, "progress only moves forward");
      assert.ok(percents.some((percent) => percent > 0 && percent < 100), percents.join(","));
    } finally {
      await controls({ startDelayMs: 0, issuesPerStep: 100, stepDelayMs: 0 });
    }
    assert.equal((await controls({ issuesPerStep: 0 })).status, 400);
  });

  it("refuses a malformed request whole with Jira's BulkOperationErrorResponse, queuing nothing", async () => {
    const valid = { selectedIssueIdsOrKeys: ["ROAD-19"], selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "x" }] }] } };
    const refused = async (body: unknown, pattern: RegExp) => {
      const response = await submit(body);
      assert.equal(response.status, 400, response.text);
      assert.ok(Array.isArray(response.body.errors), response.text);
      const messages = response.body.errors.map((error: { message: string }) => error.message);
      assert.ok(messages.some((message: string) => pattern.test(message)), `${pattern} in ${messages.join(" | ")}`);
    };
    await refused({}, /selectedIssueIdsOrKeys is required/);
    await refused({ ...valid, selectedIssueIdsOrKeys: [] }, /at least one issue/);
    await refused({ ...valid, selectedIssueIdsOrKeys: Array.from({ length: 1001 }, (_, index) => `ROAD-${index + 1}`) }, /at most 1000 issues/);
    await refused({ ...valid, selectedActions: Array.from({ length: 201 }, (_, index) => `customfield_${20000 + index}`) }, /at most 200 fields/);
    await refused({ ...valid, selectedActions: [], editedFieldsInput: { ...valid.editedFieldsInput, priority: { priorityId: "1" } } }, /^selectedActions must list at least one field id\.$/);
    // Atlassian's own example of this 400 (submitBulkEdit).
    await refused({ ...valid, editedFieldsInput: { ...valid.editedFieldsInput, priority: { priorityId: "1" } } }, /^The following editedFieldInput values are not listed as selectedActions : priority$/);
    await refused({ ...valid, selectedActions: ["labels", "summary"] }, /selectedActions values have no value in editedFieldsInput : summary/);
    await refused({ ...valid, selectedActions: ["customfield_10016"], editedFieldsInput: { singleSelectFields: [{ fieldId: "customfield_10016", option: { optionId: 1 } }] } }, /not a single select field/);
    await refused({ ...valid, editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "SET", labels: [] }] } }, /must be one of ADD, REMOVE, REPLACE, REMOVE_ALL/);
    await refused({ ...valid, editedFieldsInput: { ...valid.editedFieldsInput, sumaryFields: [] } }, /Unrecognized field "sumaryFields"/);
    await refused({ ...valid, selectedActions: ["labels", "nope"], editedFieldsInput: { ...valid.editedFieldsInput, singleLineTextFields: [{ fieldId: "nope", text: "x" }] } }, /field 'nope' does not exist/);
    await refused({ ...valid, sendBulkNotification: "yes" }, /sendBulkNotification/);
    assert.deepEqual((await issue("ROAD-19", "labels")).fields.labels, [], "nothing was queued");

    const unknown = await call(sandbox(), "GET", "/rest/api/3/bulk/queue/424242");
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.errorMessages[0], /no bulk operation task/);
  });

  it("lists the bulk editable fields with their options and multi-select operations", async () => {
    const page = await call(sandbox(), "GET", "/rest/api/3/bulk/issues/fields?issueIdsOrKeys=ROAD-4,ROAD-5");
    assert.equal(page.status, 200, page.text);
    const byId = new Map(page.body.fields.map((field: { id: string }) => [field.id, field]));
    assert.ok(byId.has("summary") && byId.has("labels") && byId.has("customfield_10047"));
    assert.ok(!byId.has("status") && !byId.has("created"), "read-only fields are not bulk editable");
    assert.deepEqual((byId.get("labels") as any).multiSelectFieldOptions, ["ADD", "REMOVE", "REPLACE", "REMOVE_ALL"]);
    assert.deepEqual((byId.get("customfield_10047") as any).fieldOptions.map((option: { optionId: number }) => option.optionId), [100470, 100471, 100472, 100473]);
    const searched = await call(sandbox(), "GET", "/rest/api/3/bulk/issues/fields?issueIdsOrKeys=ROAD-4&searchText=prio");
    assert.deepEqual(searched.body.fields.map((field: { id: string }) => field.id), ["priority"]);
    assert.equal((await call(sandbox(), "GET", "/rest/api/3/bulk/issues/fields?issueIdsOrKeys=OPS-1", { auth: BOB })).status, 400, "no issue Bob can see");
  });

  it("counts its routes in the request stats", async () => {
    await call(sandbox(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const submitted = await submit({ selectedIssueIdsOrKeys: ["ROAD-20"], selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "counted" }] }] } });
    await finished(submitted.body.taskId);
    const stats = (await call(sandbox(), "GET", "/_sandbox/stats", { auth: "" })).body.requests;
    assert.equal(stats["POST /rest/api/3/bulk/issues/fields"], 1);
    assert.ok(stats["GET /rest/api/3/bulk/queue/:taskId"] >= 1);
  });
});

describe("bulk edit on Data Center", () => {
  it("does not exist: 404 as for any unknown REST path", async () => {
    const body = { selectedIssueIdsOrKeys: ["ROAD-4"], selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "x" }] }] } };
    const auth = basic("admin", "sandbox-password");
    for (const version of ["2", "latest"]) {
      const submitted = await call(dc(), "POST", `/rest/api/${version}/bulk/issues/fields`, { body, auth });
      assert.equal(submitted.status, 404, submitted.text);
      const unknownPath = await call(dc(), "POST", `/rest/api/${version}/no/such/resource`, { body, auth });
      assert.deepEqual(Object.keys(submitted.body).sort(), Object.keys(unknownPath.body).sort());
      assert.match(submitted.body.message, /^null for uri: /);
      assert.equal((await call(dc(), "GET", `/rest/api/${version}/bulk/queue/10000`, { auth })).status, 404);
    }
  });
});
