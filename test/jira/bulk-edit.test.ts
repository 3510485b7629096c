// The client's bulk edit: the typed input built from plain field values (and what it refuses), one submit polled
// with backoff until Jira's task finishes, per-issue outcomes with a partial permission failure, a task that failed,
// a pending task resumed later, Jira's refusal as a typed error, and Data Center told apart before anything is sent.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allowedValuesOf, buildBulkEdit, bulkEditOutcome } from "../../src/jira/bulk-edit.ts";
import { JiraClient } from "../../src/jira/client.ts";
import type { JiraCredentials } from "../../src/jira/credentials.ts";
import { JiraBulkTaskPendingError, JiraUnsupportedError, JiraValidationError, ReadOnlyViolationError } from "../../src/jira/errors.ts";
import { ConnectorLimiter } from "../../src/jira/limiter.ts";
import type { JiraField } from "../../src/jira/types.ts";
import { call, useSandbox } from "../support/sandbox.ts";

const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

const FAST = { initialDelayMs: 5, maxDelayMs: 20 };
const DAVE_ID = "5b10ac8d82e05b22cc7d4ef8";
const adf = (text: string) => ({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

function client(credentials: JiraCredentials, flavour: "cloud" | "dc" = "cloud", readOnly = false) {
  return new JiraClient({ flavour, siteUrl: (flavour === "cloud" ? cloud() : dc()).url, credentials, limiter: new ConnectorLimiter(), transport: { baseDelayMs: 5 }, readOnly });
}
const as = (name: string) => client({ mode: "api-token", email: `${name}@sandbox.test`, apiToken: `${name}-token` });
const id = (key: string) => cloud().state.issueByIdOrKey(key)!.id;

const PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:";
const FIELDS: JiraField[] = [
  { id: "summary", name: "Summary", custom: false, schema: { type: "string", system: "summary" } },
  { id: "description", name: "Description", custom: false, schema: { type: "string", system: "description" } },
  { id: "labels", name: "Labels", custom: false, schema: { type: "array", items: "string", system: "labels" } },
  { id: "priority", name: "Priority", custom: false, schema: { type: "priority", system: "priority" } },
  { id: "assignee", name: "Assignee", custom: false, schema: { type: "user", system: "assignee" } },
  { id: "duedate", name: "Due date", custom: false, schema: { type: "date", system: "duedate" } },
  { id: "timetracking", name: "Time tracking", custom: false, schema: { type: "timetracking", system: "timetracking" } },
  { id: "components", name: "Components", custom: false, schema: { type: "array", items: "component", system: "components" } },
  { id: "customfield_1", name: "Area", custom: true, schema: { type: "option", custom: `${PLUGIN}select`, customId: 1 } },
  { id: "customfield_2", name: "Platforms", custom: true, schema: { type: "array", items: "option", custom: `${PLUGIN}multiselect`, customId: 2 } },
  { id: "customfield_3", name: "Points", custom: true, schema: { type: "number", custom: "com.pyxis.greenhopper.jira:jsw-story-points", customId: 3 } },
  { id: "customfield_4", name: "Start", custom: true, schema: { type: "date", custom: `${PLUGIN}datepicker`, customId: 4 } },
  { id: "customfield_5", name: "Criticality", custom: true, schema: { type: "string", custom: `${PLUGIN}textfield`, customId: 5 } },
  { id: "customfield_6", name: "Notes", custom: true, schema: { type: "string", custom: `${PLUGIN}textarea`, customId: 6 } },
  { id: "customfield_7", name: "Sprint", custom: true, schema: { type: "array", items: "json", custom: "com.pyxis.greenhopper.jira:gh-sprint", customId: 7 } },
  { id: "customfield_8", name: "Go-live", custom: true, schema: { type: "datetime", custom: `${PLUGIN}datetime`, customId: 8 } },
  { id: "customfield_9", name: "Link", custom: true, schema: { type: "string", custom: `${PLUGIN}url`, customId: 9 } },
  { id: "customfield_10", name: "Cascade", custom: true, schema: { type: "option-with-child", custom: `${PLUGIN}cascadingselect`, customId: 10 } },
];

describe("buildBulkEdit: plain field values to editedFieldsInput", () => {
  it("writes each supported type with its typed input, in the order given", () => {
    const { edit, refused } = buildBulkEdit(
      {
        summary: "New title",
        description: adf("Body"),
        labels: ["a", "b"],
        priority: { id: "2" },
        assignee: { accountId: "abc" },
        duedate: "2026-12-01",
        customfield_1: { id: "100" },
        customfield_2: [{ id: "200" }, { id: "201" }],
        customfield_3: 5,
        customfield_4: "2026-11-30",
        customfield_5: "High",
        customfield_6: null,
        customfield_8: "2026-12-24T09:30:00.000+0000",
        customfield_9: "https://tandem.example/1",
      },
      { fields: FIELDS },
    );
    assert.deepEqual(refused, []);
    assert.deepEqual(edit, {
      selectedActions: ["summary", "description", "labels", "priority", "assignee", "duedate", "customfield_1", "customfield_2", "customfield_3", "customfield_4", "customfield_5", "customfield_6", "customfield_8", "customfield_9"],
      editedFieldsInput: {
        singleLineTextFields: [{ fieldId: "summary", text: "New title" }, { fieldId: "customfield_5", text: "High" }],
        richTextFields: [{ fieldId: "description", richText: { adfValue: adf("Body") } }, { fieldId: "customfield_6", richText: {} }],
        labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "REPLACE", labels: [{ name: "a" }, { name: "b" }] }],
        priority: { priorityId: "2" },
        singleSelectClearableUserPickerFields: [{ fieldId: "assignee", user: { accountId: "abc" } }],
        datePickerFields: [{ fieldId: "duedate", date: { formattedDate: "2026-12-01" } }, { fieldId: "customfield_4", date: { formattedDate: "2026-11-30" } }],
        singleSelectFields: [{ fieldId: "customfield_1", option: { optionId: 100 } }],
        multipleSelectFields: [{ fieldId: "customfield_2", options: [{ optionId: 200 }, { optionId: 201 }] }],
        clearableNumberFields: [{ fieldId: "customfield_3", value: 5 }],
        dateTimePickerFields: [{ fieldId: "customfield_8", dateTime: { formattedDateTime: "2026-12-24T09:30:00.000Z" } }],
        urlFields: [{ fieldId: "customfield_9", url: "https://tandem.example/1" }],
      },
    });
  });

  it("clears with Jira's clearing inputs", () => {
    const { edit, refused } = buildBulkEdit({ labels: [], assignee: null, customfield_1: null, customfield_2: [], customfield_3: null, customfield_4: null, customfield_5: null, customfield_9: null }, { fields: FIELDS });
    assert.deepEqual(refused, []);
    const input = edit!.editedFieldsInput;
    assert.deepEqual(input.labelsFields, [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "REMOVE_ALL", labels: [] }]);
    assert.deepEqual(input.singleSelectClearableUserPickerFields, [{ fieldId: "assignee", user: null }]);
    assert.deepEqual(input.singleSelectFields, [{ fieldId: "customfield_1", option: { optionId: -1 } }]);
    assert.deepEqual(input.multipleSelectFields, [{ fieldId: "customfield_2", options: [] }]);
    assert.deepEqual(input.clearableNumberFields, [{ fieldId: "customfield_3", value: null }]);
    assert.deepEqual(input.datePickerFields, [{ fieldId: "customfield_4", date: { formattedDate: "" } }]);
    assert.deepEqual(input.singleLineTextFields, [{ fieldId: "customfield_5", text: "" }]);
    assert.deepEqual(input.urlFields, [{ fieldId: "customfield_9", url: "" }]);
  });

  it("turns names and option values into ids from the allowed values, and refuses them without", () => {
    const fields = { priority: { name: "High" }, customfield_1: { value: "Web" }, customfield_2: [{ value: "iOS" }] };
    const without = buildBulkEdit(fields, { fields: FIELDS });
    assert.equal(without.edit, null);
    assert.deepEqual(without.refused.map((refusal) => refusal.field), ["priority", "customfield_1", "customfield_2"]);
    assert.match(without.refused[0]!.reason, /allowed values/);
    const allowedValues = allowedValuesOf({
      priority: { required: false, name: "Priority", allowedValues: [{ id: "1", name: "Highest" }, { id: "2", name: "High" }] },
      customfield_1: { required: false, name: "Area", allowedValues: [{ self: "x", id: "100", value: "Web" }] },
      customfield_2: { required: false, name: "Platforms", allowedValues: [{ id: "200", value: "iOS" }] },
    });
    const withValues = buildBulkEdit(fields, { fields: FIELDS, allowedValues });
    assert.deepEqual(withValues.refused, []);
    assert.deepEqual(withValues.edit!.editedFieldsInput.priority, { priorityId: "2" });
    assert.deepEqual(withValues.edit!.editedFieldsInput.singleSelectFields, [{ fieldId: "customfield_1", option: { optionId: 100 } }]);
    assert.deepEqual(withValues.edit!.editedFieldsInput.multipleSelectFields, [{ fieldId: "customfield_2", options: [{ optionId: 200 }] }]);
  });

  it("refuses what the bulk API cannot express, keeping the rest, so the caller writes those fields one issue at a time", () => {
    const { edit, refused } = buildBulkEdit(
      {
        labels: ["kept"],
        timetracking: { originalEstimate: "90m" },
        components: [{ id: "1" }],
        customfield_7: 3,
        customfield_10: { id: "1" },
        summary: null,
        description: "wiki *markup*",
        assignee: { name: "bob" },
        priority: null,
        customfield_4: "02/12/2026",
        customfield_99: "x",
      },
      { fields: FIELDS },
    );
    assert.deepEqual(edit, { selectedActions: ["labels"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "REPLACE", labels: [{ name: "kept" }] }] } });
    assert.deepEqual(refused.map((refusal) => refusal.field), ["timetracking", "components", "customfield_7", "customfield_10", "summary", "description", "assignee", "priority", "customfield_4", "customfield_99"]);
    const reason = (field: string) => refused.find((refusal) => refusal.field === field)!.reason;
    assert.match(reason("timetracking"), /cannot be written by a bulk edit/);
    assert.match(reason("description"), /ADF document only/);
    assert.match(reason("assignee"), /accountId/);
    assert.match(reason("priority"), /cannot be cleared/);
    assert.match(reason("customfield_99"), /not a field of this site/);
  });

  it("names issues by id in the outcome and lists requested ids Jira did not report as unaccounted", () => {
    const outcome = bulkEditOutcome(["1", "2", "3", "4", "ROAD-9"], { taskId: "7", status: "COMPLETE", processedAccessibleIssues: [1, 2], failedAccessibleIssues: { "3": ["nope"] }, invalidOrInaccessibleIssueCount: 2, totalIssueCount: 5 });
    assert.deepEqual(outcome, { taskId: "7", status: "COMPLETE", succeeded: ["1", "2"], failed: [{ issueId: "3", reasons: ["nope"] }], invalidOrInaccessibleCount: 2, unaccounted: ["4"], totalIssueCount: 5 });
  });
});

describe("JiraClient.bulkEditFields against the sandbox", () => {
  it("builds from the site's fields and edit metadata, submits once, polls until done and names each issue's outcome", async () => {
    const bob = as("bob");
    const lookups = { fields: await bob.fields(), allowedValues: allowedValuesOf(await bob.editMeta("ROAD-4")) };
    const { edit, refused } = buildBulkEdit(
      {
        summary: "Edited in bulk by the client",
        description: adf("From Tandem"),
        labels: ["tandem", "bulk"],
        priority: { name: "Low" },
        assignee: { accountId: DAVE_ID },
        customfield_10047: { value: "Data" },
        customfield_10049: [{ value: "Web" }, { value: "Desktop" }],
        customfield_10016: 21,
        customfield_10044: "2026-12-07",
        customfield_10041: "Critical",
        timetracking: { originalEstimate: "120m" },
      },
      lookups,
    );
    assert.deepEqual(refused.map((refusal) => refusal.field), ["timetracking"]);
    await call(cloud(), "POST", "/_sandbox/stats/reset", { auth: "" });
    const progress: string[] = [];
    // Bob edits ROAD; OPS is invisible to him; 99999 does not exist.
    const requested = [id("ROAD-4"), id("ROAD-5"), id("OPS-1"), "99999"];
    const outcome = await bob.bulkEditFields(requested, edit!, { sendNotification: false, poll: { ...FAST, onProgress: (answer) => progress.push(answer.status) } });
    assert.equal(outcome.status, "COMPLETE");
    assert.deepEqual(outcome.succeeded, [id("ROAD-4"), id("ROAD-5")]);
    assert.deepEqual(outcome.failed, []);
    assert.equal(outcome.invalidOrInaccessibleCount, 2);
    assert.deepEqual(outcome.unaccounted, [id("OPS-1"), "99999"]);
    assert.equal(outcome.totalIssueCount, 4);

    const stats = (await call(cloud(), "GET", "/_sandbox/stats", { auth: "" })).body.requests;
    assert.equal(stats["POST /rest/api/3/bulk/issues/fields"], 1, "one submit for every issue");
    assert.equal(stats["GET /rest/api/3/bulk/queue/:taskId"], progress.length + 1, "polled until the task finished");
    assert.equal(stats["PUT /rest/api/3/issue/:key"], undefined, "no single edits");

    const issue = await bob.getIssue("ROAD-5", { fields: ["summary", "description", "labels", "priority", "assignee", "customfield_10047", "customfield_10049", "customfield_10016", "customfield_10044", "customfield_10041"] });
    const f = issue.fields!;
    assert.equal(f.summary, "Edited in bulk by the client");
    assert.deepEqual(f.description, adf("From Tandem"));
    assert.deepEqual(f.labels, ["tandem", "bulk"]);
    assert.equal((f.priority as { name: string }).name, "Low");
    assert.equal((f.assignee as { accountId: string }).accountId, DAVE_ID);
    assert.equal((f.customfield_10047 as { value: string }).value, "Data");
    assert.deepEqual((f.customfield_10049 as { value: string }[]).map((option) => option.value), ["Web", "Desktop"]);
    assert.equal(f.customfield_10016, 21);
    assert.equal(f.customfield_10044, "2026-12-07");
    assert.equal(f.customfield_10041, "Critical");
  });

  it("reports a partial permission failure per issue: Carol may read but not edit, Alice may edit", async () => {
    const edit = buildBulkEdit({ labels: ["reviewed"] }, { fields: await as("carol").fields() }).edit!;
    const issues = [id("ROAD-6"), id("OPS-2")];
    const carol = await as("carol").bulkEditFields(issues, edit, { poll: FAST });
    assert.deepEqual(carol.succeeded, []);
    assert.deepEqual(carol.failed.map((entry) => entry.issueId).sort(), [...issues].sort());
    for (const entry of carol.failed) assert.match(entry.reasons.join(" "), /permission to edit/);
    assert.deepEqual(carol.unaccounted, []);

    // Bob sees ROAD-6 but not OPS-2, and ROAD-6 takes a value Jira refuses.
    const refusedValue = buildBulkEdit({ labels: ["ok"], priority: { id: "98" } }, { fields: await as("bob").fields() }).edit!;
    const bob = await as("bob").bulkEditFields(issues, refusedValue, { poll: FAST });
    assert.deepEqual(bob.succeeded, []);
    assert.deepEqual(bob.failed, [{ issueId: id("ROAD-6"), reasons: ["Priority: Priority name '98' is not valid"] }]);
    assert.deepEqual(bob.unaccounted, [id("OPS-2")]);

    const alice = await as("alice").bulkEditFields(issues, edit, { poll: FAST });
    assert.deepEqual(alice.succeeded, issues);
  });

  it("gives a task that ended FAILED as its outcome: nothing succeeded or failed by name, every requested issue unaccounted", async () => {
    const alice = as("alice");
    const edit = buildBulkEdit({ labels: ["never-applied"] }, { fields: await alice.fields() }).edit!;
    const issues = [id("ROAD-18"), id("ROAD-19")];
    assert.equal((await call(cloud(), "POST", "/_sandbox/bulk", { auth: "", body: { failNextTask: true } })).status, 200);
    const outcome = await alice.bulkEditFields(issues, edit, { poll: FAST });
    assert.deepEqual(outcome, { taskId: outcome.taskId, status: "FAILED", succeeded: [], failed: [], invalidOrInaccessibleCount: 0, unaccounted: issues, totalIssueCount: 2 });
    const progress = await alice.bulkOperationProgress(outcome.taskId);
    assert.equal(progress.status, "FAILED");
    assert.equal(progress.processedAccessibleIssues, undefined, "a task that did not complete gives no results");
    for (const key of ["ROAD-18", "ROAD-19"]) assert.ok(!cloud().state.issueByIdOrKey(key)!.labels.includes("never-applied"), `${key} was not edited`);
    assert.equal((await call(cloud(), "GET", "/_sandbox/bulk", { auth: "" })).body.failNextTask, false, "only the next task fails");
  });

  it("stops waiting after the timeout with the task id, and picks the task up again later", async () => {
    await call(cloud(), "POST", "/_sandbox/bulk", { auth: "", body: { startDelayMs: 150, issuesPerStep: 1, stepDelayMs: 50 } });
    try {
      const alice = as("alice");
      const edit = buildBulkEdit({ labels: ["slow"] }, { fields: await alice.fields() }).edit!;
      const issues = [id("ROAD-16"), id("ROAD-17")];
      const pending = await alice.bulkEditFields(issues, edit, { poll: { initialDelayMs: 5, maxDelayMs: 5, timeoutMs: 20 } }).then(
        () => assert.fail("the task cannot have finished yet"),
        (error: unknown) => error,
      );
      assert.ok(pending instanceof JiraBulkTaskPendingError, String(pending));
      assert.equal(pending.kind, "transient");
      assert.match(pending.message, /still (ENQUEUED|RUNNING)/);
      const seen: string[] = [];
      const done = await alice.waitForBulkOperation(pending.taskId, { ...FAST, onProgress: (progress) => seen.push(progress.status) });
      assert.equal(done.status, "COMPLETE");
      assert.deepEqual(done.processedAccessibleIssues, issues.map(Number));
      assert.ok(seen.includes("RUNNING"), seen.join(","));
    } finally {
      await call(cloud(), "POST", "/_sandbox/bulk", { auth: "", body: { startDelayMs: 0, issuesPerStep: 100, stepDelayMs: 0 } });
    }
  });

  it("throws Jira's refusal of the request as a validation error with its messages", async () => {
    const alice = as("alice");
    const bad = { selectedActions: ["labels", "summary"], editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD" as const, labels: [{ name: "x" }] }] } };
    const error = await alice.bulkEditFields([id("ROAD-7")], bad).catch((caught: unknown) => caught);
    assert.ok(error instanceof JiraValidationError, String(error));
    assert.equal(error.status, 400);
    assert.deepEqual(error.jiraMessages, ["The following selectedActions values have no value in editedFieldsInput : summary"]);
    assert.match(error.message, /no value in editedFieldsInput : summary/);
    await assert.rejects(alice.bulkEditFields([], bad), RangeError);
    await assert.rejects(alice.bulkEditFields(Array.from({ length: 1001 }, (_, index) => String(20000 + index)), bad), /1 to 1000 issues/);
    await assert.rejects(alice.waitForBulkOperation("5555", FAST), JiraValidationError, "an unknown task is Jira's 400");
  });

  it("refuses before sending anything on Data Center and on a read-only connection", async () => {
    const edit = buildBulkEdit({ labels: ["x"] }, { fields: FIELDS }).edit!;
    const onDc = client({ mode: "pat", token: "alice-pat" }, "dc");
    assert.equal(onDc.supportsBulkEdit, false);
    await call(dc(), "POST", "/_sandbox/stats/reset", { auth: "" });
    await assert.rejects(onDc.bulkEditFields(["10024"], edit), (error: unknown) => error instanceof JiraUnsupportedError && /Data Center has no bulk edit API/.test(error.message));
    assert.equal((await call(dc(), "GET", "/_sandbox/stats", { auth: "" })).body.total, 0);

    const readOnly = client({ mode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" }, "cloud", true);
    await assert.rejects(readOnly.bulkEditFields([id("ROAD-7")], edit), ReadOnlyViolationError);
  });
});
