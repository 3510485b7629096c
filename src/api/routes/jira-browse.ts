// What a connector's Jira offers to choose from in a wizard: the Jira projects its account may browse (the import
// wizard's "Jira project" step). Read-only; as the connector's own account, or the caller's identity when the
// connector has none of its own.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { jiraForConnector, MissingIdentityError } from "../../connectors/jira-for.ts";
import type { TandemStore } from "../../store/store.ts";
import type { ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const JiraProjectSchema = z.object({ id: z.string(), key: z.string(), name: z.string() });

export function jiraBrowseRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/jira-projects", tags: ["connectors"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 200: json(z.array(JiraProjectSchema), "Jira projects the connector's account may browse"), 400: json(ErrorSchema, "No identity to ask with"), 401: json(ErrorSchema, "Not signed in"), 404: json(ErrorSchema, "No such connector") } }), async (c) => {
    const ref = c.req.valid("param").id;
    const connector = (await store.connectors.byId(ref)) ?? (await store.connectors.byName(ref));
    if (!connector) throw notFound(`Connector '${ref}'`);
    let jira;
    try {
      jira = await jiraForConnector(store, connector, "service", { readOnly: true });
    } catch (error) {
      if (!(error instanceof MissingIdentityError)) throw error;
      try {
        jira = await jiraForConnector(store, connector, { userId: c.get("user").id }, { readOnly: true });
      } catch (own) {
        if (own instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", own.message);
        throw own;
      }
    }
    const projects: z.infer<typeof JiraProjectSchema>[] = [];
    for await (const project of jira.projects()) projects.push({ id: project.id, key: project.key, name: project.name });
    return c.json(projects.sort((a, b) => a.key.localeCompare(b.key)), 200);
  });

  return app;
}
