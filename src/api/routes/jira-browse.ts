// What a connector's Jira offers to choose from in a wizard: the Jira projects its account may browse and the saved
// filters it may use (the import wizard's "Jira project" and "filter" steps), and the site's fields (to pick one by name). Read-only; as the connector's own account, or the caller's identity when the
// connector has none of its own.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { jiraForConnector, MissingIdentityError } from "../../connectors/jira-for.ts";
import { metadataFor } from "../../jira/metadata.ts";
import type { TandemStore } from "../../store/store.ts";
import type { ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const JiraProjectSchema = z.object({ id: z.string(), key: z.string(), name: z.string() });
const FilterSchema = z.object({ id: z.string(), name: z.string(), jql: z.string() });
const FieldSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), custom: z.boolean() });

export function jiraBrowseRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();

  /** The connector's Jira, as its own account, or the caller's identity when the connector has none. */
  async function jiraFor(ref: string, userId: string) {
    const connector = (await store.connectors.byId(ref)) ?? (await store.connectors.byName(ref));
    if (!connector) throw notFound(`Connector '${ref}'`);
    try {
      return await jiraForConnector(store, connector, "service", { readOnly: true });
    } catch (error) {
      if (!(error instanceof MissingIdentityError)) throw error;
      try {
        return await jiraForConnector(store, connector, { userId }, { readOnly: true });
      } catch (own) {
        if (own instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", own.message);
        throw own;
      }
    }
  }
  const responses = { 400: json(ErrorSchema, "No identity to ask with"), 401: json(ErrorSchema, "Not signed in"), 404: json(ErrorSchema, "No such connector") };

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/jira-projects", tags: ["connectors"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 200: json(z.array(JiraProjectSchema), "Jira projects the connector's account may browse"), ...responses } }), async (c) => {
    const jira = await jiraFor(c.req.valid("param").id, c.get("user").id);
    const projects: z.infer<typeof JiraProjectSchema>[] = [];
    for await (const project of jira.projects()) projects.push({ id: project.id, key: project.key, name: project.name });
    return c.json(projects.sort((a, b) => a.key.localeCompare(b.key)), 200);
  });

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/filters", tags: ["connectors"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 200: json(z.array(FilterSchema), "Saved filters the connector's account may use, with their JQL"), ...responses } }), async (c) => {
    const jira = await jiraFor(c.req.valid("param").id, c.get("user").id);
    return c.json((await jira.filters()).sort((a, b) => a.name.localeCompare(b.name)), 200);
  });

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/fields", tags: ["connectors"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 200: json(z.array(FieldSchema), "The site's fields with their types, custom ones first"), ...responses } }), async (c) => {
    const ref = c.req.valid("param").id;
    const connector = (await store.connectors.byId(ref)) ?? (await store.connectors.byName(ref));
    const jira = await jiraFor(ref, c.get("user").id);
    // The connector's metadata cache, shared with its projects' runs and mapping pages.
    const fields = await metadataFor(`${connector!.id}:service`, jira).fields();
    return c.json(fields.map((field) => ({ id: field.id, name: field.name, type: field.schema?.type ?? "unknown", custom: field.id.startsWith("customfield_") })).sort((a, b) => Number(b.custom) - Number(a.custom) || a.name.localeCompare(b.name)), 200);
  });

  return app;
}
