// Project-level sync (the project as an Epic holding all its items) and team-level sync (a team's items to a chosen
// Jira project): configure, run again (idempotent), and see what was created, skipped or refused.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CORE_FIELDS } from "../../engine/model.ts";
import { createItemsInJira, recordSent, SyncConfigError, syncProjectEpic, syncTeams, type SentItems, type SyncToJiraDeps } from "../../crossing/jira-sync.ts";
import { projectJobOptions, type CreatePayload } from "../../jobs/handlers.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import { acceptedJob } from "./jobs.ts";
import { JiraValidationError, ReadOnlyViolationError } from "../../jira/errors.ts";
import type { Item, Project } from "../../store/projects.ts";
import type { TandemStore } from "../../store/store.ts";
import type { User } from "../../store/users.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { projectContext } from "../project-context.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found"), 409: json(ErrorSchema, "Pull-only project") };
const security = [{ bearer: [] }];

const EpicSyncSchema = z.strictObject({ jiraProject: z.string().min(1), epicType: z.string().min(1).default("Epic"), childType: z.string().min(1).default("Task") });
const TeamSyncSchema = z.strictObject({
  field: z.string().min(1),
  teams: z.record(z.string().min(1), z.string().min(1)).refine((teams) => Object.keys(teams).length > 0, "Name at least one team and its Jira project."),
  issueType: z.string().min(1).default("Task"),
});

export function jiraSyncRoutes(store: TandemStore, publicUrl: () => string, jobs: JobQueue) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));

  async function deps(target: Project, user: User): Promise<SyncToJiraDeps & { identity: string }> {
    if (target.direction === "pull") throw new ApiError(409, "read_only", `Project ${target.key} is pull-only: it never writes to Jira. Change its direction to send it to Jira.`);
    const { jira, metadata, identity } = await projectContext(store, target, user, publicUrl());
    return { jira, metadata, projects: store.projects, identity };
  }
  /** Runs a sync to Jira and records what it did in the project's history (when it did anything). */
  async function recorded<T extends SentItems>(target: Project, user: User, identity: string, work: () => Promise<T>): Promise<T & { run: unknown }> {
    const sent = await run(work);
    const touched = sent.created.length > 0 || sent.failed.length > 0;
    return { ...sent, run: touched ? await recordSent(store, target, sent, { userId: user.id, identity }) : null };
  }
  const inJiraProjects = (target: Project, keys: string[]) => {
    const outside = keys.filter((key) => !target.jiraProjects.includes(key.toUpperCase()));
    if (outside.length) throw new ApiError(400, "outside_projects", `${outside.join(", ")} is not one of this project's Jira projects (${target.jiraProjects.join(", ")}); add it with PUT /projects/${target.key}/jira first.`);
  };
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SyncConfigError) throw new ApiError(400, error.code, error.message);
      if (error instanceof JiraValidationError) throw new ApiError(400, "jira_refused", `Jira refused: ${error.message}`, error.fieldErrors);
      if (error instanceof ReadOnlyViolationError) throw new ApiError(409, "read_only", error.message);
      throw error;
    }
  };

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/epic-sync", middleware: [role("member")] as const, tags: ["jira-sync"], security, request: { params: IdParam, ...body(EpicSyncSchema) }, responses: { 200: json(z.any(), "The Epic and the items created as its children"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    inJiraProjects(target, [input.jiraProject]);
    const sync = await deps(target, c.get("user"));
    const previous = target.jiraSync.epic;
    // The same Jira project keeps the Epic already made; another one gets its own. Team-level sync is replaced.
    const keep = previous && previous.jiraProject === input.jiraProject.toUpperCase() ? previous : null;
    await store.projects.setJiraSync(target.id, { epic: { jiraProject: input.jiraProject.toUpperCase(), epicType: input.epicType, childType: input.childType, epicIssueId: keep?.epicIssueId ?? null, epicKey: keep?.epicKey ?? null, creatingSince: keep?.creatingSince ?? null } });
    return c.json(await recorded(target, c.get("user"), sync.identity, async () => syncProjectEpic(sync, (await store.projects.byId(target.id))!)), 200);
  });

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/team-sync", middleware: [role("member")] as const, tags: ["jira-sync"], security, request: { params: IdParam, ...body(TeamSyncSchema) }, responses: { 200: json(z.any(), "The items created in their team's Jira project, and those skipped"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const fields = [...CORE_FIELDS, ...target.fields];
    if (!fields.some((field) => field.key === input.field)) throw new ApiError(400, "unknown_field", `'${input.field}' is not a field of ${target.key} (fields: ${fields.map((field) => field.key).join(", ")}).`);
    inJiraProjects(target, Object.values(input.teams));
    const sync = await deps(target, c.get("user"));
    const teams = Object.fromEntries(Object.entries(input.teams).map(([team, key]) => [team, key.toUpperCase()]));
    await store.projects.setJiraSync(target.id, { team: { field: input.field, teams, issueType: input.issueType } });
    return c.json(await recorded(target, c.get("user"), sync.identity, async () => syncTeams(sync, (await store.projects.byId(target.id))!)), 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/jira-sync", middleware: [role("member")] as const, tags: ["jira-sync"], security, request: { params: IdParam }, responses: { 200: json(z.any(), "Project- or team-level sync run again: unlinked items created, nothing twice"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    if (!target.jiraSync.epic && !target.jiraSync.team) throw new ApiError(400, "sync_config", `Project ${target.key} has neither project-level nor team-level sync: PUT /projects/${target.key}/epic-sync or /team-sync first.`);
    const sync = await deps(target, c.get("user"));
    return c.json(await recorded(target, c.get("user"), sync.identity, () => (target.jiraSync.epic ? syncProjectEpic(sync, target) : syncTeams(sync, target))), 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/create-in-jira", middleware: [role("member")] as const, tags: ["import"], security, request: { params: IdParam, ...body(z.strictObject({ items: z.array(z.string().min(1)).min(1).max(1000), jiraProject: z.string().min(1), issueType: z.string().min(1), fields: z.record(z.string(), z.unknown()).optional(), background: z.boolean().default(false) })) }, responses: { 200: json(z.any(), "Created (or found from an earlier attempt) and linked, per item; one run in the history"), 202: json(z.any(), "Queued as a job (background: true)"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    inJiraProjects(target, [input.jiraProject]);
    const items: Item[] = [];
    for (const ref of input.items) {
      const found = await store.projects.item(ref);
      if (!found || found.projectId !== target.id) throw new ApiError(400, "unknown_item", `'${ref}' is not an item of ${target.key}; nothing was created.`);
      items.push(found);
    }
    const sync = await deps(target, c.get("user"));
    // A batch can run as a durable job: creation is idempotent (each issue carries its item's mark), so a retry
    // after a crash or a timeout never creates a second issue.
    if (input.background) return acceptedJob(c, await jobs.enqueue<CreatePayload>("create", { projectId: target.id, userId: c.get("user").id, items: items.map((item) => item.id), jiraProject: input.jiraProject.toUpperCase(), issueType: input.issueType, fields: input.fields }, projectJobOptions(target)));
    const sent = await run(() => createItemsInJira(sync, items, { jiraProject: input.jiraProject.toUpperCase(), issueType: input.issueType, fields: input.fields }));
    return c.json({ ...sent, run: await recordSent(store, target, sent, { userId: c.get("user").id, identity: sync.identity }) }, 200);
  });

  return app;
}
