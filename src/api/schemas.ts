// Request and response schemas of the API: they validate requests and generate the OpenAPI document.
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }).openapi("Error");

export const RoleSchema = z.enum(["admin", "member", "guest"]);

export const UserSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, createdAt: z.number() }).openapi("User");

export const LoginSchema = z.strictObject({ email: z.email(), password: z.string().min(1) }).openapi("Login");

export const SessionSchema = z.object({ token: z.string(), user: UserSchema }).openapi("Session");

export const NewUserSchema = z.strictObject({ email: z.email(), name: z.string().min(1).max(200), role: RoleSchema, password: z.string().min(10, "Use at least 10 characters.") }).openapi("NewUser");

export const TokenInfoSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable() }).openapi("ApiToken");

export const NewTokenSchema = z.strictObject({ name: z.string().min(1).max(100) });

export const FlavourSchema = z.enum(["cloud", "dc"]);
export const AuthModeSchema = z.enum(["api-token", "oauth", "password", "pat"]);

const siteUrl = z.url({ protocol: /^https?$/, error: "Give the Jira site's base URL, e.g. https://your-site.atlassian.net" }).transform((url) => url.replace(/\/+$/, ""));

/** Credentials by mode; each names exactly what it needs. */
export const CredentialsInputSchema = z
  .discriminatedUnion("authMode", [
    z.strictObject({
      authMode: z.literal("api-token"),
      email: z.email({ error: "not a valid email address — use the email you sign in to Atlassian with" }),
      apiToken: z.string().min(1, "missing — create one at https://id.atlassian.com/manage-profile/security/api-tokens"),
    }),
    z.strictObject({ authMode: z.literal("password"), username: z.string().min(1), password: z.string().min(1) }),
    z.strictObject({ authMode: z.literal("pat"), token: z.string().min(1) }),
    z.strictObject({
      authMode: z.literal("oauth"),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      /** Where the OAuth endpoints are; Atlassian's unless given (tests and the demo use the sandbox's). */
      oauthBaseUrl: z.url().optional(),
    }),
  ])
  .openapi("CredentialsInput");

export const SyncOptionsSchema = z
  .strictObject({ direction: z.enum(["pull", "push", "two-way"]), fields: z.record(z.string(), z.enum(["pull", "push", "both", "none"])).default({}) })
  .openapi("SyncOptions");

export const NewConnectorSchema = z
  .object({ name: z.string().min(1).max(100), flavour: FlavourSchema, siteUrl, credentials: CredentialsInputSchema, defaultSyncOptions: SyncOptionsSchema.optional() })
  .strict()
  .openapi("NewConnector");

export const ConnectorPatchSchema = z.strictObject({ name: z.string().min(1).max(100).optional(), defaultSyncOptions: SyncOptionsSchema.optional() }).openapi("ConnectorPatch");

export const ConnectorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    flavour: FlavourSchema,
    siteUrl: z.string(),
    authMode: AuthModeSchema,
    hasCredentials: z.boolean(),
    defaultSyncOptions: SyncOptionsSchema,
    lastTest: z.unknown(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Connector");

export const TestReportSchema = z
  .object({
    ok: z.boolean(),
    checkedAt: z.string(),
    site: z.object({ title: z.string().nullable(), version: z.string(), deploymentType: z.string(), baseUrl: z.string() }).nullable(),
    account: z.object({ displayName: z.string().nullable(), email: z.string().nullable(), accountId: z.string().nullable(), username: z.string().nullable() }).nullable(),
    browsableProjects: z.number().nullable(),
    permissions: z.record(z.string(), z.boolean()).nullable(),
    problems: z.array(z.object({ step: z.string(), cause: z.string(), fix: z.string() })),
  })
  .openapi("ConnectTestReport");

export const IdParam = z.object({ id: z.string().min(1) });
