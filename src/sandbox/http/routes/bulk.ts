// Jira Cloud's issue bulk operations: bulk edit (`POST /bulk/issues/fields`, 201 {taskId}), its editable fields
// (`GET /bulk/issues/fields`) and the task queue (`GET /bulk/queue/{taskId}`). Mounted on Cloud only: Data Center has
// no such API, so there these paths are unknown REST paths (404).
import { Hono } from "hono";
import { allFields } from "../../fields/registry.ts";
import type { FieldDef } from "../../fields/types.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Issue } from "../../model/types.ts";
import { bulkEditableFamily, findBulkTask, parseBulkEdit, renderBulkProgress, submitBulkEdit } from "../../ops/bulk-edit.ts";
import { apiUrl, type RenderContext } from "../../render/context.ts";
import { listParam, readObject, renderContext, type SandboxEnv } from "../request.ts";

const FIELDS_PAGE = 50;

/** BulkOperationErrorResponse, the 400 body of the bulk operation APIs: `{"errors":[{"message":...}]}`. */
const bulkErrors = (messages: string[]) => ({ errors: messages.map((message) => ({ message })) });

export function bulkRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post("/bulk/issues/fields", async (c) => {
    const ctx = renderContext(state, c);
    const parsed = parseBulkEdit(state, await readObject(c));
    if (!parsed.ok) return c.json(bulkErrors(parsed.messages), 400);
    return c.json({ taskId: submitBulkEdit(ctx, parsed.plan).taskId }, 201);
  });

  app.get("/bulk/issues/fields", (c) => {
    const ctx = renderContext(state, c);
    const refs = listParam(c, "issueIdsOrKeys");
    if (refs.length === 0) return c.json(bulkErrors(["issueIdsOrKeys is required: the ids or keys of the issues to edit, separated by commas."]), 400);
    const issues = refs.map((ref) => state.issueByIdOrKey(ref)).filter((issue): issue is Issue => issue !== undefined && state.canBrowse(ctx.viewerId, issue));
    if (issues.length === 0) return c.json(bulkErrors(["None of the issues exist or you do not have permission to see them."]), 400);
    const search = (c.req.query("searchText") ?? "").toLowerCase();
    const fields = allFields(state)
      .filter((field) => bulkEditableFamily(state, field) !== null)
      .filter((field) => !search || field.name.toLowerCase().includes(search) || field.id.toLowerCase().includes(search));
    // Cursors are field ids: startingAfter gives the page after that field, endingBefore the page before it.
    const after = c.req.query("startingAfter");
    const before = c.req.query("endingBefore");
    const cursor = after ?? before;
    const at = cursor === undefined ? -1 : fields.findIndex((field) => field.id === cursor);
    if (cursor !== undefined && at < 0) return c.json(bulkErrors([`The cursor '${cursor}' is not valid for this request.`]), 400);
    const start = after !== undefined ? at + 1 : before !== undefined ? Math.max(0, at - FIELDS_PAGE) : 0;
    const end = before !== undefined ? at : Math.min(fields.length, start + FIELDS_PAGE);
    const page = fields.slice(start, end);
    return c.json({
      fields: page.map((field) => editableField(ctx, field, issues)),
      ...(end < fields.length && page.length ? { startingAfter: page[page.length - 1]!.id } : {}),
      ...(start > 0 && page.length ? { endingBefore: page[0]!.id } : {}),
    });
  });

  app.get("/bulk/queue/:taskId", (c) => {
    const taskId = c.req.param("taskId");
    const task = findBulkTask(state, taskId);
    // Atlassian's example of this 400 (an ErrorCollection, whatever the declared schema says).
    if (!task) return c.json({ errorMessages: [`There is no bulk operation task with id '${taskId}' (tasks are kept for 14 days).`], errors: {}, httpStatusCode: { empty: false, present: true } }, 400);
    return c.json(renderBulkProgress(task));
  });

  return app;
}

/** IssueBulkEditField, shaped like Atlassian's examples (priority options by name, select options with optionId). */
function editableField(ctx: RenderContext, field: FieldDef, issues: Issue[]) {
  const family = bulkEditableFamily(ctx.state, field)!;
  const projectIds = [...new Set(issues.map((issue) => issue.projectId))];
  const base = { id: field.id, name: field.name, type: field.custom ? field.schema!.custom! : field.id, isRequired: false };
  if (field.id === "priority") {
    return { ...base, fieldOptions: [...ctx.state.priorities.values()].map((priority) => ({ id: priority.id, priority: priority.name, description: priority.description })) };
  }
  if (family === "singleSelectFields" || family === "multipleSelectFields") {
    const custom = ctx.state.customFields.get(field.id)!;
    return { ...base, ...(custom.description ? { description: custom.description } : {}), fieldOptions: custom.options.map((option) => ({ optionId: Number(option.id), value: option.value, isDisabled: option.disabled })) };
  }
  if (family === "labelsFields" || family === "multipleVersionPickerFields") return { ...base, multiSelectFieldOptions: ["ADD", "REMOVE", "REPLACE", "REMOVE_ALL"] };
  if (family === "singleSelectClearableUserPickerFields") {
    const keys = projectIds.map((id) => ctx.state.projects.get(id)!.key).join(",");
    return { ...base, searchUrl: apiUrl(ctx, `user/assignable/multiProjectSearch?projectKeys=${keys}&query=`) };
  }
  return base;
}
