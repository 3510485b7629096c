// The sandbox Jira's in-memory state: collections, lookups, permissions and the event bus.
import type { SandboxEvent, SandboxEventListener } from "./events.ts";
import type {
  Board,
  Component,
  CustomField,
  Flavour,
  Issue,
  IssueLink,
  IssueLinkType,
  IssueType,
  Priority,
  Project,
  ProjectPermission,
  Resolution,
  SandboxUser,
  SiteSettings,
  Sprint,
  Status,
  StatusCategory,
  Version,
  Webhook,
  Workflow,
} from "./types.ts";

/** Jira behaviours that bite integrations; each can be switched off for unit tests. */
export interface SavedFilter {
  id: number;
  name: string;
  jql: string;
  description: string;
  ownerId: string;
}

export interface Quirks {
  /** JQL search misses a new or changed issue for this long after the write (ms). 0 = consistent. */
  searchIndexLagMs: number;
  /** `updated`/`created` comparisons in JQL use minute precision, as Jira does. */
  jqlMinutePrecision: boolean;
  /** `expand=changelog` on search and bulk fetch returns at most this many histories (Jira: 40). */
  changelogExpandLimit: number | null;
  /** A fixVersion change does not bump `updated` (Jira's behaviour). */
  fixVersionSkipsUpdated: boolean;
}

export const REALISTIC_QUIRKS: Quirks = {
  searchIndexLagMs: 1500,
  jqlMinutePrecision: true,
  changelogExpandLimit: 40,
  fixVersionSkipsUpdated: true,
};

export const NO_QUIRKS: Quirks = {
  searchIndexLagMs: 0,
  jqlMinutePrecision: false,
  changelogExpandLimit: null,
  fixVersionSkipsUpdated: false,
};

export const STATUS_CATEGORIES: readonly StatusCategory[] = [
  { id: 2, key: "new", name: "To Do", colorName: "blue-gray" },
  { id: 4, key: "indeterminate", name: "In Progress", colorName: "yellow" },
  { id: 3, key: "done", name: "Done", colorName: "green" },
];

export interface StateOptions {
  flavour: Flavour;
  quirks?: Partial<Quirks>;
  /** Clock in epoch ms; tests may replace it. */
  now?: () => number;
}

export class SandboxState {
  readonly flavour: Flavour;
  quirks: Quirks;
  now: () => number;

  site: SiteSettings = {
    title: "Sandbox Jira",
    hoursPerDay: 8,
    daysPerWeek: 5,
    timeTrackingEnabled: true,
    defaultTimeZone: "UTC",
    cloudId: "11111111-2222-4333-8444-555555555555",
  };

  users = new Map<string, SandboxUser>(); // by accountId
  projects = new Map<string, Project>(); // by id
  issueTypes = new Map<string, IssueType>();
  statuses = new Map<string, Status>();
  priorities = new Map<string, Priority>();
  resolutions = new Map<string, Resolution>();
  workflows = new Map<string, Workflow>();
  customFields = new Map<string, CustomField>(); // by "customfield_NNNNN"
  components = new Map<string, Component>();
  versions = new Map<string, Version>();
  issues = new Map<string, Issue>(); // by id
  issueIdByKey = new Map<string, string>(); // current and former keys
  issueLinkTypes = new Map<string, IssueLinkType>();
  issueLinks = new Map<string, IssueLink>();
  boards = new Map<number, Board>();
  /** Saved filters (shared with everyone who may browse their projects; no per-filter sharing model). */
  filters = new Map<number, SavedFilter>();
  sprints = new Map<number, Sprint>();
  webhooks = new Map<number, Webhook>();
  defaultPriorityId = "3";

  private counters = new Map<string, number>();
  private listeners = new Set<SandboxEventListener>();

  constructor(options: StateOptions) {
    this.flavour = options.flavour;
    this.quirks = { ...REALISTIC_QUIRKS, ...options.quirks };
    this.now = options.now ?? Date.now;
  }

  /** Next id of a kind, as a number; ids are per-kind sequences starting at `start`. */
  nextId(kind: string, start = 10000): number {
    const next = (this.counters.get(kind) ?? start - 1) + 1;
    this.counters.set(kind, next);
    return next;
  }

  /** Makes sure later ids of a kind are above `id` (used by seeds that pick ids themselves). */
  reserveId(kind: string, id: number): void {
    if ((this.counters.get(kind) ?? 0) < id) this.counters.set(kind, id);
  }

  counterSnapshot(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  restoreCounters(values: Record<string, number>): void {
    this.counters = new Map(Object.entries(values));
  }

  onEvent(listener: SandboxEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SandboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // ---- lookups ----

  userByAccountId(accountId: string): SandboxUser | undefined {
    return this.users.get(accountId);
  }

  userByEmail(email: string): SandboxUser | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.users.values()) if (user.email.toLowerCase() === wanted) return user;
    return undefined;
  }

  /** DC identifies users by login name or key. */
  userByNameOrKey(nameOrKey: string): SandboxUser | undefined {
    const wanted = nameOrKey.toLowerCase();
    for (const user of this.users.values()) {
      if (user.name.toLowerCase() === wanted || user.key.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** Resolves a user reference as either flavour's clients send it (accountId, name, key, or email). */
  findUser(ref: string): SandboxUser | undefined {
    return this.users.get(ref) ?? this.userByNameOrKey(ref) ?? this.userByEmail(ref);
  }

  projectByIdOrKey(idOrKey: string): Project | undefined {
    const byId = this.projects.get(idOrKey);
    if (byId) return byId;
    const wanted = idOrKey.toUpperCase();
    for (const project of this.projects.values()) if (project.key === wanted) return project;
    return undefined;
  }

  /** Finds an issue by id or by key (current or former, case-insensitive), as Jira does. */
  issueByIdOrKey(idOrKey: string): Issue | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;
    const id = this.issueIdByKey.get(idOrKey.toUpperCase());
    return id ? this.issues.get(id) : undefined;
  }

  statusCategory(key: Status["category"]): StatusCategory {
    return STATUS_CATEGORIES.find((category) => category.key === key)!;
  }

  issueTypeOf(issue: Issue): IssueType {
    return this.issueTypes.get(issue.issueTypeId)!;
  }

  projectOf(issue: Issue): Project {
    return this.projects.get(issue.projectId)!;
  }

  workflowOf(project: Project): Workflow {
    return this.workflows.get(project.workflowId)!;
  }

  customFieldByName(name: string): CustomField | undefined {
    const wanted = name.toLowerCase();
    for (const field of this.customFields.values()) if (field.name.toLowerCase() === wanted) return field;
    return undefined;
  }

  hasPermission(accountId: string, project: Project, permission: ProjectPermission): boolean {
    const user = this.users.get(accountId);
    if (!user || !user.active) return false;
    return (project.permissions[accountId] ?? []).includes(permission);
  }

  canBrowse(accountId: string, issue: Issue): boolean {
    return this.hasPermission(accountId, this.projectOf(issue), "BROWSE_PROJECTS");
  }

  /** Children by parent id, in issue order: built from the issues when first asked, then kept current by setParent. */
  private children: Map<string, Issue[]> | null = null;

  /**
   * Sets an issue's parent (null for none). Every write of `parentId` goes through here (the parent field's write,
   * at creation too, and a deleted parent's children), so childrenOf stays current.
   */
  setParent(issue: Issue, parentId: string | null): void {
    if (issue.parentId === parentId) return;
    this.leaveParent(issue);
    issue.parentId = parentId;
    if (!this.children || !parentId) return;
    const siblings = this.children.get(parentId);
    if (!siblings) this.children.set(parentId, [issue]);
    else {
      // Issue ids grow with creation, so this keeps the order a scan of the issues gives.
      const at = siblings.findIndex((sibling) => Number(sibling.id) > Number(issue.id));
      siblings.splice(at < 0 ? siblings.length : at, 0, issue);
    }
  }

  /** A deleted issue leaves its parent's children; its own parentId stays (the deletion's webhook still names the parent). */
  leaveParent(issue: Issue): void {
    if (!this.children || !issue.parentId) return;
    const siblings = this.children.get(issue.parentId) ?? [];
    const at = siblings.indexOf(issue);
    if (at >= 0) siblings.splice(at, 1);
    if (siblings.length === 0) this.children.delete(issue.parentId);
  }

  childrenOf(issueId: string): Issue[] {
    if (!this.children) {
      this.children = new Map();
      for (const issue of this.issues.values()) {
        if (!issue.parentId) continue;
        if (!this.children.has(issue.parentId)) this.children.set(issue.parentId, []);
        this.children.get(issue.parentId)!.push(issue);
      }
    }
    return [...(this.children.get(issueId) ?? [])];
  }

  linksOf(issueId: string): IssueLink[] {
    const links: IssueLink[] = [];
    for (const link of this.issueLinks.values()) {
      if (link.inwardIssueId === issueId || link.outwardIssueId === issueId) links.push(link);
    }
    return links;
  }
}
