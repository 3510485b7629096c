// Minimal retention: switching a project to keeping only issue ids (with the cache's lifetime), and refreshing the
// cached issue data. Reading the items (GET /projects/{id}/items) shows what is loaded.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { DEFAULT_CACHE_TTL_MS, refreshIssueCache } from "../../crossing/retention.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { projectContext } from "../project-context.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found") };
const security = [{ bearer: [] }];

const RetentionSchema = z.strictObject({
  mode: z.enum(["full", "minimal"]),
  /** How long fetched issue data is kept (minimal mode); 24 by default. */
  cacheHours: z.number().positive().max(24 * 365, "At most a year (8760 hours).").optional(),
});

export function retentionRoutes(store: TandemStore, publicUrl: () => string) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/retention", middleware: [role("member")] as const, tags: ["retention"], security, request: { params: IdParam, body: { content: { "application/json": { schema: RetentionSchema } }, required: true } }, responses: { 200: json(z.any(), "Saved; in minimal mode linked items now hold only issue ids"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const ttl = input.cacheHours === undefined ? (target.retention === "minimal" ? target.cacheTtlMs : DEFAULT_CACHE_TTL_MS) : Math.round(input.cacheHours * 3600 * 1000);
    await store.projects.setRetention(target.id, input.mode, ttl);
    // Back to full retention: the cache goes, and the next Pull fills the items again.
    if (input.mode === "full") await store.issueCache.clear(target.id);
    const saved = (await store.projects.byId(target.id))!;
    return c.json({ key: saved.key, retention: saved.retention, cacheHours: saved.cacheTtlMs / 3600_000 }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/refresh", middleware: [role("member")] as const, tags: ["retention"], security, request: { params: IdParam }, responses: { 200: json(z.object({ fetched: z.number(), unreadable: z.number(), expiresAt: z.number() }), "Issue data fetched into the cache"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    if (target.retention !== "minimal") throw new ApiError(400, "not_minimal", `Project ${target.key} keeps issue data in its items (full retention): use Pull to refresh it.`);
    const { jira } = await projectContext(store, target, c.get("user"), publicUrl());
    const result = await refreshIssueCache({ jira, projects: store.projects, cache: store.issueCache }, target);
    return c.json({ ...result, expiresAt: store.issueCache.clock() + target.cacheTtlMs }, 200);
  });

  return app;
}
