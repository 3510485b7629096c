// Site and project metadata: serverInfo, myself, fields, statuses, priorities, issue types, projects, configuration.
import { Hono } from "hono";
import { JiraError } from "../../model/jira-error.ts";
import { STATUS_CATEGORIES, type SandboxState } from "../../model/state.ts";
import type { Project } from "../../model/types.ts";
import { allFields } from "../../fields/registry.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "../../render/context.ts";
import {
  renderComponent,
  renderIssueType,
  renderPriorityFull,
  renderProjectRef,
  renderResolution,
  renderStatus,
  renderStatusCategory,
  renderUser,
  renderVersion,
} from "../../render/objects.ts";
import { apiVersionOf, intParam, listParam, renderContext, type SandboxContext, type SandboxEnv } from "../request.ts";

export function metaRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get("/serverInfo", (c) => {
    const ctx = renderContext(state, c);
    const cloud = state.flavour === "cloud";
    return c.json({
      baseUrl: ctx.baseUrl,
      version: cloud ? "1001.0.0-SNAPSHOT" : "9.12.2",
      versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 2],
      deploymentType: cloud ? "Cloud" : "Server",
      buildNumber: cloud ? 100282 : 9120002,
      buildDate: "2026-01-01T00:00:00.000+0000",
      serverTime: jiraDateTime(state.now()),
      scmInfo: "sandbox",
      serverTitle: state.site.title,
      ...(cloud ? {} : { defaultLocale: { locale: "en_US" } }),
      serverTimeZone: state.site.defaultTimeZone,
    });
  });

  app.get("/myself", (c) => {
    const ctx = renderContext(state, c);
    const user = state.userByAccountId(ctx.viewerId)!;
    return c.json({
      ...renderUser(ctx, user),
      locale: "en_US",
      groups: { size: user.admin ? 2 : 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: "groups,applicationRoles",
    });
  });

  // Which permissions the caller has, in a project or (without one) in any project; ADMINISTER is Jira admin.
  app.get("/mypermissions", (c) => {
    const ctx = renderContext(state, c);
    const wanted = listParam(c, "permissions");
    if (wanted.length === 0) throw new JiraError(400, ["The permissions query parameter is required, e.g. permissions=BROWSE_PROJECTS,EDIT_ISSUES."]);
    const projectRef = c.req.query("projectKey") ?? c.req.query("projectId");
    const projects = projectRef ? [browsableProject(state, ctx, projectRef)] : [...state.projects.values()];
    const user = state.userByAccountId(ctx.viewerId);
    const permissions = Object.fromEntries(wanted.map((key) => {
      const have = key === "ADMINISTER" ? Boolean(user?.admin) : projects.some((project) => state.hasPermission(ctx.viewerId, project, key as never));
      return [key, { id: String(wanted.indexOf(key) + 1), key, name: key.replaceAll("_", " ").toLowerCase(), type: key === "ADMINISTER" ? "GLOBAL" : "PROJECT", description: key, havePermission: have }];
    }));
    return c.json({ permissions });
  });

  app.get("/user", (c) => {
    const ctx = renderContext(state, c);
    const ref = c.req.query("accountId") ?? c.req.query("username") ?? c.req.query("key");
    if (!ref) throw new JiraError(400, ["You must specify an accountId."]);
    const user = state.findUser(ref);
    if (!user) throw new JiraError(404, [`Specified user does not exist or you do not have required permissions`]);
    return c.json(renderUser(ctx, user));
  });

  app.get("/user/search", (c) => {
    const ctx = renderContext(state, c);
    const query = (c.req.query("query") ?? c.req.query("username") ?? "").toLowerCase();
    const users = [...state.users.values()].filter(
      (user) => user.active && (query === "" || user.email.toLowerCase().startsWith(query) || user.displayName.toLowerCase().includes(query) || user.name.toLowerCase().startsWith(query)),
    );
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 50, 1), 1000);
    return c.json(users.slice(startAt, startAt + maxResults).map((user) => renderUser(ctx, user)));
  });

  app.get("/field", (c) => {
    const ctx = renderContext(state, c);
    return c.json(allFields(state).map((field) => ({
      id: field.id,
      key: field.key,
      name: field.name,
      custom: field.custom,
      orderable: field.orderable,
      navigable: field.navigable,
      searchable: field.searchable,
      clauseNames: field.clauseNames,
      ...(field.schema ? { schema: field.schema } : {}),
    })));
  });

  app.get("/status", (c) => c.json([...state.statuses.values()].map((status) => renderStatus(renderContext(state, c), status))));
  app.get("/status/:idOrName", (c) => {
    const wanted = c.req.param("idOrName").toLowerCase();
    const status = [...state.statuses.values()].find((candidate) => candidate.id === wanted || candidate.name.toLowerCase() === wanted);
    if (!status) throw new JiraError(404, [`The status with id '${c.req.param("idOrName")}' does not exist`]);
    return c.json(renderStatus(renderContext(state, c), status));
  });
  app.get("/statuscategory", (c) => c.json(STATUS_CATEGORIES.map((category) => renderStatusCategory(renderContext(state, c), category))));
  app.get("/priority", (c) => c.json([...state.priorities.values()].map((priority) => renderPriorityFull(renderContext(state, c), priority))));
  app.get("/priority/search", (c) => {
    const all = [...state.priorities.values()].map((priority) => renderPriorityFull(renderContext(state, c), priority));
    return c.json(pageOf(c, all, "priority/search"));
  });
  app.get("/priority/:id", (c) => {
    const priority = state.priorities.get(c.req.param("id"));
    if (!priority) throw new JiraError(404, [`The priority with id '${c.req.param("id")}' does not exist.`]);
    return c.json(renderPriorityFull(renderContext(state, c), priority));
  });
  app.get("/resolution/search", (c) => {
    const all = [...state.resolutions.values()].map((resolution) => ({ ...renderResolution(renderContext(state, c), resolution), default: false }));
    return c.json(pageOf(c, all, "resolution/search"));
  });
  app.get("/resolution/:id", (c) => {
    const resolution = state.resolutions.get(c.req.param("id"));
    if (!resolution) throw new JiraError(404, [`The resolution with id '${c.req.param("id")}' does not exist.`]);
    return c.json(renderResolution(renderContext(state, c), resolution));
  });
  app.get("/issuetype/:id", (c) => {
    const type = state.issueTypes.get(c.req.param("id"));
    if (!type) throw new JiraError(404, [`The issue type with id '${c.req.param("id")}' does not exist.`]);
    return c.json(renderIssueType(renderContext(state, c), type));
  });
  app.get("/statuscategory/:idOrKey", (c) => {
    const wanted = c.req.param("idOrKey");
    const category = STATUS_CATEGORIES.find((candidate) => String(candidate.id) === wanted || candidate.key === wanted);
    if (!category) throw new JiraError(404, [`The status category with id or key '${wanted}' does not exist.`]);
    return c.json(renderStatusCategory(renderContext(state, c), category));
  });
  app.get("/resolution", (c) => c.json([...state.resolutions.values()].map((resolution) => renderResolution(renderContext(state, c), resolution))));
  app.get("/issuetype", (c) => c.json([...state.issueTypes.values()].map((type) => renderIssueType(renderContext(state, c), type))));
  app.get("/issueLinkType", (c) => {
    const ctx = renderContext(state, c);
    return c.json({
      issueLinkTypes: [...state.issueLinkTypes.values()].map((type) => ({ ...type, self: apiUrl(ctx, `issueLinkType/${type.id}`) })),
    });
  });

  app.get("/configuration", (c) => c.json({
    votingEnabled: true,
    watchingEnabled: true,
    unassignedIssuesAllowed: true,
    subTasksEnabled: true,
    issueLinkingEnabled: true,
    timeTrackingEnabled: state.site.timeTrackingEnabled,
    attachmentsEnabled: true,
    timeTrackingConfiguration: {
      workingHoursPerDay: state.site.hoursPerDay,
      workingDaysPerWeek: state.site.daysPerWeek,
      timeFormat: "pretty",
      defaultUnit: "minute",
    },
  }));
  app.get("/configuration/timetracking/options", (c) => c.json({
    workingHoursPerDay: state.site.hoursPerDay,
    workingDaysPerWeek: state.site.daysPerWeek,
    timeFormat: "pretty",
    defaultUnit: "minute",
  }));

  // ---- projects ----

  app.get("/project/search", (c) => {
    const ctx = renderContext(state, c);
    const query = (c.req.query("query") ?? "").toLowerCase();
    const keys = listParam(c, "keys").map((key) => key.toUpperCase());
    const visible = browsableProjects(state, ctx.viewerId).filter(
      (project) => (query === "" || project.key.toLowerCase().includes(query) || project.name.toLowerCase().includes(query)) && (keys.length === 0 || keys.includes(project.key)),
    );
    const rendered = visible.map((project) => ({ expand: "description,lead,issueTypes,url,projectKeys,permissions,insight", ...renderProjectRef(ctx, project), style: project.style, isPrivate: false, properties: {} }));
    return c.json(pageOf(c, rendered, "project/search", 100));
  });

  app.get("/project", (c) => {
    const ctx = renderContext(state, c);
    return c.json(browsableProjects(state, ctx.viewerId).map((project) => ({ expand: "description,lead,url,projectKeys", ...renderProjectRef(ctx, project) })));
  });

  app.get("/project/:idOrKey", (c) => {
    const ctx = renderContext(state, c);
    const project = browsableProject(state, ctx, c.req.param("idOrKey"));
    return c.json(renderProjectFull(ctx, project));
  });

  app.get("/project/:idOrKey/statuses", (c) => {
    const ctx = renderContext(state, c);
    const project = browsableProject(state, ctx, c.req.param("idOrKey"));
    const workflow = state.workflowOf(project);
    return c.json(project.issueTypeIds.map((typeId) => {
      const type = state.issueTypes.get(typeId)!;
      return {
        self: apiUrl(ctx, `issuetype/${type.id}`),
        id: type.id,
        name: type.name,
        subtask: type.hierarchyLevel < 0,
        statuses: workflow.statusIds.map((statusId) => renderStatus(ctx, state.statuses.get(statusId)!)),
      };
    }));
  });

  app.get("/project/:idOrKey/hierarchy", (c) => {
    const ctx = renderContext(state, c);
    const project = browsableProject(state, ctx, c.req.param("idOrKey"));
    const levels = new Map<number, string[]>();
    for (const typeId of project.issueTypeIds) {
      const level = state.issueTypes.get(typeId)!.hierarchyLevel;
      levels.set(level, [...(levels.get(level) ?? []), typeId]);
    }
    const names: Record<number, string> = { 2: "Initiative", 1: "Epic", 0: "Base", [-1]: "Subtask" };
    return c.json({
      projectId: Number(project.id),
      hierarchy: [...levels.entries()].sort(([a], [b]) => b - a).map(([level, typeIds]) => ({
        entityId: hierarchyEntityId(project.id, level),
        level,
        name: names[level] ?? `Level ${level}`,
        issueTypes: typeIds.map((typeId) => {
          const type = state.issueTypes.get(typeId)!;
          return { id: Number(type.id), name: type.name, avatarId: 10300 + Number(type.id) % 100 };
        }),
      })),
    });
  });

  app.get("/project/:idOrKey/components", (c) => {
    const ctx = renderContext(state, c);
    const project = browsableProject(state, ctx, c.req.param("idOrKey"));
    return c.json(componentsOf(state, project).map((component) => ({ ...renderComponent(ctx, component), project: project.key, projectId: Number(project.id), assigneeType: "PROJECT_DEFAULT", realAssigneeType: "PROJECT_DEFAULT", isAssigneeTypeValid: false })));
  });

  app.get("/project/:idOrKey/versions", (c) => {
    const ctx = renderContext(state, c);
    const project = browsableProject(state, ctx, c.req.param("idOrKey"));
    return c.json(versionsOf(state, project).map((version) => renderVersion(ctx, version)));
  });

  return app;
}

/** Jira's PageBean: self, nextPage, maxResults, startAt, total, isLast, values. */
export function pageOf<T>(c: SandboxContext, all: T[], path: string, cap = 50) {
  const startAt = intParam(c, "startAt", 0);
  const maxResults = Math.min(intParam(c, "maxResults", 50, 1), cap);
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  const base = `${c.get("baseUrl")}/rest/api/${apiVersionOf(c)}/${path}`;
  return {
    self: `${base}?startAt=${startAt}&maxResults=${maxResults}`,
    ...(isLast ? {} : { nextPage: `${base}?startAt=${startAt + maxResults}&maxResults=${maxResults}` }),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values,
  };
}

/** Jira Cloud names hierarchy levels by UUID; the sandbox derives a stable one from project and level. */
function hierarchyEntityId(projectId: string, level: number): string {
  const tail = `${projectId.padStart(8, "0")}${String(level + 10).padStart(4, "0")}`.slice(-12);
  return `00000000-0000-4000-8000-${tail}`;
}

export function browsableProjects(state: SandboxState, viewerId: string): Project[] {
  return [...state.projects.values()].filter((project) => state.hasPermission(viewerId, project, "BROWSE_PROJECTS"));
}

export function browsableProject(state: SandboxState, ctx: RenderContext, idOrKey: string): Project {
  const project = state.projectByIdOrKey(idOrKey);
  if (!project || !state.hasPermission(ctx.viewerId, project, "BROWSE_PROJECTS")) {
    throw new JiraError(404, [`No project could be found with key '${idOrKey}'.`]);
  }
  return project;
}

function componentsOf(state: SandboxState, project: Project) {
  return [...state.components.values()].filter((component) => component.projectId === project.id);
}

function versionsOf(state: SandboxState, project: Project) {
  return [...state.versions.values()].filter((version) => version.projectId === project.id);
}

function renderProjectFull(ctx: RenderContext, project: Project) {
  const state = ctx.state;
  const lead = state.userByAccountId(project.leadAccountId);
  return {
    expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
    ...renderProjectRef(ctx, project),
    description: project.description,
    ...(lead ? { lead: renderUser(ctx, lead, { withEmail: false }) } : {}),
    components: componentsOf(state, project).map((component) => renderComponent(ctx, component)),
    issueTypes: project.issueTypeIds.map((typeId) => renderIssueType(ctx, state.issueTypes.get(typeId)!, project)),
    assigneeType: "UNASSIGNED",
    versions: versionsOf(state, project).map((version) => renderVersion(ctx, version)),
    roles: {},
    style: project.style,
    isPrivate: false,
    properties: {},
  };
}
