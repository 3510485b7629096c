// Read-only help for editing a project's mappings: what can be mapped (the project's fields, the site's fields
// with their types, statuses, issue types with hierarchy levels, presets), and the engine's compatibility check of
// one mapping before it is saved, so a type mismatch shows where it is made. Saving stays PUT /projects/{id}/mappings.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { MissingIdentityError } from "../../connectors/jira-for.ts";
import { NotConnectedError, syncContextFor } from "../../connectors/sync-context.ts";
import { CORE_FIELDS, TANDEM_STATUSES, type Mapping } from "../../engine/model.ts";
import { PRESETS } from "../../engine/presets.ts";
import { resolveMappings } from "../../engine/resolve-mappings.ts";
import type { Project } from "../../store/projects.ts";
import type { TandemStore } from "../../store/store.ts";
import type { User } from "../../store/users.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found") };
const security = [{ bearer: [] }];

/** The transforms a mapping may use (their parameters are checked in full when saving). */
export const TRANSFORM_KINDS = ["copy", "status", "valueMap", "duration", "ratio", "richText", "person", "date", "itemUrl", "now", "number", "options", "datetime", "labels"] as const;

const CheckSchema = z.strictObject({
  tandemField: z.string().min(1, "Pick a Tandem field."),
  jiraField: z.string().min(1, "Pick a Jira field."),
  direction: z.enum(["pull", "push", "both"]),
  transform: z.looseObject({ kind: z.enum(TRANSFORM_KINDS) }),
});

const OptionsSchema = z.object({
  tandemFields: z.array(z.object({ key: z.string(), name: z.string(), type: z.string() })),
  tandemStatuses: z.array(z.string()),
  jiraFields: z.array(z.object({ id: z.string(), name: z.string(), type: z.string() })),
  jiraStatuses: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
  issueTypes: z.array(z.object({ id: z.string(), name: z.string(), hierarchyLevel: z.number().nullable(), subtask: z.boolean() })),
  transforms: z.array(z.string()),
  presets: z.array(z.object({ name: z.string(), description: z.string() })),
});

export function mappingCheckRoutes(store: TandemStore, publicUrl: () => string) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));

  async function metadataOf(target: Project, user: User) {
    try {
      return (await syncContextFor(store, target, { person: user }, publicUrl())).metadata;
    } catch (error) {
      if (error instanceof NotConnectedError) throw new ApiError(400, "not_connected", error.message);
      if (error instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", error.message);
      throw error;
    }
  }

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/mapping-options", tags: ["projects"], security, request: { params: IdParam }, responses: { 200: json(OptionsSchema, "What the project's mappings can use"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const metadata = await metadataOf(target, c.get("user"));
    const [fields, statuses, issueTypes] = await Promise.all([metadata.fields(), metadata.statuses(), metadata.issueTypes()]);
    return c.json({
      tandemFields: [...CORE_FIELDS, ...target.fields].map((field) => ({ key: field.key, name: field.name, type: field.type })),
      tandemStatuses: [...TANDEM_STATUSES],
      jiraFields: fields.map((field) => ({ id: field.id, name: field.name, type: field.schema?.type ?? "unknown" })).sort((a, b) => a.name.localeCompare(b.name)),
      jiraStatuses: statuses.map((status) => ({ id: status.id, name: status.name, category: status.statusCategory.key })),
      issueTypes: issueTypes.map((type) => ({ id: type.id, name: type.name, hierarchyLevel: type.hierarchyLevel ?? null, subtask: type.subtask })).sort((a, b) => (b.hierarchyLevel ?? 0) - (a.hierarchyLevel ?? 0)),
      transforms: [...TRANSFORM_KINDS],
      presets: Object.values(PRESETS).map((preset) => ({ name: preset.name, description: preset.description })),
    }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/mappings/check", middleware: [role("member")] as const, tags: ["projects"], security, request: { params: IdParam, body: { content: { "application/json": { schema: CheckSchema } }, required: true } }, responses: { 200: json(z.object({ ok: z.boolean(), problem: z.string().nullable(), jiraField: z.string() }), "Whether the two ends can meet, and why not"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json") as unknown as Omit<Mapping, "id">;
    const metadata = await metadataOf(target, c.get("user"));
    const { resolved, problems } = await resolveMappings([input], target.fields, (name) => metadata.field(name));
    return c.json({ ok: problems.length === 0, problem: problems[0] ?? null, jiraField: resolved[0]?.jiraField ?? input.jiraField }, 200);
  });

  return app;
}
