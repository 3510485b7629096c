// The site picker of an OAuth connector: the Jira sites the authorization reaches (Atlassian's accessible
// resources), which one the connector uses, and switching to another of them (its URL and cloud id together).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { JiraCredentials } from "../../jira/credentials.ts";
import { JiraError } from "../../jira/errors.ts";
import { forgetMetadata } from "../../jira/metadata.ts";
import { accessibleResources } from "../../jira/oauth.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Not an authorized OAuth connector, or an unknown site"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "No such connector") };
const security = [{ bearer: [] }];

const SiteSchema = z.object({ id: z.string(), url: z.string(), name: z.string(), inUse: z.boolean() });

export function oauthSiteRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();

  /** The connector's OAuth app and granted credentials, and the sites they reach. */
  async function sitesOf(ref: string) {
    const connector = (await store.connectors.byId(ref)) ?? (await store.connectors.byName(ref));
    if (!connector) throw notFound(`Connector '${ref}'`);
    const [oauthApp, credentials] = await Promise.all([store.connectors.oauthApp(connector.id), store.connectors.credentials(connector.id)]);
    if (connector.authMode !== "oauth" || !oauthApp || credentials?.mode !== "oauth") {
      throw new ApiError(400, "not_authorized", `Connector '${connector.name}' has no OAuth authorization yet: press Authorize with Atlassian first.`);
    }
    try {
      return { connector, credentials, sites: await accessibleResources(oauthApp.endpoints, credentials.accessToken) };
    } catch (error) {
      if (error instanceof JiraError) throw new ApiError(400, "authorization_expired", `${error.message} (The site list needs a fresh authorization.)`);
      throw error;
    }
  }

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/oauth/sites", middleware: [role("admin")] as const, tags: ["oauth"], security, request: { params: IdParam }, responses: { 200: json(z.array(SiteSchema), "The sites the authorization reaches"), ...errors } }), async (c) => {
    const { credentials, sites } = await sitesOf(c.req.valid("param").id);
    return c.json(sites.map((site) => ({ id: site.id, url: site.url.replace(/\/+$/, ""), name: site.name, inUse: site.id === credentials.cloudId })), 200);
  });

  app.openapi(createRoute({ method: "put", path: "/connectors/{id}/oauth/site", middleware: [role("admin")] as const, tags: ["oauth"], security, request: { params: IdParam, body: { content: { "application/json": { schema: z.strictObject({ siteId: z.string().min(1, "Pick a site.") }) } }, required: true } }, responses: { 200: json(SiteSchema, "The site now in use"), ...errors } }), async (c) => {
    const { connector, credentials, sites } = await sitesOf(c.req.valid("param").id);
    const { siteId } = c.req.valid("json");
    const site = sites.find((candidate) => candidate.id === siteId);
    if (!site) throw new ApiError(400, "unknown_site", `The authorization does not reach a site with id '${siteId}'; it reaches ${sites.map((candidate) => `${candidate.url} (${candidate.id})`).join(", ") || "no site"}.`);
    const url = site.url.replace(/\/+$/, "");
    await store.connectors.setCredentials(connector.id, "oauth", { ...credentials, cloudId: site.id } satisfies JiraCredentials);
    await store.connectors.setSiteUrl(connector.id, url);
    forgetMetadata(connector.id);
    return c.json({ id: site.id, url, name: site.name, inUse: true }, 200);
  });

  return app;
}
