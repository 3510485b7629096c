// The site configuration every seed starts from: statuses, workflows, issue types, priorities, custom fields, users.
import type { SandboxState } from "../model/state.ts";
import { ALL_PROJECT_PERMISSIONS, type CustomField, type CustomFieldKind, type Project, type ProjectPermission, type SandboxUser } from "../model/types.ts";

export interface AdminCredentials {
  email: string;
  token: string;
  password: string;
}

export const DEFAULT_ADMIN: AdminCredentials = {
  email: "admin@sandbox.test",
  token: "sandbox-token",
  password: "sandbox-password",
};

/** Well-known ids of the base configuration, so seeds and tests can name them. */
export const IDS = {
  status: { backlog: "10004", todo: "10000", inProgress: "10001", inReview: "10002", blocked: "10005", done: "10003" },
  type: { initiative: "10005", epic: "10000", story: "10001", task: "10002", bug: "10003", subtask: "10004" },
  workflow: { software: "1", simple: "2" },
} as const;

export const CUSTOM_FIELDS = {
  storyPoints: "customfield_10016",
  sprint: "customfield_10020",
  statusComments: "customfield_10040",
  criticality: "customfield_10041",
  criticalityRatio: "customfield_10042",
  daysUntilCritical: "customfield_10043",
  projectedStart: "customfield_10044",
  lastSyncDate: "customfield_10045",
  taskUrl: "customfield_10046",
  productArea: "customfield_10047",
  capitalised: "customfield_10048",
  platforms: "customfield_10049",
  reviewer: "customfield_10050",
  risk: "customfield_10051",
  teamTags: "customfield_10052",
  goLive: "customfield_10053",
  criticalityText: "customfield_10054",
} as const;

export function installBaseConfiguration(state: SandboxState, admin: AdminCredentials): SandboxUser {
  const statuses: [string, string, "new" | "indeterminate" | "done"][] = [
    [IDS.status.todo, "To Do", "new"],
    [IDS.status.inProgress, "In Progress", "indeterminate"],
    [IDS.status.inReview, "In Review", "indeterminate"],
    [IDS.status.done, "Done", "done"],
    [IDS.status.backlog, "Backlog", "new"],
    [IDS.status.blocked, "Blocked", "indeterminate"],
  ];
  for (const [id, name, category] of statuses) state.statuses.set(id, { id, name, description: "", category });

  const priorities = [["1", "Highest", "#d04437"], ["2", "High", "#f15c75"], ["3", "Medium", "#f79232"], ["4", "Low", "#707070"], ["5", "Lowest", "#999999"]];
  for (const [id, name, color] of priorities) state.priorities.set(id, { id, name, description: `${name} priority`, statusColor: color });
  state.defaultPriorityId = "3";

  for (const [id, name] of [["10000", "Done"], ["10001", "Won't Do"], ["10002", "Duplicate"]]) {
    state.resolutions.set(id, { id, name, description: `Work on this issue is ${name.toLowerCase()}.` });
  }

  const types: [string, string, number, string][] = [
    [IDS.type.epic, "Epic", 1, "A big user story that needs to be broken down."],
    [IDS.type.story, "Story", 0, "Functionality or a feature expressed as a user goal."],
    [IDS.type.task, "Task", 0, "A small, distinct piece of work."],
    [IDS.type.bug, "Bug", 0, "A problem or error."],
    [IDS.type.subtask, "Sub-task", -1, "A small piece of work that's part of a larger task."],
    [IDS.type.initiative, "Initiative", 2, "A collection of epics that drive toward a common goal."],
  ];
  for (const [id, name, hierarchyLevel, description] of types) state.issueTypes.set(id, { id, name, hierarchyLevel, description });

  const s = IDS.status;
  state.workflows.set(IDS.workflow.software, {
    id: IDS.workflow.software,
    name: "Software workflow",
    initialStatusId: s.backlog,
    statusIds: [s.backlog, s.todo, s.inProgress, s.inReview, s.blocked, s.done],
    // Done is several steps away from Backlog: integrations must walk the workflow.
    transitions: [
      { id: "11", name: "Select for development", from: [s.backlog], to: s.todo, screenFields: [] },
      { id: "21", name: "Start progress", from: [s.todo], to: s.inProgress, screenFields: [] },
      { id: "31", name: "Submit for review", from: [s.inProgress], to: s.inReview, screenFields: [] },
      { id: "41", name: "Approve", from: [s.inReview], to: s.done, screenFields: [{ fieldId: "resolution", required: false }] },
      { id: "51", name: "Reopen", from: [s.done], to: s.todo, screenFields: [] },
      { id: "61", name: "Block", from: [s.inProgress, s.inReview], to: s.blocked, screenFields: [{ fieldId: CUSTOM_FIELDS.statusComments, required: true }] },
      { id: "71", name: "Unblock", from: [s.blocked], to: s.inProgress, screenFields: [] },
      { id: "81", name: "Back to backlog", from: [s.todo], to: s.backlog, screenFields: [] },
      { id: "91", name: "Request changes", from: [s.inReview], to: s.inProgress, screenFields: [] },
    ],
  });
  state.workflows.set(IDS.workflow.simple, {
    id: IDS.workflow.simple,
    name: "Simple workflow",
    initialStatusId: s.todo,
    statusIds: [s.todo, s.inProgress, s.done],
    transitions: [
      { id: "11", name: "To Do", from: [], to: s.todo, screenFields: [] },
      { id: "21", name: "In Progress", from: [], to: s.inProgress, screenFields: [] },
      { id: "31", name: "Done", from: [], to: s.done, screenFields: [] },
    ],
  });

  for (const [id, name, inward, outward] of [
    ["10000", "Blocks", "is blocked by", "blocks"],
    ["10001", "Relates", "relates to", "relates to"],
    ["10002", "Duplicate", "is duplicated by", "duplicates"],
    ["10003", "Cloners", "is cloned by", "clones"],
  ]) {
    state.issueLinkTypes.set(id, { id, name, inward, outward });
  }

  const field = (id: string, name: string, kind: CustomFieldKind, description: string, options: string[] = []): CustomField => ({
    id,
    numericId: Number(id.replace("customfield_", "")),
    name,
    kind,
    description,
    options: options.map((value, index) => ({ id: String(Number(id.replace("customfield_", "")) * 10 + index), value, disabled: false })),
  });
  const c = CUSTOM_FIELDS;
  for (const definition of [
    field(c.storyPoints, "Story point estimate", "storypoints", "Measurement of complexity and/or size of a requirement."),
    field(c.sprint, "Sprint", "sprint", "Jira Software sprint field"),
    field(c.statusComments, "Status Comments", "textarea", "What the team says about where the work stands."),
    field(c.criticality, "Criticality", "text", "Written by the scheduler: how critical the task is."),
    field(c.criticalityRatio, "Criticality Ratio", "number", "Written by the scheduler."),
    field(c.daysUntilCritical, "Days Until Critical", "number", "Written by the scheduler."),
    field(c.projectedStart, "Projected Start", "date", "Written by the scheduler."),
    field(c.lastSyncDate, "Last Sync Date", "date", "When Tandem last pushed this issue."),
    field(c.taskUrl, "Task URL", "url", "Link back to the task in the planning tool."),
    field(c.productArea, "Product Area", "select", "Which product area the work belongs to.", ["Platform", "Mobile", "Web", "Data"]),
    field(c.capitalised, "Is Capitalised", "checkboxes", "Counts toward capital expenditure.", ["Yes"]),
    field(c.platforms, "Affected Platforms", "multiselect", "Platforms this affects.", ["iOS", "Android", "Web", "Desktop"]),
    field(c.reviewer, "Reviewer", "userpicker", "Who reviews the work."),
    field(c.risk, "Risk", "radiobuttons", "Delivery risk.", ["Low", "Medium", "High"]),
    field(c.teamTags, "Team Tags", "labels", "Free tags for the team."),
    field(c.goLive, "Go-live", "datetime", "When the change goes live."),
    field(c.criticalityText, "Days Until Critical (text)", "text", "A text copy for sites whose field is text."),
  ]) {
    state.customFields.set(definition.id, definition);
  }
  state.reserveId("customfield", 10060);

  return addUser(state, {
    accountId: "5b10a2844c20165700ede21a",
    name: "admin",
    email: admin.email,
    displayName: "Sandbox Admin",
    timeZone: "UTC",
    admin: true,
    password: admin.password,
    apiTokens: [admin.token],
    personalAccessTokens: [admin.token],
  });
}

export function addUser(state: SandboxState, user: Partial<SandboxUser> & Pick<SandboxUser, "accountId" | "name" | "email" | "displayName">): SandboxUser {
  const full: SandboxUser = {
    key: user.key ?? `JIRAUSER${10000 + state.users.size}`,
    timeZone: "UTC",
    active: true,
    admin: false,
    password: null,
    apiTokens: [],
    personalAccessTokens: [],
    ...user,
  };
  state.users.set(full.accountId, full);
  return full;
}

export interface ProjectSpec {
  id: string;
  key: string;
  name: string;
  description: string;
  style: Project["style"];
  leadAccountId: string;
  workflowId: string;
  issueTypeIds: string[];
  fieldConfig?: Project["fieldConfig"];
}

export function addProject(state: SandboxState, spec: ProjectSpec): Project {
  const project: Project = { projectTypeKey: "software", permissions: {}, fieldConfig: {}, nextIssueNumber: 1, ...spec };
  state.projects.set(project.id, project);
  for (const user of state.users.values()) if (user.admin) grant(project, user.accountId, ALL_PROJECT_PERMISSIONS);
  return project;
}

export function grant(project: Project, accountId: string, permissions: readonly ProjectPermission[]): void {
  project.permissions[accountId] = [...new Set([...(project.permissions[accountId] ?? []), ...permissions])];
}

export const READ_ONLY: readonly ProjectPermission[] = ["BROWSE_PROJECTS"];
export const CONTRIBUTOR: readonly ProjectPermission[] = [
  "BROWSE_PROJECTS",
  "CREATE_ISSUES",
  "EDIT_ISSUES",
  "TRANSITION_ISSUES",
  "ADD_COMMENTS",
  "WORK_ON_ISSUES",
  "ASSIGN_ISSUES",
  "LINK_ISSUES",
  "CREATE_ATTACHMENTS",
];
export { ALL_PROJECT_PERMISSIONS };
