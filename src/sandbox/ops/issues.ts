// Issue lifecycle in the sandbox: create, edit, transition, assign and delete, with permissions, changelog and events.
import { fieldById } from "../fields/registry.ts";
import { issueNotFound, JiraError } from "../model/jira-error.ts";
import type { ChangeItem, Issue, Project } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";
import { availableTransitions } from "../render/transitions.ts";
import { addComment } from "./comments.ts";
import { addWorklog } from "./worklogs.ts";
import { applyWrites, eventTypeFor, planWrites, recordChange, type FieldWrites, type PlannedWrites } from "./field-writes.ts";

/** Looks an issue up for the viewer: an issue they may not browse answers 404, exactly like a missing one. */
export function visibleIssue(ctx: RenderContext, idOrKey: string): Issue {
  const issue = ctx.state.issueByIdOrKey(idOrKey);
  if (!issue || !ctx.state.canBrowse(ctx.viewerId, issue)) throw issueNotFound();
  return issue;
}

function requirePermission(ctx: RenderContext, project: Project, permission: Parameters<RenderContext["state"]["hasPermission"]>[2], message: string, status = 403) {
  if (!ctx.state.hasPermission(ctx.viewerId, project, permission)) throw new JiraError(status, [message]);
}

function resolveProject(ctx: RenderContext, value: unknown): Project {
  const input = (value ?? {}) as { id?: unknown; key?: unknown };
  const ref = input.key ?? input.id;
  const project = ref !== undefined ? ctx.state.projectByIdOrKey(String(ref)) : undefined;
  if (!project || !ctx.state.hasPermission(ctx.viewerId, project, "BROWSE_PROJECTS")) {
    throw new JiraError(400, [], { project: "Specify a valid project ID or key" });
  }
  return project;
}

function resolveIssueType(ctx: RenderContext, project: Project, value: unknown) {
  const input = (value ?? {}) as { id?: unknown; name?: unknown };
  const type = [...ctx.state.issueTypes.values()].find(
    (candidate) => String(input.id) === candidate.id || (input.name !== undefined && input.name === candidate.name),
  );
  if (!type) throw new JiraError(400, [], { issuetype: "Specify an issue type" });
  if (!project.issueTypeIds.includes(type.id)) throw new JiraError(400, [], { issuetype: "The issue type selected is invalid." });
  return type;
}

/** Fields on the create screen of a project and type: system ones plus the configured custom fields. */
export function createScreenFields(project: Project, issueTypeId: string): { fieldId: string; required: boolean }[] {
  const system = ["summary", "issuetype", "project", "description", "reporter", "assignee", "priority", "labels", "components", "fixVersions", "versions", "duedate", "parent", "timetracking", "environment"];
  const configured = [...(project.fieldConfig["*"] ?? []), ...(project.fieldConfig[issueTypeId] ?? [])];
  // A project may configure a system field too (description or reporter required, as many sites do).
  const override = new Map(configured.filter((entry) => system.includes(entry.fieldId)).map((entry) => [entry.fieldId, entry.required]));
  return [
    ...system.map((fieldId) => ({ fieldId, required: fieldId === "summary" || fieldId === "issuetype" || fieldId === "project" || override.get(fieldId) === true })),
    ...configured.filter((entry) => !system.includes(entry.fieldId)),
  ];
}

export function createIssue(ctx: RenderContext, input: FieldWrites & { properties?: { key: string; value: unknown }[] }): Issue {
  const fields = (input.fields ?? {}) as Record<string, unknown>;
  if (input.fields !== undefined && (typeof input.fields !== "object" || Array.isArray(input.fields))) {
    throw new JiraError(400, ["Can not deserialize instance of java.util.LinkedHashMap out of START_ARRAY token"]);
  }
  if (fields.project === undefined) throw new JiraError(400, [], { project: "Specify a valid project ID or key" });
  const project = resolveProject(ctx, fields.project);
  requirePermission(ctx, project, "CREATE_ISSUES", "You do not have permission to create issues in this project.", 400);
  if (fields.issuetype === undefined) throw new JiraError(400, [], { issuetype: "Specify an issue type" });
  const type = resolveIssueType(ctx, project, fields.issuetype);

  const screen = createScreenFields(project, type.id);
  const onScreen = new Set(screen.map((field) => field.fieldId));
  const planned = planWrites(ctx, null, input, {
    ignore: ["project", "issuetype"],
    settable: (field) => onScreen.has(field.id),
  });

  const errors: Record<string, string> = {};
  const given = new Set([...planned.values.keys()].filter((field) => planned.values.get(field) !== null).map((field) => field.id));
  for (const { fieldId, required } of screen) {
    // A required priority has a default (the site's), which Jira applies when the field is left out.
    if (!required || fieldId === "project" || fieldId === "issuetype" || fieldId === "priority" || given.has(fieldId)) continue;
    const name = fieldById(ctx.state, fieldId)?.name ?? fieldId;
    errors[fieldId] = fieldId === "summary" ? "You must specify a summary of the issue." : `${name} is required.`;
  }
  const parentField = [...planned.values.keys()].find((field) => field.id === "parent");
  const parentId = parentField ? (planned.values.get(parentField) as string | null) : null;
  if (type.hierarchyLevel < 0 && !parentId) errors.parent = "Given parent issue does not belong to appropriate hierarchy.";
  if (parentId) {
    const parent = ctx.state.issues.get(parentId)!;
    const parentLevel = ctx.state.issueTypeOf(parent).hierarchyLevel;
    if (parentLevel !== type.hierarchyLevel + 1) errors.parent = "Given parent issue does not belong to appropriate hierarchy.";
  }
  if (Object.keys(errors).length) throw new JiraError(400, [], errors);

  const now = ctx.state.now();
  const workflow = ctx.state.workflowOf(project);
  const id = String(ctx.state.nextId("issue"));
  const issue: Issue = {
    id,
    key: `${project.key}-${project.nextIssueNumber++}`,
    projectId: project.id,
    issueTypeId: type.id,
    statusId: workflow.initialStatusId,
    statusCategoryChanged: now,
    priorityId: ctx.state.defaultPriorityId,
    resolutionId: null,
    resolutionDate: null,
    summary: "",
    description: null,
    environment: null,
    reporterId: ctx.viewerId,
    assigneeId: null,
    creatorId: ctx.viewerId,
    labels: [],
    componentIds: [],
    fixVersionIds: [],
    affectsVersionIds: [],
    parentId: null,
    dueDate: null,
    created: now,
    updated: now,
    originalEstimate: null,
    remainingEstimate: null,
    timeSpent: null,
    customFields: {},
    properties: {},
    comments: [],
    worklogs: [],
    attachments: [],
    remoteLinks: [],
    changelog: [],
    indexedAt: now + ctx.state.quirks.searchIndexLagMs,
  };
  applyWrites(ctx, issue, planned);
  for (const property of input.properties ?? []) issue.properties[property.key] = property.value;
  ctx.state.issues.set(id, issue);
  ctx.state.issueIdByKey.set(issue.key, id);
  ctx.state.emit({ type: "issue_created", issue, changelog: null, actorId: ctx.viewerId, at: now });
  applySideWrites(ctx, issue, planned);
  return issue;
}

function applySideWrites(ctx: RenderContext, issue: Issue, planned: PlannedWrites) {
  for (const body of planned.side.comments) addComment(ctx, issue, body);
  for (const worklog of planned.side.worklogs) addWorklog(ctx, issue, worklog);
}

export function editIssue(ctx: RenderContext, issue: Issue, input: FieldWrites & { properties?: { key: string; value: unknown }[] }) {
  const project = ctx.state.projectOf(issue);
  const mayEdit = ctx.state.hasPermission(ctx.viewerId, project, "EDIT_ISSUES");
  const mayAssign = ctx.state.hasPermission(ctx.viewerId, project, "ASSIGN_ISSUES");
  // Without Edit Issues, Jira reports each field as "not on the appropriate screen".
  const planned = planWrites(ctx, issue, input, {
    settable: (field) => mayEdit || (field.id === "assignee" && mayAssign),
  });
  if (planned.side.comments.length && !ctx.state.hasPermission(ctx.viewerId, project, "ADD_COMMENTS")) {
    throw new JiraError(400, [], { comment: "You do not have the permission to comment on this issue." });
  }
  const items = applyWrites(ctx, issue, planned);
  for (const property of input.properties ?? []) issue.properties[property.key] = property.value;
  emitUpdate(ctx, issue, items);
  applySideWrites(ctx, issue, planned);
}

export function emitUpdate(ctx: RenderContext, issue: Issue, items: ChangeItem[], eventTypeName?: string) {
  const entry = recordChange(ctx, issue, items);
  if (!entry) return;
  ctx.state.emit({
    type: "issue_updated",
    issue,
    changelog: entry,
    eventTypeName: eventTypeName ?? eventTypeFor(items),
    ...(ctx.bulkOperation ? { bulkOperation: ctx.bulkOperation } : {}),
    actorId: ctx.viewerId,
    at: entry.created,
  });
}

export function transitionIssue(ctx: RenderContext, issue: Issue, input: FieldWrites & { transition?: { id?: unknown } }) {
  const transitionId = input.transition?.id;
  if (transitionId === undefined || transitionId === null) throw new JiraError(400, ["Missing 'transition' identifier"]);
  const transition = availableTransitions(ctx, issue).find((candidate) => candidate.id === String(transitionId));
  if (!transition) {
    throw new JiraError(400, [`Transition id '${String(transitionId)}' is not valid for this issue.`]);
  }
  const onScreen = new Map(transition.screenFields.map((field) => [field.fieldId, field.required]));
  const planned = planWrites(ctx, issue, input, { settable: (field) => onScreen.has(field.id) });
  const missing: Record<string, string> = {};
  for (const [fieldId, required] of onScreen) {
    const given = [...planned.values.entries()].some(([field, value]) => field.id === fieldId && value !== null);
    if (required && !given) missing[fieldId] = `${fieldById(ctx.state, fieldId)?.name ?? fieldId} is required.`;
  }
  if (Object.keys(missing).length) throw new JiraError(400, [], missing);

  const items = applyWrites(ctx, issue, planned);
  const before = ctx.state.statuses.get(issue.statusId)!;
  const after = ctx.state.statuses.get(transition.to)!;
  if (before.id !== after.id) {
    items.unshift({ field: "status", fieldtype: "jira", fieldId: "status", from: before.id, fromString: before.name, to: after.id, toString: after.name });
    issue.statusId = after.id;
    if (before.category !== after.category) issue.statusCategoryChanged = ctx.state.now();
    // Entering a done status resolves the issue, leaving it unresolves it, as Jira's default workflows do.
    const resolution = ctx.state.resolutions.values().next().value;
    if (after.category === "done" && !issue.resolutionId && resolution) {
      items.push({ field: "resolution", fieldtype: "jira", fieldId: "resolution", from: null, fromString: null, to: resolution.id, toString: resolution.name });
      issue.resolutionId = resolution.id;
      issue.resolutionDate = ctx.state.now();
    } else if (after.category !== "done" && issue.resolutionId) {
      const old = ctx.state.resolutions.get(issue.resolutionId)!;
      items.push({ field: "resolution", fieldtype: "jira", fieldId: "resolution", from: old.id, fromString: old.name, to: null, toString: null });
      issue.resolutionId = null;
      issue.resolutionDate = null;
    }
  }
  emitUpdate(ctx, issue, items);
  applySideWrites(ctx, issue, planned);
}

export function deleteIssue(ctx: RenderContext, issue: Issue, deleteSubtasks: boolean) {
  const project = ctx.state.projectOf(issue);
  requirePermission(ctx, project, "DELETE_ISSUES", "You do not have permission to delete issues in this project.");
  const subtasks = ctx.state.childrenOf(issue.id).filter((child) => ctx.state.issueTypeOf(child).hierarchyLevel < 0);
  if (subtasks.length && !deleteSubtasks) {
    throw new JiraError(400, ["The issue has subtasks. To delete it, set the deleteSubtasks parameter to true."]);
  }
  for (const subtask of subtasks) removeIssue(ctx, subtask);
  removeIssue(ctx, issue);
}

function removeIssue(ctx: RenderContext, issue: Issue) {
  for (const link of ctx.state.linksOf(issue.id)) ctx.state.issueLinks.delete(link.id);
  for (const child of ctx.state.childrenOf(issue.id)) ctx.state.setParent(child, null);
  ctx.state.leaveParent(issue);
  ctx.state.issues.delete(issue.id);
  for (const [key, id] of ctx.state.issueIdByKey) if (id === issue.id) ctx.state.issueIdByKey.delete(key);
  ctx.state.emit({ type: "issue_deleted", issue, actorId: ctx.viewerId, at: ctx.state.now() });
}

/** PUT /issue/{key}/assignee: needs Assign Issues rather than Edit Issues. */
export function assignIssue(ctx: RenderContext, issue: Issue, body: unknown) {
  const project = ctx.state.projectOf(issue);
  requirePermission(ctx, project, "ASSIGN_ISSUES", "You do not have permission to assign issues.");
  const field = fieldById(ctx.state, "assignee")!;
  const parsed = field.parse!(body, ctx, issue);
  if (!parsed.ok) throw new JiraError(400, [], { assignee: parsed.error });
  emitUpdate(ctx, issue, field.apply!(issue, parsed.value, ctx));
}
