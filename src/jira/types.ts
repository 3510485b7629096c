// The slices of Jira's JSON that Tandem reads. Only what is used is typed; the rest passes through untouched.

export interface JiraUser {
  accountId?: string;
  name?: string;
  key?: string;
  emailAddress?: string;
  displayName?: string;
  active?: boolean;
  timeZone?: string;
}

export interface JiraServerInfo {
  baseUrl: string;
  version: string;
  deploymentType: string;
  serverTitle?: string;
}

export interface JiraFieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

export interface JiraField {
  id: string;
  key?: string;
  name: string;
  custom: boolean;
  schema?: JiraFieldSchema;
  clauseNames?: string[];
}

export interface JiraStatusCategory {
  id: number;
  key: "new" | "indeterminate" | "done" | string;
  name: string;
}

export interface JiraStatus {
  id: string;
  name: string;
  statusCategory: JiraStatusCategory;
}

export interface JiraNamed {
  id: string;
  name: string;
}

export interface JiraIssueType extends JiraNamed {
  subtask: boolean;
  hierarchyLevel?: number;
}

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey?: string;
  simplified?: boolean;
  style?: string;
  issueTypes?: JiraIssueType[];
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields?: Record<string, unknown>;
  changelog?: { histories: JiraChangelogEntry[]; total?: number };
  properties?: Record<string, unknown>;
  names?: Record<string, string>;
}

export interface JiraChangeItem {
  field: string;
  fieldtype: string;
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface JiraChangelogEntry {
  id: string;
  author?: JiraUser;
  created: string;
  items: JiraChangeItem[];
}

export interface JiraTransition {
  id: string;
  name: string;
  to: JiraStatus;
  fields?: Record<string, JiraFieldMeta>;
}

export interface JiraFieldMeta {
  required: boolean;
  name: string;
  key?: string;
  fieldId?: string;
  schema?: JiraFieldSchema;
  operations?: string[];
  allowedValues?: unknown[];
  hasDefaultValue?: boolean;
  defaultValue?: unknown;
}

export interface JiraComment {
  id: string;
  author?: JiraUser;
  body: unknown;
  created: string;
  updated: string;
}

export interface JiraTimeTracking {
  workingHoursPerDay: number;
  workingDaysPerWeek: number;
}
