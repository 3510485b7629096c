// Connectors: create, list, show, rename, rotate credentials, Connect & Test, disconnect; OAuth authorization
// of a connector or of a user's own identity. Credentials go in, never come out.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { connectAndTest } from "../../connectors/connect-test.ts";
import { jiraForConnector, MissingIdentityError } from "../../connectors/jira-for.ts";
import { JiraClient } from "../../jira/client.ts";
import { MODES_BY_FLAVOUR, type JiraCredentials, type JiraFlavour } from "../../jira/credentials.ts";
import { JiraError } from "../../jira/errors.ts";
import { forgetMetadata, metadataFor } from "../../jira/metadata.ts";
import { importProjects, type ImportInto } from "../../crossing/project-sources.ts";
import { importAndPull } from "../../crossing/import-and-pull.ts";
import { syncContextFor } from "../../connectors/sync-context.ts";
import { applyMappings } from "../../engine/resolve-mappings.ts";
import { PRESET_NAMES } from "../../engine/presets.ts";
import { accessibleResources, ATLASSIAN_OAUTH, authorizationUrl, exchangeCode, newOAuthState, sandboxOAuthEndpoints } from "../../jira/oauth.ts";
import { followProjectsInWebhook, registerWebhook } from "../../realtime/registration.ts";
import type { StoredOAuthApp } from "../../store/connectors.ts";
import type { TandemStore } from "../../store/store.ts";
import { requireRole, role, type ApiEnv } from "../auth.ts";
import { ApiError, invalidRequest, notFound } from "../errors.ts";
import { ConnectorPatchSchema, ConnectorSchema, CredentialsInputSchema, ErrorSchema, IdParam, NewConnectorSchema, TestReportSchema } from "../schemas.ts";

type CredentialsInput = z.infer<typeof CredentialsInputSchema>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "No such connector") };
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

/** Checks mode against flavour and splits the input into stored credentials or an OAuth app. */
function credentialsFrom(flavour: JiraFlavour, input: CredentialsInput): { credentials: JiraCredentials | null; oauthApp: StoredOAuthApp | null } {
  if (!MODES_BY_FLAVOUR[flavour].includes(input.authMode)) {
    const hint = flavour === "cloud" ? "Jira Cloud takes an API token (with the account's email) or OAuth; passwords and personal access tokens are Data Center's." : "Jira Data Center takes a username and password or a personal access token; API tokens and OAuth 2.0 (3LO) are Jira Cloud's.";
    throw new ApiError(400, "auth_mode_mismatch", `Authentication '${input.authMode}' does not work with ${flavour === "cloud" ? "Jira Cloud" : "Jira Data Center"}. ${hint}`);
  }
  switch (input.authMode) {
    case "api-token":
      return { credentials: { mode: "api-token", email: input.email, apiToken: input.apiToken }, oauthApp: null };
    case "password":
      return { credentials: { mode: "password", username: input.username, password: input.password }, oauthApp: null };
    case "pat":
      return { credentials: { mode: "pat", token: input.token }, oauthApp: null };
    case "oauth":
      return { credentials: null, oauthApp: { clientId: input.clientId, clientSecret: input.clientSecret, endpoints: input.oauthBaseUrl ? sandboxOAuthEndpoints(input.oauthBaseUrl.replace(/\/+$/, "")) : ATLASSIAN_OAUTH } };
  }
}

/** The connector form's fields as a person knows them (the web app's labels), for the API's validation messages. */
const CREDENTIAL_FIELDS: Record<string, string> = {
  authMode: "Authentication", email: "Email", apiToken: "API token", username: "Username", password: "Password",
  token: "Personal access token", clientId: "OAuth client id", clientSecret: "OAuth client secret", oauthBaseUrl: "OAuth server",
};
const CONNECTOR_FIELDS: Record<string, string> = {
  name: "Name", flavour: "Jira flavour", siteUrl: "Jira URL", credentials: "Credentials", "defaultSyncOptions.direction": "Default direction",
  ...Object.fromEntries(Object.entries(CREDENTIAL_FIELDS).map(([field, label]) => [`credentials.${field}`, label])),
};

/** A route's validation failure naming its fields as a person knows them; `details` keep each field's path. */
const namedFields = (names: Record<string, string>) => (result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }): undefined => {
  if (result.success || !result.error) return undefined;
  const { error } = invalidRequest(result.error.issues, names);
  throw new ApiError(400, error.code, error.message, error.details);
};

export function connectorRoutes(store: TandemStore, publicUrl: () => string, onScheduleChange: () => Promise<void> = async () => {}) {
  const app = new OpenAPIHono<ApiEnv>();
  const find = async (id: string) => (await store.connectors.byId(id)) ?? (await store.connectors.byName(id)) ?? Promise.reject(notFound(`Connector '${id}'`));
  const security = [{ bearer: [] }];

  app.openapi(createRoute({ method: "get", path: "/connectors", tags: ["connectors"], security, responses: { 200: json(z.array(ConnectorSchema), "All connectors") } }), async (c) => c.json(await store.connectors.list(), 200));

  app.openapi(createRoute({ method: "post", path: "/connectors", middleware: [role("admin")] as const, tags: ["connectors"], security, request: body(NewConnectorSchema), responses: { 201: json(ConnectorSchema, "Created"), 409: json(ErrorSchema, "Name taken"), ...errors } }), async (c) => {
    const input = c.req.valid("json");
    if (await store.connectors.byName(input.name)) throw new ApiError(409, "name_taken", `A connector named '${input.name}' already exists; pick another name.`);
    const { credentials, oauthApp } = credentialsFrom(input.flavour, input.credentials);
    const connector = await store.connectors.create({ name: input.name, flavour: input.flavour, siteUrl: input.siteUrl, authMode: input.credentials.authMode, credentials, oauthApp, defaultSyncOptions: input.defaultSyncOptions });
    return c.json(connector, 201);
  }, namedFields(CONNECTOR_FIELDS));

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}", tags: ["connectors"], security, request: { params: IdParam }, responses: { 200: json(ConnectorSchema, "The connector"), ...errors } }), async (c) => c.json(await find(c.req.valid("param").id), 200));

  app.openapi(createRoute({ method: "patch", path: "/connectors/{id}", middleware: [role("admin")] as const, tags: ["connectors"], security, request: { params: IdParam, ...body(ConnectorPatchSchema) }, responses: { 200: json(ConnectorSchema, "Updated"), 409: json(ErrorSchema, "Name taken"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const patch = c.req.valid("json");
    if (patch.name && patch.name !== connector.name) {
      if (await store.connectors.byName(patch.name)) throw new ApiError(409, "name_taken", `A connector named '${patch.name}' already exists; pick another name.`);
      await store.connectors.rename(connector.id, patch.name);
    }
    if (patch.defaultSyncOptions) await store.connectors.setDefaultSyncOptions(connector.id, patch.defaultSyncOptions);
    return c.json((await store.connectors.byId(connector.id))!, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/connectors/{id}/credentials", middleware: [role("admin")] as const, tags: ["connectors"], security, request: { params: IdParam, ...body(CredentialsInputSchema) }, responses: { 200: json(ConnectorSchema, "Rotated"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const input = c.req.valid("json");
    const { credentials, oauthApp } = credentialsFrom(connector.flavour, input);
    await store.connectors.setCredentials(connector.id, input.authMode, credentials, input.authMode === "oauth" ? oauthApp : null);
    forgetMetadata(connector.id);
    return c.json((await store.connectors.byId(connector.id))!, 200);
  }, namedFields(CREDENTIAL_FIELDS));

  app.openapi(createRoute({ method: "delete", path: "/connectors/{id}", middleware: [role("admin")] as const, tags: ["connectors"], security, request: { params: IdParam }, responses: { 200: json(z.object({ removed: z.string(), projectAssociationsRemoved: z.number() }), "Disconnected"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    // The projects that used it lose their Jira association; their items, links and history stay.
    const detached = await store.projects.detachConnector(connector.id);
    await store.connectors.remove(connector.id);
    forgetMetadata(connector.id);
    return c.json({ removed: connector.name, projectAssociationsRemoved: detached }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/connectors/{id}/test", middleware: [role("member")] as const, tags: ["connectors"], security, request: { params: IdParam }, responses: { 200: json(TestReportSchema, "Connect & Test report"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    let jira: JiraClient;
    try {
      jira = await jiraForConnector(store, connector);
    } catch (error) {
      if (error instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", error.message);
      throw error;
    }
    const report = await connectAndTest(jira, connector.authMode, connector.siteUrl);
    await store.connectors.setLastTest(connector.id, report);
    return c.json(report, 200);
  });

  // ---- OAuth ----

  const StartSchema = z.strictObject({ purpose: z.enum(["connector", "identity"]).default("connector") });
  app.openapi(createRoute({ method: "post", path: "/connectors/{id}/oauth/start", middleware: [role("member")] as const, tags: ["oauth"], security, request: { params: IdParam, ...body(StartSchema) }, responses: { 200: json(z.object({ authorizeUrl: z.string(), state: z.string() }), "Send the person's browser to authorizeUrl"), ...errors } }), async (c) => {
    const { purpose } = c.req.valid("json");
    requireRole(c.get("user"), purpose === "connector" ? "admin" : "member");
    const connector = await find(c.req.valid("param").id);
    const oauthApp = await store.connectors.oauthApp(connector.id);
    if (connector.authMode !== "oauth" || !oauthApp) throw new ApiError(400, "not_oauth", `Connector '${connector.name}' does not use OAuth; rotate its credentials to OAuth first.`);
    const state = newOAuthState();
    const redirectUri = `${publicUrl()}/api/v1/oauth/callback`;
    await store.connectors.saveOAuthState(state, connector.id, c.get("user").id, purpose, redirectUri);
    return c.json({ authorizeUrl: authorizationUrl(oauthApp.endpoints, oauthApp.clientId, redirectUri, state), state }, 200);
  });

  // A person's browser coming back from Atlassian lands on the web app with the outcome in words, not on JSON.
  app.use("/oauth/callback", async (c, next) => {
    await next();
    if (!(c.req.header("accept") ?? "").includes("text/html")) return;
    const outcome = (await c.res.clone().json().catch(() => null)) as { connector?: string; site?: string; account?: string | null; purpose?: string; error?: { message?: string } } | null;
    const target = c.res.status === 200 && outcome?.connector
      ? `/connectors/${encodeURIComponent(outcome.connector)}?notice=${encodeURIComponent(`${outcome.purpose === "identity" ? "Your own Jira account is" : "The connector is"} authorized for ${outcome.site}${outcome.account ? ` as ${outcome.account}` : ""}. Press Connect & Test to check it.`)}`
      : `/connectors?error=${encodeURIComponent(outcome?.error?.message ?? "The authorization did not complete: start it again.")}`;
    c.res = new Response(null, { status: 303, headers: { Location: target } });
  });

  app.openapi(
    createRoute({ method: "get", path: "/oauth/callback", tags: ["oauth"], request: { query: z.object({ code: z.string().optional(), state: z.string(), error: z.string().optional(), error_description: z.string().optional() }) }, responses: { 200: json(z.object({ connector: z.string(), site: z.string(), account: z.string().nullable(), purpose: z.string() }), "Authorized"), ...errors } }),
    async (c) => {
      const query = c.req.valid("query");
      const pending = await store.connectors.takeOAuthState(query.state);
      if (!pending) throw new ApiError(400, "bad_state", "This authorization link is unknown, used or older than 15 minutes: start the authorization again.");
      if (query.error || !query.code) throw new ApiError(400, "consent_refused", `Atlassian did not authorize Tandem: ${query.error_description ?? query.error ?? "no code"}. Start again and accept the consent screen.`);
      const connector = await find(pending.connectorId);
      const oauthApp = (await store.connectors.oauthApp(connector.id))!;
      const tokens = await exchangeCode(oauthApp, query.code, pending.redirectUri);
      const sites = await accessibleResources(oauthApp.endpoints, tokens.accessToken);
      if (sites.length === 0) throw new ApiError(400, "no_sites", "The Atlassian account that authorized has access to no Jira site. Sign in with an account of the site, or ask its admin for access.");
      const site = sites.find((candidate) => candidate.url.replace(/\/+$/, "") === connector.siteUrl) ?? (sites.length === 1 ? sites[0]! : undefined);
      if (!site) throw new ApiError(400, "site_not_granted", `The authorization covers ${sites.map((candidate) => candidate.url).join(", ")} but not ${connector.siteUrl}. Authorize again and pick ${connector.siteUrl}.`);
      const credentials: JiraCredentials = { mode: "oauth", accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, cloudId: site.id };
      const jira = new JiraClient({ flavour: "cloud", siteUrl: connector.siteUrl, credentials, oauthApp, connectorKey: connector.id });
      let account: string | null = null;
      try {
        const me = await jira.myself();
        account = me.emailAddress ?? me.displayName ?? null;
      } catch (error) {
        if (!(error instanceof JiraError)) throw error;
      }
      if (pending.purpose === "connector") await store.connectors.setCredentials(connector.id, "oauth", credentials);
      else await store.connectors.setIdentity(connector.id, pending.userId, "oauth", credentials, { account });
      forgetMetadata(connector.id);
      return c.json({ connector: connector.name, site: site.url, account, purpose: pending.purpose }, 200);
    },
  );

  // ---- webhooks ----

  const RegistrationSchema = z.object({ url: z.string(), secret: z.string(), jql: z.string(), events: z.array(z.string()), registered: z.boolean(), jiraWebhookId: z.string().nullable(), instructions: z.string().nullable() });
  app.openapi(createRoute({ method: "post", path: "/connectors/{id}/webhook", middleware: [role("admin")] as const, tags: ["webhooks"], security, request: { params: IdParam }, responses: { 200: json(RegistrationSchema, "The webhook: registered in Jira, or what to paste there"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const jira = await jiraForConnector(store, connector).catch((error: unknown) => {
      throw error instanceof MissingIdentityError ? new ApiError(400, "not_authorized", error.message) : error;
    });
    return c.json(await registerWebhook(store, connector, jira, publicUrl()), 200);
  });

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/webhook", tags: ["webhooks"], security, request: { params: IdParam }, responses: { 200: json(z.object({ connected: z.boolean(), url: z.string().nullable(), registeredInJira: z.boolean(), lastVerifiedDelivery: z.number().nullable(), verified: z.number(), rejected: z.number(), inbox: z.record(z.string(), z.number()) }), "Webhook status"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const endpoint = await store.inbox.endpointFor(connector.id);
    return c.json({
      connected: Boolean(endpoint?.lastDeliveryAt),
      url: endpoint ? `${publicUrl()}/hooks/jira/${endpoint.pathToken}` : null,
      registeredInJira: Boolean(endpoint?.jiraWebhookId),
      lastVerifiedDelivery: endpoint?.lastDeliveryAt ?? null,
      verified: endpoint?.verifiedCount ?? 0,
      rejected: endpoint?.rejectedCount ?? 0,
      inbox: await store.inbox.counts(connector.id),
    }, 200);
  });

  // ---- projects from Jira ----

  const SourceSchema = z.strictObject({
    jiraProjects: z.array(z.string().min(1)).min(1),
    source: z.discriminatedUnion("mode", [z.strictObject({ mode: z.literal("jira-project") }), z.strictObject({ mode: z.literal("epic") }), z.strictObject({ mode: z.literal("field"), field: z.string().min(1) })]),
    includeDone: z.boolean().default(false),
    direction: z.enum(["pull", "push", "two-way"]).default("pull"),
    /** New projects get this preset's mappings, and their issues' mapped fields are pulled as they are imported. */
    preset: z.enum(PRESET_NAMES).optional(),
  });
  app.openapi(createRoute({ method: "post", path: "/connectors/{id}/import-projects", middleware: [role("member")] as const, tags: ["import"], security, request: { params: IdParam, ...body(SourceSchema) }, responses: { 200: json(z.array(z.object({ key: z.string(), name: z.string(), created: z.boolean(), itemsCreated: z.number(), itemsExisting: z.number(), runId: z.string().nullable().optional(), mappingProblem: z.string().nullable().optional() })), "Projects made (or reused) and what they imported"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const input = c.req.valid("json");
    const jira = await jiraForConnector(store, connector, "service", { readOnly: true });
    const user = c.get("user");
    // Each project's issues come in with a Pull of its mapped fields, in one pass (a new one mapped first, with the preset).
    const importInto: ImportInto = async (project, created, scope) => {
      const context = await syncContextFor(store, project, { person: user }, publicUrl());
      const applied = created && input.preset ? await applyMappings(store.projects, project, { preset: input.preset }, (name) => context.metadata.field(name)) : null;
      const imported = await importAndPull(context, (await store.projects.byId(project.id))!, scope, { userId: user.id, cache: store.issueCache });
      return { ...imported, runId: imported.run?.id ?? null, mappingProblem: applied && !applied.ok ? applied.problems.join(" ") : null };
    };
    try {
      const made = await importProjects({ jira, metadata: metadataFor(`${connector.id}:service`, jira), projects: store.projects, importInto }, { connectorId: connector.id, jiraProjects: input.jiraProjects.map((key) => key.toUpperCase()), source: input.source, includeDone: input.includeDone, direction: input.direction });
      // New projects get their catch-up schedule and are in the connector's webhook filter, as any connected project.
      if (made.some((row) => row.created)) {
        await onScheduleChange();
        await followProjectsInWebhook(store, connector.id, (owner) => jiraForConnector(store, owner, "service"), publicUrl());
      }
      return c.json(made, 200);
    } catch (error) {
      if (error instanceof Error && /^No Jira field/.test(error.message)) throw new ApiError(400, "unknown_field", error.message);
      throw error;
    }
  });

  // ---- people: manual overrides ----

  const OverrideSchema = z.strictObject({ jiraUser: z.string().min(1), email: z.email() });
  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/people", tags: ["people"], security, request: { params: IdParam }, responses: { 200: json(z.array(OverrideSchema), "Manual overrides"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    return c.json(await store.connectors.personOverrides(connector.id), 200);
  });
  app.openapi(createRoute({ method: "put", path: "/connectors/{id}/people", middleware: [role("member")] as const, tags: ["people"], security, request: { params: IdParam, ...body(OverrideSchema) }, responses: { 200: json(z.array(OverrideSchema), "Saved"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const input = c.req.valid("json");
    await store.connectors.setPersonOverride(connector.id, input.jiraUser, input.email);
    return c.json(await store.connectors.personOverrides(connector.id), 200);
  });

  // ---- each user's own identity ----

  const IdentitySchema = z.object({ connected: z.boolean(), authMode: z.string().nullable(), account: z.unknown(), state: z.enum(["none", "authorized", "expired"]).optional() });
  // An OAuth authorization past its expiry with no refresh token cannot renew itself: the person authorizes again.
  const stateOf = (identity: { credentials: JiraCredentials } | undefined): "none" | "authorized" | "expired" =>
    !identity ? "none" : identity.credentials.mode === "oauth" && !identity.credentials.refreshToken && identity.credentials.expiresAt !== null && identity.credentials.expiresAt < Date.now() ? "expired" : "authorized";
  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/identity", tags: ["connectors"], security, request: { params: IdParam }, responses: { 200: json(IdentitySchema, "Your own Jira identity for this connector"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const identity = await store.connectors.identity(connector.id, c.get("user").id);
    return c.json({ connected: Boolean(identity), authMode: identity?.authMode ?? null, account: identity?.account ?? null, state: stateOf(identity) }, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/connectors/{id}/identity", middleware: [role("member")] as const, tags: ["connectors"], security, request: { params: IdParam, ...body(CredentialsInputSchema) }, responses: { 200: json(IdentitySchema, "Connected"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const input = c.req.valid("json");
    if (input.authMode === "oauth") throw new ApiError(400, "use_oauth_start", "For OAuth, call POST /connectors/{id}/oauth/start with purpose 'identity' and follow authorizeUrl.");
    const { credentials } = credentialsFrom(connector.flavour, input);
    const jira = new JiraClient({ flavour: connector.flavour, siteUrl: connector.siteUrl, credentials: credentials!, connectorKey: connector.id });
    const report = await connectAndTest(jira, input.authMode, connector.siteUrl);
    if (!report.account) throw new ApiError(400, "identity_refused", `Jira did not accept these credentials: ${report.problems.map((problem) => `${problem.cause} ${problem.fix}`).join(" ")}`, report);
    await store.connectors.setIdentity(connector.id, c.get("user").id, input.authMode, credentials!, report.account);
    forgetMetadata(connector.id);
    return c.json({ connected: true, authMode: input.authMode, account: report.account }, 200);
  }, namedFields(CREDENTIAL_FIELDS));

  app.openapi(createRoute({ method: "delete", path: "/connectors/{id}/identity", tags: ["connectors"], security, request: { params: IdParam }, responses: { 204: { description: "Removed" }, ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    await store.connectors.removeIdentity(connector.id, c.get("user").id);
    return c.body(null, 204);
  });

  return app;
}
