// The webhook's details for a Jira admin to paste (URL, secret, JQL, events), read without registering anything,
// and a test ping: a correctly signed synthetic delivery sent to Tandem's own public intake address, reporting
// whether the intake verified it — the same path a delivery from Jira takes.
import { randomUUID } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { signWebhookBody, SIGNATURE_HEADER } from "../../jira/webhook-signature.ts";
import { DYNAMIC_EVENTS, WEBHOOK_EVENTS } from "../../realtime/registration.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "No such connector") };
const security = [{ bearer: [] }];

const DetailsSchema = z.object({
  url: z.string(),
  secret: z.string().nullable(),
  jql: z.string(),
  events: z.array(z.string()),
  kind: z.enum(["admin", "dynamic"]),
  registeredInJira: z.boolean(),
});

const PingSchema = z.object({ verified: z.boolean(), status: z.number(), message: z.string(), lastVerifiedDelivery: z.number().nullable() });

/** The ping's event name: the processor finds no issue in it and changes nothing. */
export const PING_EVENT = "tandem:ping";

export function webhookToolRoutes(store: TandemStore, publicUrl: () => string) {
  const app = new OpenAPIHono<ApiEnv>();
  const find = async (id: string) => (await store.connectors.byId(id)) ?? (await store.connectors.byName(id)) ?? Promise.reject(notFound(`Connector '${id}'`));

  /** The connector's endpoint (made once, as registration would), with the JQL of the projects that use it. */
  async function endpointOf(connectorId: string) {
    const keys = [...new Set((await store.projects.list()).filter((project) => project.connectorId === connectorId).flatMap((project) => project.jiraProjects))].sort();
    const existing = await store.inbox.endpointFor(connectorId);
    return store.inbox.ensureEndpoint(connectorId, existing?.jql || (keys.length ? `project in (${keys.join(", ")})` : ""));
  }

  app.openapi(createRoute({ method: "get", path: "/connectors/{id}/webhook/details", middleware: [role("admin")] as const, tags: ["webhooks"], security, request: { params: IdParam }, responses: { 200: json(DetailsSchema, "What a Jira admin pastes into Jira's webhook settings"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const { endpoint, secret } = await endpointOf(connector.id);
    const dynamic = endpoint.kind === "dynamic";
    return c.json({
      url: `${publicUrl()}/hooks/jira/${endpoint.pathToken}`,
      secret: dynamic ? null : secret,
      jql: endpoint.jql,
      events: dynamic ? DYNAMIC_EVENTS : WEBHOOK_EVENTS,
      kind: endpoint.kind,
      registeredInJira: Boolean(endpoint.jiraWebhookId),
    }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/connectors/{id}/webhook/ping", middleware: [role("member")] as const, tags: ["webhooks"], security, request: { params: IdParam }, responses: { 200: json(PingSchema, "Whether Tandem's intake verified the signed test delivery"), ...errors } }), async (c) => {
    const connector = await find(c.req.valid("param").id);
    const { endpoint, secret } = await endpointOf(connector.id);
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: PING_EVENT, matchedWebhookIds: [] });
    const url = `${publicUrl()}/hooks/jira/${endpoint.pathToken}`;
    let status = 0;
    let message: string;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", [SIGNATURE_HEADER]: signWebhookBody(secret, body), "X-Atlassian-Webhook-Identifier": `tandem-ping-${randomUUID()}` },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      message = status === 202
        ? "The test delivery reached Tandem's public address and its signature was verified."
        : `Tandem's intake answered ${status}: ${((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "no reason given"}`;
    } catch (error) {
      message = `The test delivery could not reach ${url} (${error instanceof Error ? error.message : String(error)}). Check that Tandem's public URL is reachable from where it runs.`;
    }
    const after = await store.inbox.endpointFor(connector.id);
    return c.json({ verified: status === 202, status, message, lastVerifiedDelivery: after?.lastDeliveryAt ?? null }, 200);
  });

  return app;
}
