// The sandbox Jira's internal model: what its state holds, independent of how any REST version renders it.

export type Flavour = "cloud" | "dc";

export type { AdfDoc, AdfNode } from "../../content/adf.ts";
import type { AdfDoc } from "../../content/adf.ts";

/**
 * Rich text as stored. Cloud stores ADF and DC stores wiki markup, as the real products do;
 * the renderers convert when a client asks in the other representation (v2 on Cloud).
 */
export type RichText = { kind: "adf"; doc: AdfDoc } | { kind: "wiki"; text: string };

export type ProjectPermission =
  | "BROWSE_PROJECTS"
  | "CREATE_ISSUES"
  | "EDIT_ISSUES"
  | "TRANSITION_ISSUES"
  | "ADD_COMMENTS"
  | "DELETE_ISSUES"
  | "ADMINISTER_PROJECTS"
  | "WORK_ON_ISSUES"
  | "ASSIGN_ISSUES"
  | "CREATE_ATTACHMENTS"
  | "LINK_ISSUES";

export const ALL_PROJECT_PERMISSIONS: readonly ProjectPermission[] = [
  "BROWSE_PROJECTS",
  "CREATE_ISSUES",
  "EDIT_ISSUES",
  "TRANSITION_ISSUES",
  "ADD_COMMENTS",
  "DELETE_ISSUES",
  "ADMINISTER_PROJECTS",
  "WORK_ON_ISSUES",
  "ASSIGN_ISSUES",
  "CREATE_ATTACHMENTS",
  "LINK_ISSUES",
];

export interface SandboxUser {
  /** Cloud identity. */
  accountId: string;
  /** DC identity: login name and user key. */
  name: string;
  key: string;
  email: string;
  displayName: string;
  timeZone: string;
  active: boolean;
  /** Jira administrator (may register admin webhooks, see every project's configuration). */
  admin: boolean;
  /** Secrets: Cloud API tokens, DC password, DC personal access tokens. */
  password: string | null;
  apiTokens: string[];
  personalAccessTokens: string[];
}

export type StatusCategoryKey = "new" | "indeterminate" | "done";

export interface StatusCategory {
  id: number;
  key: StatusCategoryKey;
  name: string;
  colorName: string;
}

export interface Status {
  id: string;
  name: string;
  description: string;
  category: StatusCategoryKey;
}

export interface Priority {
  id: string;
  name: string;
  description: string;
  statusColor: string;
}

export interface Resolution {
  id: string;
  name: string;
  description: string;
}

export interface IssueType {
  id: string;
  name: string;
  description: string;
  /** 2 Initiative, 1 Epic, 0 Story/Task/Bug, -1 Sub-task. */
  hierarchyLevel: number;
}

export interface Transition {
  id: string;
  name: string;
  /** Statuses the transition is available from; empty means global (from any status). */
  from: string[];
  to: string;
  /** Fields shown on the transition screen (field ids), required ones marked. */
  screenFields: { fieldId: string; required: boolean }[];
}

export interface Workflow {
  id: string;
  name: string;
  initialStatusId: string;
  statusIds: string[];
  transitions: Transition[];
}

export interface Component {
  id: string;
  projectId: string;
  name: string;
  description: string;
}

export interface Version {
  id: string;
  projectId: string;
  name: string;
  description: string;
  released: boolean;
  archived: boolean;
  releaseDate: string | null;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  /** "classic" (company-managed) or "next-gen" (team-managed). */
  style: "classic" | "next-gen";
  projectTypeKey: "software" | "business";
  leadAccountId: string;
  issueTypeIds: string[];
  workflowId: string;
  /** Per-user project permissions, keyed by accountId. */
  permissions: Record<string, ProjectPermission[]>;
  /** Custom field ids usable in this project, per issue type id ("*" for all types), with required flags. */
  fieldConfig: Record<string, { fieldId: string; required: boolean }[]>;
  nextIssueNumber: number;
}

export type CustomFieldKind =
  | "text"
  | "textarea"
  | "number"
  | "date"
  | "datetime"
  | "url"
  | "select"
  | "multiselect"
  | "checkboxes"
  | "userpicker"
  | "storypoints"
  | "labels"
  | "sprint"
  | "radiobuttons";

export interface CustomFieldOption {
  id: string;
  value: string;
  disabled: boolean;
}

export interface CustomField {
  /** e.g. "customfield_10016". */
  id: string;
  /** Numeric part, for cf[NNNNN] in JQL. */
  numericId: number;
  name: string;
  kind: CustomFieldKind;
  description: string;
  options: CustomFieldOption[];
}

/** Internal value of a custom field: option ids, account ids, numbers, ISO strings or rich text. */
export type CustomFieldValue =
  | string
  | number
  | string[]
  | RichText
  | null;

export interface Comment {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: RichText;
  created: number;
  updated: number;
}

export interface Worklog {
  id: string;
  authorId: string;
  updateAuthorId: string;
  comment: RichText | null;
  started: number;
  timeSpentSeconds: number;
  created: number;
  updated: number;
}

export interface Attachment {
  id: string;
  filename: string;
  authorId: string;
  created: number;
  size: number;
  mimeType: string;
}

export interface IssueLinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

export interface IssueLink {
  id: string;
  typeId: string;
  inwardIssueId: string;
  outwardIssueId: string;
}

export interface RemoteLink {
  id: string;
  globalId: string | null;
  relationship: string | null;
  /** Jira's remote object: url and title required, icon/status optional; kept as sent. */
  object: { url: string; title: string; [key: string]: unknown };
}

export interface ChangeItem {
  field: string;
  fieldtype: "jira" | "custom";
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogEntry {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface Issue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  /** When the status category last changed (Jira's statuscategorychangedate). */
  statusCategoryChanged: number;
  priorityId: string | null;
  resolutionId: string | null;
  resolutionDate: number | null;
  summary: string;
  description: RichText | null;
  environment: RichText | null;
  reporterId: string | null;
  assigneeId: string | null;
  creatorId: string;
  labels: string[];
  componentIds: string[];
  fixVersionIds: string[];
  affectsVersionIds: string[];
  parentId: string | null;
  dueDate: string | null;
  created: number;
  updated: number;
  /** Time tracking, in seconds. */
  originalEstimate: number | null;
  remainingEstimate: number | null;
  timeSpent: number | null;
  customFields: Record<string, CustomFieldValue>;
  properties: Record<string, unknown>;
  comments: Comment[];
  worklogs: Worklog[];
  attachments: Attachment[];
  remoteLinks: RemoteLink[];
  changelog: ChangelogEntry[];
  /**
   * When the issue becomes visible to JQL search (Jira's search index lags writes by a moment).
   * 0 means immediately.
   */
  indexedAt: number;
}

export interface Board {
  id: number;
  name: string;
  type: "scrum" | "kanban";
  projectId: string;
  /** Optional JQL filter of the board (defaults to project = KEY). */
  filterJql: string;
}

export interface Sprint {
  id: number;
  boardId: number;
  name: string;
  state: "future" | "active" | "closed";
  startDate: string | null;
  endDate: string | null;
  completeDate: string | null;
  goal: string;
}

export type WebhookEventName =
  | "jira:issue_created"
  | "jira:issue_updated"
  | "jira:issue_deleted"
  | "comment_created"
  | "comment_updated"
  | "comment_deleted"
  | "attachment_created"
  | "attachment_deleted"
  | "issuelink_created"
  | "issuelink_deleted"
  | "worklog_created"
  | "worklog_updated"
  | "worklog_deleted"
  | "issue_property_set"
  | "issue_property_deleted";

export interface Webhook {
  id: number;
  kind: "admin" | "dynamic";
  name: string;
  url: string;
  events: WebhookEventName[];
  jqlFilter: string;
  secret: string | null;
  enabled: boolean;
  /** Account that registered it (dynamic webhooks belong to an OAuth app + user). */
  ownerAccountId: string;
  /** Dynamic webhooks expire 30 days after creation or refresh (epoch ms). */
  expiresAt: number | null;
  fieldIdsFilter: string[];
  created: number;
  updated: number;
}

/** Site-wide settings that integrations read. */
export interface SiteSettings {
  title: string;
  /** Time tracking: hours in a working day and days in a working week. */
  hoursPerDay: number;
  daysPerWeek: number;
  timeTrackingEnabled: boolean;
  defaultTimeZone: string;
  /** Cloud's site id (cloudId), used by the OAuth gateway. */
  cloudId: string;
}
