// Issue endpoints: CRUD, bulk create, transitions, assignee, edit/create metadata, changelog, comments, worklogs,
// properties, remote links, attachments (metadata) and issue links.
import { Hono } from "hono";
import { allFields, fieldById } from "../../fields/registry.ts";
import type { FieldDef } from "../../fields/types.ts";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Issue, Project, RemoteLink } from "../../model/types.ts";
import { addComment, deleteComment, editComment, findComment } from "../../ops/comments.ts";
import { assignIssue, createIssue, createScreenFields, deleteIssue, editIssue, transitionIssue, visibleIssue } from "../../ops/issues.ts";
import { createLink, deleteLink } from "../../ops/links.ts";
import { addWorklog } from "../../ops/worklogs.ts";
import { renderHistory } from "../../render/changelog.ts";
import { renderComment, renderWorklog } from "../../render/comments.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "../../render/context.ts";
import { renderIssue } from "../../render/issue.ts";
import { renderIssueType, renderUser } from "../../render/objects.ts";
import { renderTransitions } from "../../render/transitions.ts";
import { browsableProject } from "./meta.ts";
import { boolParam, intParam, listParam, readObject, renderContext, type SandboxContext, type SandboxEnv } from "../request.ts";

const ISSUE_KEY_OR_ID = /^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/;

/** An issue path parameter: malformed keys answer 404 like missing ones, as Jira does. */
function issueParam(ctx: RenderContext, raw: string): Issue {
  if (!ISSUE_KEY_OR_ID.test(raw)) throw new JiraError(404, ["Issue does not exist or you do not have permission to see it."]);
  return visibleIssue(ctx, raw);
}

function createdRef(ctx: RenderContext, issue: Issue) {
  return { id: issue.id, key: issue.key, self: apiUrl(ctx, `issue/${issue.id}`) };
}

export function issueRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post("/issue", async (c) => {
    const ctx = renderContext(state, c);
    const body = await readObject(c);
    const issue = createIssue(ctx, body as Parameters<typeof createIssue>[1]);
    return c.json(createdRef(ctx, issue), 201);
  });

  app.post("/issue/bulk", async (c) => {
    const ctx = renderContext(state, c);
    const body = await readObject(c);
    const updates = Array.isArray(body.issueUpdates) ? body.issueUpdates : null;
    if (!updates) throw new JiraError(400, ["issueUpdates must be an array of issues to create."]);
    if (updates.length > 50) throw new JiraError(400, ["You can create at most 50 issues in one request."]);
    const issues: unknown[] = [];
    const errors: unknown[] = [];
    updates.forEach((update, index) => {
      try {
        issues.push(createdRef(ctx, createIssue(ctx, update as Parameters<typeof createIssue>[1])));
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
        errors.push({ status: error.status, elementErrors: error.body(), failedElementNumber: index });
      }
    });
    return c.json({ issues, errors }, issues.length === 0 && errors.length > 0 ? 400 : 201);
  });

  app.get("/issue/createmeta/:projectIdOrKey/issuetypes", (c) => {
    const ctx = renderContext(state, c);
    const project = creatableProject(state, ctx, c.req.param("projectIdOrKey"));
    const types = project.issueTypeIds.map((id) => renderIssueType(ctx, state.issueTypes.get(id)!, project));
    return c.json(page(c, types, state.flavour === "cloud" ? "issueTypes" : "values"));
  });

  app.get("/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId", (c) => {
    const ctx = renderContext(state, c);
    const project = creatableProject(state, ctx, c.req.param("projectIdOrKey"));
    const typeId = c.req.param("issueTypeId");
    if (!project.issueTypeIds.includes(typeId)) throw new JiraError(404, [`Issue type with id '${typeId}' does not exist or is not available in project '${project.key}'.`]);
    const fields = createScreenFields(project, typeId).flatMap(({ fieldId, required }) => {
      const field = fieldById(state, fieldId);
      return field ? [fieldMeta(ctx, field, required, project.id)] : [];
    });
    return c.json(page(c, fields, state.flavour === "cloud" ? "fields" : "values"));
  });

  app.get("/issue/:key", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    return c.json(renderIssue(ctx, issue, {
      fields: listParam(c, "fields"),
      defaultFields: "*all",
      expand: listParam(c, "expand"),
      properties: listParam(c, "properties"),
    }));
  });

  app.put("/issue/:key", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    editIssue(ctx, issue, (await readObject(c)) as Parameters<typeof editIssue>[2]);
    if (boolParam(c, "returnIssue")) return c.json(renderIssue(ctx, issue, { fields: [], defaultFields: "*all", expand: listParam(c, "expand"), properties: [] }));
    return c.body(null, 204);
  });

  app.delete("/issue/:key", (c) => {
    const ctx = renderContext(state, c);
    deleteIssue(ctx, issueParam(ctx, c.req.param("key")), boolParam(c, "deleteSubtasks"));
    return c.body(null, 204);
  });

  app.put("/issue/:key/assignee", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    assignIssue(ctx, issue, await readObject(c));
    return c.body(null, 204);
  });

  app.get("/issue/:key/transitions", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const withFields = listParam(c, "expand").includes("transitions.fields");
    let transitions = renderTransitions(ctx, issue, withFields);
    const only = c.req.query("transitionId");
    if (only) transitions = transitions.filter((transition) => transition.id === only);
    return c.json({ expand: "transitions", transitions });
  });

  app.post("/issue/:key/transitions", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    transitionIssue(ctx, issue, (await readObject(c)) as Parameters<typeof transitionIssue>[2]);
    return c.body(null, 204);
  });

  app.get("/issue/:key/editmeta", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const project = state.projectOf(issue);
    if (!state.hasPermission(ctx.viewerId, project, "EDIT_ISSUES")) return c.json({ fields: {} });
    const onScreen = new Map(createScreenFields(project, issue.issueTypeId).map((field) => [field.fieldId, field.required]));
    const fields = allFields(state).filter((field) => field.parse && (onScreen.has(field.id) || !field.custom) && field.id !== "project");
    return c.json({ fields: Object.fromEntries(fields.map((field) => [field.id, editMeta(ctx, field, onScreen.get(field.id) ?? false, project.id)])) });
  });

  app.get("/issue/:key/changelog", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 100, 1), 100);
    const values = issue.changelog.slice(startAt, startAt + maxResults).map((entry) => renderHistory(ctx, entry));
    const isLast = startAt + values.length >= issue.changelog.length;
    return c.json({
      self: apiUrl(ctx, `issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`),
      ...(isLast ? {} : { nextPage: apiUrl(ctx, `issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt + maxResults}`) }),
      maxResults,
      startAt,
      total: issue.changelog.length,
      isLast,
      values,
    });
  });

  // ---- comments ----
  app.get("/issue/:key/comment", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 5000, 0), 5000);
    const ordered = c.req.query("orderBy") === "-created" ? [...issue.comments].reverse() : issue.comments;
    const comments = ordered.slice(startAt, startAt + maxResults).map((comment) => renderComment(ctx, issue, comment));
    return c.json({ startAt, maxResults, total: issue.comments.length, comments });
  });
  app.post("/issue/:key/comment", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const comment = addComment(ctx, issue, await readObject(c));
    return c.json(renderComment(ctx, issue, comment), 201);
  });
  app.get("/issue/:key/comment/:id", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    return c.json(renderComment(ctx, issue, findComment(issue, c.req.param("id"))));
  });
  app.put("/issue/:key/comment/:id", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const comment = editComment(ctx, issue, findComment(issue, c.req.param("id")), await readObject(c));
    return c.json(renderComment(ctx, issue, comment));
  });
  app.delete("/issue/:key/comment/:id", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    deleteComment(ctx, issue, findComment(issue, c.req.param("id")));
    return c.body(null, 204);
  });

  // ---- worklogs ----
  app.get("/issue/:key/worklog", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 5000, 0), 5000);
    const worklogs = issue.worklogs.slice(startAt, startAt + maxResults).map((worklog) => renderWorklog(ctx, issue, worklog));
    return c.json({ startAt, maxResults, total: issue.worklogs.length, worklogs });
  });
  app.post("/issue/:key/worklog", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const worklog = addWorklog(ctx, issue, await readObject(c));
    return c.json(renderWorklog(ctx, issue, worklog), 201);
  });

  // ---- properties ----
  app.get("/issue/:key/properties", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    return c.json({ keys: Object.keys(issue.properties).map((key) => ({ self: apiUrl(ctx, `issue/${issue.id}/properties/${key}`), key })) });
  });
  app.get("/issue/:key/properties/:propertyKey", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    const key = c.req.param("propertyKey");
    if (!(key in issue.properties)) throw new JiraError(404, [`The property with key '${key}' does not exist.`]);
    return c.json({ key, value: issue.properties[key] });
  });
  app.put("/issue/:key/properties/:propertyKey", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    requireEdit(ctx, issue);
    const key = c.req.param("propertyKey");
    if (key.length > 255) throw new JiraError(400, ["The property key can not be longer than 255 characters."]);
    const text = await c.req.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JiraError(400, ["The property value must be a valid JSON document."]);
    }
    if (text.length > 32768) throw new JiraError(400, ["The property value can not be longer than 32768 bytes."]);
    const existed = key in issue.properties;
    issue.properties[key] = value;
    state.emit({ type: "issue_property_set", issue, propertyKey: key, actorId: ctx.viewerId, at: state.now() });
    return c.body(null, existed ? 200 : 201);
  });
  app.delete("/issue/:key/properties/:propertyKey", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    requireEdit(ctx, issue);
    const key = c.req.param("propertyKey");
    if (!(key in issue.properties)) throw new JiraError(404, [`The property with key '${key}' does not exist.`]);
    delete issue.properties[key];
    state.emit({ type: "issue_property_deleted", issue, propertyKey: key, actorId: ctx.viewerId, at: state.now() });
    return c.body(null, 204);
  });

  // ---- remote links ----
  app.get("/issue/:key/remotelink", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    return c.json(issue.remoteLinks.map((link) => ({
      id: Number(link.id),
      self: apiUrl(ctx, `issue/${issue.id}/remotelink/${link.id}`),
      ...(link.globalId !== null ? { globalId: link.globalId } : {}),
      ...(link.relationship !== null ? { relationship: link.relationship } : {}),
      object: link.object,
    })));
  });
  app.post("/issue/:key/remotelink", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    requireEdit(ctx, issue);
    const body = await readObject(c);
    const object = body.object as { url?: unknown; title?: unknown } | undefined;
    if (!object || typeof object.url !== "string" || typeof object.title !== "string") {
      throw new JiraError(400, [], { object: "The remote link needs an object with a url and a title." });
    }
    const globalId = typeof body.globalId === "string" ? body.globalId : undefined;
    const existing = globalId ? issue.remoteLinks.find((link) => link.globalId === globalId) : undefined;
    if (existing) {
      existing.object = body.object as RemoteLink["object"];
      existing.relationship = typeof body.relationship === "string" ? body.relationship : existing.relationship;
      return c.json({ id: Number(existing.id), self: apiUrl(ctx, `issue/${issue.id}/remotelink/${existing.id}`) });
    }
    const id = String(state.nextId("remotelink"));
    issue.remoteLinks.push({ id, globalId: globalId ?? null, relationship: typeof body.relationship === "string" ? body.relationship : null, object: body.object as RemoteLink["object"] });
    issue.updated = state.now();
    return c.json({ id: Number(id), self: apiUrl(ctx, `issue/${issue.id}/remotelink/${id}`) }, 201);
  });
  app.delete("/issue/:key/remotelink/:id", (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    requireEdit(ctx, issue);
    const index = issue.remoteLinks.findIndex((link) => link.id === c.req.param("id"));
    if (index < 0) throw new JiraError(404, ["No remote link with that id exists on this issue."]);
    issue.remoteLinks.splice(index, 1);
    return c.body(null, 204);
  });

  // ---- attachments (metadata; content is not stored) ----
  app.post("/issue/:key/attachments", async (c) => {
    const ctx = renderContext(state, c);
    const issue = issueParam(ctx, c.req.param("key"));
    if (c.req.header("x-atlassian-token") !== "no-check") throw new JiraError(403, ["XSRF check failed"]);
    if (!state.hasPermission(ctx.viewerId, state.projectOf(issue), "CREATE_ATTACHMENTS")) throw new JiraError(403, ["You do not have permission to create attachments for this issue."]);
    const form = await c.req.parseBody({ all: true });
    const files = ([] as unknown[]).concat(form.file ?? []).filter((file): file is File => file instanceof File);
    if (files.length === 0) throw new JiraError(400, ["Send the attachment as multipart/form-data in a part named 'file'."]);
    const now = state.now();
    const created = files.map((file) => {
      const attachment = { id: String(state.nextId("attachment")), filename: file.name, authorId: ctx.viewerId, created: now, size: file.size, mimeType: file.type || "application/octet-stream" };
      issue.attachments.push(attachment);
      state.emit({ type: "attachment_created", issue, attachment, actorId: ctx.viewerId, at: now });
      return renderAttachment(ctx, attachment);
    });
    issue.updated = now;
    return c.json(created);
  });
  app.get("/attachment/:id", (c) => {
    const ctx = renderContext(state, c);
    const found = findAttachment(state, ctx, c.req.param("id"));
    return c.json(renderAttachment(ctx, found.attachment));
  });
  app.delete("/attachment/:id", (c) => {
    const ctx = renderContext(state, c);
    const { issue, attachment } = findAttachment(state, ctx, c.req.param("id"));
    requireEdit(ctx, issue);
    issue.attachments = issue.attachments.filter((candidate) => candidate !== attachment);
    state.emit({ type: "attachment_deleted", issue, attachment, actorId: ctx.viewerId, at: state.now() });
    return c.body(null, 204);
  });

  // ---- issue links ----
  app.post("/issueLink", async (c) => {
    const ctx = renderContext(state, c);
    createLink(ctx, await readObject(c));
    return c.body(null, 201);
  });
  app.delete("/issueLink/:id", (c) => {
    deleteLink(renderContext(state, c), c.req.param("id"));
    return c.body(null, 204);
  });

  return app;
}

function requireEdit(ctx: RenderContext, issue: Issue) {
  if (!ctx.state.hasPermission(ctx.viewerId, ctx.state.projectOf(issue), "EDIT_ISSUES")) {
    throw new JiraError(403, ["You do not have permission to edit issues in this project."]);
  }
}

function creatableProject(state: SandboxState, ctx: RenderContext, idOrKey: string): Project {
  const project = browsableProject(state, ctx, idOrKey);
  if (!state.hasPermission(ctx.viewerId, project, "CREATE_ISSUES")) {
    throw new JiraError(403, ["You do not have permission to create issues in this project."]);
  }
  return project;
}

function page(c: SandboxContext, values: unknown[], key: string) {
  const startAt = intParam(c, "startAt", 0);
  const maxResults = Math.min(intParam(c, "maxResults", 50, 0), 200);
  return { maxResults, startAt, total: values.length, [key]: values.slice(startAt, startAt + maxResults) };
}

function editMeta(ctx: RenderContext, field: FieldDef, required: boolean, projectId: string) {
  return {
    required,
    ...(field.schema ? { schema: field.schema } : {}),
    name: field.name,
    key: field.key,
    operations: field.operations,
    ...(field.allowedValues ? { allowedValues: field.allowedValues(ctx, projectId) } : {}),
  };
}

function fieldMeta(ctx: RenderContext, field: FieldDef, required: boolean, projectId: string) {
  const meta = editMeta(ctx, field, required, projectId);
  // Like Jira, the priority field names its default (the site's default priority).
  const defaultValue = field.id === "priority" ? (meta.allowedValues as { id?: string }[] | undefined)?.find((value) => value.id === ctx.state.defaultPriorityId) : undefined;
  return { ...meta, hasDefaultValue: field.id === "priority", ...(defaultValue ? { defaultValue } : {}), fieldId: field.id };
}

function findAttachment(state: SandboxState, ctx: RenderContext, id: string) {
  for (const issue of state.issues.values()) {
    const attachment = issue.attachments.find((candidate) => candidate.id === id);
    if (attachment && state.canBrowse(ctx.viewerId, issue)) return { issue, attachment };
  }
  throw new JiraError(404, [`The attachment with id '${id}' does not exist`]);
}

function renderAttachment(ctx: RenderContext, attachment: Issue["attachments"][number]) {
  const author = ctx.state.userByAccountId(attachment.authorId);
  return {
    self: apiUrl(ctx, `attachment/${attachment.id}`),
    id: attachment.id,
    filename: attachment.filename,
    ...(author ? { author: renderUser(ctx, author, { withEmail: false }) } : {}),
    created: jiraDateTime(attachment.created),
    size: attachment.size,
    mimeType: attachment.mimeType,
    content: `${ctx.baseUrl}/secure/attachment/${attachment.id}/${encodeURIComponent(attachment.filename)}`,
  };
}
