// JSON shapes of Jira's small objects (users, statuses, priorities, projects, ...), per flavour.
import type {
  Component,
  IssueType,
  Priority,
  Project,
  Resolution,
  SandboxUser,
  Status,
  StatusCategory,
  Version,
} from "../model/types.ts";
import { apiUrl, type RenderContext } from "./context.ts";

function avatarUrls(ctx: RenderContext, seed: string): Record<string, string> {
  const base = `${ctx.baseUrl}/secure/useravatar?ownerId=${encodeURIComponent(seed)}`;
  return { "48x48": base, "24x24": `${base}&size=small`, "16x16": `${base}&size=xsmall`, "32x32": `${base}&size=medium` };
}

/** A user as Jira renders it: accountId on Cloud, name/key on DC. */
export function renderUser(ctx: RenderContext, user: SandboxUser, opts: { withEmail?: boolean } = {}) {
  const withEmail = opts.withEmail ?? true;
  if (ctx.state.flavour === "cloud") {
    return {
      self: apiUrl(ctx, `user?accountId=${encodeURIComponent(user.accountId)}`),
      accountId: user.accountId,
      ...(withEmail ? { emailAddress: user.email } : {}),
      avatarUrls: avatarUrls(ctx, user.accountId),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
      accountType: "atlassian",
    };
  }
  return {
    self: apiUrl(ctx, `user?username=${encodeURIComponent(user.name)}`),
    name: user.name,
    key: user.key,
    ...(withEmail ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(ctx, user.key),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

/** The identifier a flavour uses for a user in changelogs and references. */
export function userRef(ctx: { state: RenderContext["state"] }, user: SandboxUser): string {
  return ctx.state.flavour === "cloud" ? user.accountId : user.key;
}

export function renderStatusCategory(ctx: RenderContext, category: StatusCategory) {
  return {
    self: apiUrl(ctx, `statuscategory/${category.id}`),
    id: category.id,
    key: category.key,
    colorName: category.colorName,
    name: category.name,
  };
}

export function renderStatus(ctx: RenderContext, status: Status) {
  return {
    self: apiUrl(ctx, `status/${status.id}`),
    description: status.description,
    iconUrl: `${ctx.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: renderStatusCategory(ctx, ctx.state.statusCategory(status.category)),
  };
}

export function renderPriority(ctx: RenderContext, priority: Priority) {
  return {
    self: apiUrl(ctx, `priority/${priority.id}`),
    iconUrl: `${ctx.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function renderPriorityFull(ctx: RenderContext, priority: Priority) {
  return {
    ...renderPriority(ctx, priority),
    description: priority.description,
    statusColor: priority.statusColor,
    isDefault: priority.id === ctx.state.defaultPriorityId,
  };
}

export function renderResolution(ctx: RenderContext, resolution: Resolution) {
  return {
    self: apiUrl(ctx, `resolution/${resolution.id}`),
    id: resolution.id,
    description: resolution.description,
    name: resolution.name,
  };
}

export function renderIssueType(ctx: RenderContext, type: IssueType, project?: Project) {
  return {
    self: apiUrl(ctx, `issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: `${ctx.baseUrl}/images/icons/issuetypes/${type.name.toLowerCase().replace(/[^a-z]/g, "")}.svg`,
    name: type.name,
    subtask: type.hierarchyLevel < 0,
    avatarId: 10300 + Number(type.id) % 100,
    hierarchyLevel: type.hierarchyLevel,
    ...(project && project.style === "next-gen" ? { entityId: `${project.id}-${type.id}`, scope: { type: "PROJECT", project: { id: project.id } } } : {}),
  };
}

export function renderProjectRef(ctx: RenderContext, project: Project) {
  return {
    self: apiUrl(ctx, `project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: project.style === "next-gen",
    avatarUrls: {
      "48x48": `${ctx.baseUrl}/secure/projectavatar?pid=${project.id}`,
      "24x24": `${ctx.baseUrl}/secure/projectavatar?size=small&pid=${project.id}`,
      "16x16": `${ctx.baseUrl}/secure/projectavatar?size=xsmall&pid=${project.id}`,
      "32x32": `${ctx.baseUrl}/secure/projectavatar?size=medium&pid=${project.id}`,
    },
  };
}

export function renderComponent(ctx: RenderContext, component: Component) {
  return {
    self: apiUrl(ctx, `component/${component.id}`),
    id: component.id,
    name: component.name,
    description: component.description,
  };
}

export function renderVersion(ctx: RenderContext, version: Version) {
  return {
    self: apiUrl(ctx, `version/${version.id}`),
    id: version.id,
    name: version.name,
    description: version.description,
    archived: version.archived,
    released: version.released,
    ...(version.releaseDate ? { releaseDate: version.releaseDate } : {}),
    projectId: Number(version.projectId),
  };
}
