// People of a connector: each Tandem person and the Jira account their email matches on the site (looked up as
// the connector's service account), with the manual override that wins over the match where one exists.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { jiraForConnector, MissingIdentityError } from "../../connectors/jira-for.ts";
import { JiraError } from "../../jira/errors.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Cannot reach Jira"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "No such connector") };

const MatchSchema = z.object({
  email: z.string(),
  name: z.string(),
  /** The Jira account whose email is exactly this one (accountId on Cloud, username on Data Center). */
  jiraUser: z.string().nullable(),
  jiraDisplayName: z.string().nullable(),
  /** A manual override naming this person, which wins over the email match. */
  override: z.string().nullable(),
});

export function peopleMatchRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/people/matches", middleware: [role("member")] as const, tags: ["people"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 200: json(z.array(MatchSchema), "Each Tandem person and their Jira account"), ...errors } }), async (c) => {
    const ref = c.req.valid("param").id;
    const connector = (await store.connectors.byId(ref)) ?? (await store.connectors.byName(ref));
    if (!connector) throw notFound(`Connector '${ref}'`);
    const jira = await jiraForConnector(store, connector, "service", { readOnly: true }).catch((error: unknown) => {
      throw error instanceof MissingIdentityError ? new ApiError(400, "not_authorized", error.message) : error;
    });
    const overrides = await store.connectors.personOverrides(connector.id);
    const matches = [];
    for (const user of await store.users.list()) {
      const email = user.email.toLowerCase();
      let found: { accountId?: string; name?: string; emailAddress?: string; displayName?: string } | undefined;
      try {
        const answer = await jira.request<{ accountId?: string; name?: string; emailAddress?: string; displayName?: string }[]>("GET", `/rest/api/${jira.apiVersion}/user/search`, { query: jira.flavour === "cloud" ? { query: email } : { username: email } });
        // Only an exact email counts as a match here; Jira hides some emails, which is what overrides are for.
        found = answer.data.find((candidate) => candidate.emailAddress?.toLowerCase() === email);
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
        throw new ApiError(400, "jira_unreachable", `Jira did not answer the user search (${error.message}); run Connect & Test on '${connector.name}'.`);
      }
      matches.push({
        email,
        name: user.name,
        jiraUser: found ? ((jira.flavour === "cloud" ? found.accountId : found.name) ?? null) : null,
        jiraDisplayName: found?.displayName ?? null,
        override: overrides.find((entry) => entry.email === email)?.jiraUser ?? null,
      });
    }
    return c.json(matches, 200);
  });

  return app;
}
