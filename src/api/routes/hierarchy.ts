// The hierarchy mapping of a project: which Tandem level each Jira issue type becomes when imported (Initiative >
// Epic > Story > Sub-task by default, from Jira's hierarchy levels); re-importing applies a changed mapping.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { defaultLevel } from "../../crossing/import.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found") };
const security = [{ bearer: [] }];
const Level = z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9-]{0,39}$/, "A level is a short lowercase name, e.g. epic or theme.");
const HierarchySchema = z.strictObject({ levels: z.record(z.string().min(1, "Name the Jira issue type."), Level) });
const describe = (levels: Record<string, string>) => ({ levels, defaults: { "Initiative (hierarchy 2+)": defaultLevel(2), "Epic (1)": defaultLevel(1), "Story, Task, Bug (0)": defaultLevel(0), "Sub-task (-1)": defaultLevel(-1) } });

export function hierarchyRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/hierarchy", tags: ["import"], security, request: { params: IdParam }, responses: { 200: json(z.any(), "Levels by Jira issue type, and the defaults"), ...errors } }), async (c) => c.json(describe((await project(c.req.valid("param").id)).hierarchy), 200));

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/hierarchy", middleware: [role("member")] as const, tags: ["import"], security, request: { params: IdParam, body: { content: { "application/json": { schema: HierarchySchema } }, required: true } }, responses: { 200: json(z.any(), "Saved; the next import applies it"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    await store.projects.setHierarchy(target.id, c.req.valid("json").levels);
    return c.json(describe((await store.projects.byId(target.id))!.hierarchy), 200);
  });

  return app;
}
