// The sandbox as jira.js v6 sees it: every response validated against jira.js's Jira Cloud schemas
// (onSchemaMismatch: "throw"), so a shape the real Jira would not send fails the test.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgileClient, createCloudClient } from "jira.js";
import { ADMIN, call, useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud" });

function client(email = ADMIN.email, apiToken = ADMIN.token) {
  return createCloudClient({ host: sandbox().url, auth: { type: "basic", email, apiToken }, onSchemaMismatch: "throw" });
}

function agile(email = ADMIN.email, apiToken = ADMIN.token) {
  return createAgileClient({ host: sandbox().url, auth: { type: "basic", email, apiToken }, onSchemaMismatch: "throw" });
}

const adf = (text: string) => ({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

describe("jira.js v6 against the Cloud sandbox", () => {
  it("reads the site: serverInfo, myself, configuration", async () => {
    const jira = client();
    const info = await jira.serverInfo.getServerInfo();
    assert.equal(info.deploymentType, "Cloud");
    assert.equal(info.baseUrl, sandbox().url);
    const me = await jira.myself.getCurrentUser();
    assert.equal(me.emailAddress, ADMIN.email);
    const config = await jira.jiraSettings.getConfiguration();
    assert.equal(config.timeTrackingConfiguration?.workingHoursPerDay, sandbox().state.site.hoursPerDay);
  });

  it("lists fields with schemas, including every custom field", async () => {
    const fields = await client().issueFields.getFields();
    const custom = fields.filter((field) => field.custom);
    assert.equal(custom.length, sandbox().state.customFields.size);
    const storyPoints = fields.find((field) => field.id === "customfield_10016");
    assert.equal(storyPoints?.schema?.type, "number");
    assert.ok(fields.some((field) => field.id === "summary" && field.schema?.type === "string"));
  });

  it("reads statuses, categories, priorities, resolutions and issue types", async () => {
    const jira = client();
    const statuses = await jira.workflowStatuses.getStatuses();
    assert.equal(statuses.length, sandbox().state.statuses.size);
    const categories = await jira.workflowStatusCategories.getStatusCategories();
    assert.deepEqual(categories.map((category) => category.key).sort(), ["done", "indeterminate", "new"]);
    const priorities = await jira.issuePriorities.searchPriorities();
    assert.equal(priorities.values?.length, sandbox().state.priorities.size);
    const types = await jira.issueTypes.getIssueAllTypes();
    assert.ok(types.some((type) => type.name === "Epic" && type.hierarchyLevel === 1));
    assert.ok(types.some((type) => type.subtask && type.hierarchyLevel === -1));
    const firstResolution = [...sandbox().state.resolutions.values()][0]!;
    const resolution = await jira.issueResolutions.getResolution({ id: firstResolution.id });
    assert.equal(resolution.name, firstResolution.name);
  });

  it("searches projects and reads one with its statuses and hierarchy", async () => {
    const jira = client();
    const page = await jira.projects.searchProjects({ maxResults: 2 });
    assert.equal(page.values.length, 2);
    assert.equal(page.total, sandbox().state.projects.size);
    const road = await jira.projects.getProject({ projectIdOrKey: "ROAD" });
    assert.equal(road.key, "ROAD");
    const statuses = await jira.projects.getAllStatuses({ projectIdOrKey: "ROAD" });
    assert.ok(statuses.length > 0 && statuses.every((type) => type.statuses.length > 0));
    const hierarchy = await jira.projects.getHierarchy({ projectId: Number(road.id) });
    assert.deepEqual(hierarchy.hierarchy?.map((level) => level.level), [2, 1, 0, -1]);
  });

  it("describes create metadata and creates, reads, edits and transitions an issue", async () => {
    const jira = client("alice@sandbox.test", "alice-token");
    const types = await jira.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: "ROAD" });
    const bug = types.issueTypes?.find((type) => type.name === "Bug");
    assert.ok(bug?.id);
    const meta = await jira.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: "ROAD", issueTypeId: bug.id });
    const required = meta.fields?.filter((field) => field.required).map((field) => field.fieldId).sort();
    assert.deepEqual(required, ["customfield_10051", "issuetype", "project", "summary"]);

    const created = await jira.issues.createIssue({
      fields: { project: { key: "ROAD" }, issuetype: { id: "10002" }, summary: "Made by jira.js", description: adf("Hello from jira.js"), labels: ["jira-js"], customfield_10016: 5 } as never,
    });
    assert.match(created.key, /^ROAD-\d+$/);
    const issue = await jira.issues.getIssue({ issueIdOrKey: created.key, expand: "names,schema,changelog" });
    assert.equal(issue.fields!.summary, "Made by jira.js");
    assert.deepEqual(issue.fields!.labels, ["jira-js"]);
    assert.equal((issue.fields as Record<string, unknown>).customfield_10016, 5);
    assert.deepEqual(issue.fields!.description, adf("Hello from jira.js"));

    await jira.issues.editIssue({ issueIdOrKey: created.key, fields: { summary: "Renamed by jira.js" }, update: { labels: [{ add: "edited" }] } });
    const edited = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ["summary", "labels"] });
    assert.equal(edited.fields!.summary, "Renamed by jira.js");
    assert.deepEqual([...edited.fields!.labels].sort(), ["edited", "jira-js"]);

    const editMeta = await jira.issues.getEditIssueMeta({ issueIdOrKey: created.key });
    assert.ok(editMeta.fields?.summary);

    const transitions = await jira.issues.getTransitions({ issueIdOrKey: created.key, expand: "transitions.fields" });
    const next = transitions.transitions?.[0];
    assert.ok(next?.id && next.to?.id, "a transition is available from the initial status");
    await jira.issues.doTransition({ issueIdOrKey: created.key, transition: { id: next.id } });
    const moved = await jira.issues.getIssue({ issueIdOrKey: created.key, fields: ["status"] });
    assert.equal(moved.fields!.status.id, next.to.id);

    const changelog = await jira.issues.getChangeLogs({ issueIdOrKey: created.key });
    const fieldsChanged = changelog.values.flatMap((history) => history.items?.map((item) => item.fieldId) ?? []);
    assert.ok(fieldsChanged.includes("summary") && fieldsChanged.includes("status"));
  });

  it("comments, logs work, sets properties, links issues and remote links", async () => {
    const jira = client("alice@sandbox.test", "alice-token");
    const comment = await jira.issueComments.addComment({ issueIdOrKey: "ROAD-1", body: adf("A comment") as never });
    assert.ok(comment.id);
    const comments = await jira.issueComments.getComments({ issueIdOrKey: "ROAD-1" });
    assert.ok(comments.comments?.some((candidate) => candidate.id === comment.id));
    const updated = await jira.issueComments.updateComment({ issueIdOrKey: "ROAD-1", id: comment.id!, body: { body: adf("Edited") } as never });
    assert.deepEqual(updated.body, adf("Edited"));
    await jira.issueComments.deleteComment({ issueIdOrKey: "ROAD-1", id: comment.id! });

    const worklog = await jira.issueWorklogs.addWorklog({ issueIdOrKey: "ROAD-2", timeSpentSeconds: 3600 });
    assert.equal(worklog.timeSpentSeconds, 3600);

    await jira.issueProperties.setIssueProperty({ issueIdOrKey: "ROAD-2", propertyKey: "tandem.item", body: { itemId: "abc" } });
    const property = await jira.issueProperties.getIssueProperty({ issueIdOrKey: "ROAD-2", propertyKey: "tandem.item" });
    assert.deepEqual(property.value, { itemId: "abc" });

    const remote = await jira.issueRemoteLinks.createOrUpdateRemoteIssueLink({ issueIdOrKey: "ROAD-2", globalId: "tandem:1", object: { url: "https://tandem.example/items/1", title: "Item 1" } });
    assert.ok(remote.id);
    const links = await jira.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: "ROAD-2" });
    assert.ok(Array.isArray(links) && links.length >= 1);

    const types = await jira.issueLinkTypes.getIssueLinkTypes();
    await jira.issueLinks.linkIssues({ type: { name: types.issueLinkTypes![0]!.name }, inwardIssue: { key: "ROAD-2" }, outwardIssue: { key: "ROAD-3" } });
    const linked = await jira.issues.getIssue({ issueIdOrKey: "ROAD-2", fields: ["issuelinks"] });
    assert.ok(linked.fields!.issuelinks.length >= 1);
  });

  it("pages the enhanced search with nextPageToken and finds exactly the matching issues", async () => {
    const jira = client();
    const seen: string[] = [];
    let nextPageToken: string | undefined;
    let pages = 0;
    do {
      const page = await jira.issueSearch.searchAndReconsileIssuesUsingJql({ jql: "project = ROAD ORDER BY key ASC", maxResults: 7, fields: ["summary", "status"], nextPageToken });
      seen.push(...(page.issues ?? []).map((issue) => issue.key!));
      nextPageToken = page.nextPageToken ?? undefined;
      pages += 1;
    } while (nextPageToken);
    const expected = [...sandbox().state.issues.values()].filter((issue) => issue.projectId === "10002").map((issue) => issue.key);
    assert.deepEqual([...seen].sort(), [...expected].sort());
    assert.equal(pages, Math.ceil(expected.length / 7));
    const count = await jira.issueSearch.countIssues({ jql: "project = ROAD" });
    assert.equal(count.count, expected.length);
  });

  it("bulk fetches issues and changelogs", async () => {
    const jira = client();
    const result = await jira.issues.bulkFetchIssues({ issueIdsOrKeys: ["ROAD-3", "ROAD-1", "NOPE-1"], fields: ["summary"] });
    assert.deepEqual(result.issues?.map((issue) => issue.key), ["ROAD-1", "ROAD-3"]);
    const logs = await jira.issues.getBulkChangelogs({ issueIdsOrKeys: ["ROAD-1", "ROAD-2"] });
    const roadIds = ["ROAD-1", "ROAD-2"].map((key) => sandbox().state.issueByIdOrKey(key)!);
    const expected = roadIds.reduce((sum, issue) => sum + issue.changelog.length, 0);
    const got = (logs.issueChangeLogs ?? []).reduce((sum, entry) => sum + (entry.changeHistories?.length ?? 0), 0);
    assert.equal(got, expected);
  });

  it("bulk edits issues and follows the task: submitBulkEdit, getBulkOperationProgress, getBulkEditableFields", async () => {
    const jira = client("bob@sandbox.test", "bob-token");
    const editable = await jira.issueBulkOperations.getBulkEditableFields({ issueIdsOrKeys: "ROAD-5,ROAD-6" });
    assert.ok(editable.fields?.some((field) => (field as { id?: string }).id === "labels"));
    // Bob may edit ROAD but not see OPS.
    const submitted = await jira.issueBulkOperations.submitBulkEdit({
      selectedIssueIdsOrKeys: ["ROAD-5", "ROAD-6", "OPS-1"],
      selectedActions: ["labels", "priority"],
      editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "jira-js-bulk" }] }], priority: { priorityId: "4" } },
      sendBulkNotification: false,
    });
    assert.ok(submitted.taskId);
    let progress = await jira.issueBulkOperations.getBulkOperationProgress({ taskId: submitted.taskId });
    for (let attempt = 0; attempt < 100 && progress.status !== "COMPLETE"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      progress = await jira.issueBulkOperations.getBulkOperationProgress({ taskId: submitted.taskId });
    }
    assert.equal(progress.status, "COMPLETE");
    assert.ok(progress.created instanceof Date && progress.updated instanceof Date);
    assert.deepEqual(progress.processedAccessibleIssues, [10025, 10026]);
    assert.equal(progress.invalidOrInaccessibleIssueCount, 1);
    const issue = await jira.issues.getIssue({ issueIdOrKey: "ROAD-6", fields: ["labels", "priority"] });
    assert.ok(issue.fields!.labels.includes("jira-js-bulk"));
    assert.equal(issue.fields!.priority?.id, "4");
  });

  it("serves the agile API: boards, sprints and sprint issues", async () => {
    const jira = agile();
    const boards = await jira.board.getAllBoards();
    assert.equal(boards.values.length, sandbox().state.boards.size);
    const sprints = await jira.board.getAllSprints({ boardId: 1 });
    assert.deepEqual(sprints.values!.map((sprint) => sprint.name), ["ROAD Sprint 1", "ROAD Sprint 2", "ROAD Sprint 3"]);
    const issues = await jira.sprint.getIssuesForSprint({ sprintId: 2 });
    assert.ok((issues.issues ?? []).length > 0);
  });

  it("works through the OAuth gateway with an access token from the authorize flow", async () => {
    const { url, state } = sandbox();
    const redirect = "http://127.0.0.1:9/callback";
    const authorize = await call(sandbox(), "GET", `/authorize?audience=api.atlassian.com&client_id=sandbox-client-id&scope=${encodeURIComponent("read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access")}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz&response_type=code&prompt=consent&sandbox_user=alice@sandbox.test`, { auth: "" });
    assert.equal(authorize.status, 302);
    const location = new URL(authorize.headers.get("location")!);
    assert.equal(location.searchParams.get("state"), "xyz");
    const token = await call(sandbox(), "POST", "/oauth/token", { auth: "", body: { grant_type: "authorization_code", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret", code: location.searchParams.get("code"), redirect_uri: redirect } });
    assert.equal(token.status, 200);
    const jira = createCloudClient({ host: `${url}/ex/jira/${state.site.cloudId}`, auth: { type: "bearer", token: token.body.access_token }, onSchemaMismatch: "throw" });
    const me = await jira.myself.getCurrentUser();
    assert.equal(me.emailAddress, "alice@sandbox.test");
    const issue = await jira.issues.getIssue({ issueIdOrKey: "ROAD-1", fields: ["summary"] });
    assert.equal(issue.self, `${url}/ex/jira/${state.site.cloudId}/rest/api/3/issue/${issue.id}`);
    const registered = await jira.webhooks.registerDynamicWebhooks({ url: "https://tandem.example/hooks/1", webhooks: [{ events: ["jira:issue_updated"], jqlFilter: "project = ROAD" }] });
    const createdId = registered.webhookRegistrationResult?.[0]?.createdWebhookId;
    assert.ok(createdId);
    const refreshed = await jira.webhooks.refreshWebhooks({ webhookIds: [createdId] });
    assert.ok(refreshed.expirationDate);
  });
});
