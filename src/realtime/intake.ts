// Webhook intake: verify the signature over the raw body in constant time, write the delivery to the durable
// inbox (once per identifier), answer at once; processing happens from the queue.
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { issueIdOf, parseWebhookPayload, versionOf } from "../jira/webhook-payload.ts";
import { verifyWebhookSignature } from "../jira/webhook-signature.ts";
import type { TandemStore } from "../store/store.ts";
import type { WebhookProcessor } from "./processor.ts";

export function webhookIntake(store: TandemStore, processor: WebhookProcessor): Hono {
  const app = new Hono();
  app.post("/hooks/jira/:token", async (c) => {
    const endpoint = await store.inbox.byToken(c.req.param("token"));
    if (!endpoint) return c.json({ error: { code: "not_found", message: "No webhook endpoint at this address." } }, 404);
    const raw = await c.req.text();
    // Dynamic (OAuth) webhooks carry no signature: their unguessable path is the credential. Admin ones must be signed.
    if (endpoint.kind === "admin" && !verifyWebhookSignature(endpoint.secret, raw, c.req.header("x-hub-signature"))) {
      await store.inbox.countRejected(endpoint.connectorId);
      return c.json({ error: { code: "bad_signature", message: "The X-Hub-Signature header is missing or does not match the body: check the webhook's secret." } }, 401);
    }
    const parsed = parseWebhookPayload(raw);
    if (!parsed.ok) return c.json({ error: { code: "bad_payload", message: parsed.error } }, 400);
    // Jira keeps the identifier across retries; without one, the body itself identifies the delivery.
    const identifier = c.req.header("x-atlassian-webhook-identifier") ?? createHash("sha256").update(raw).digest("hex");
    const fresh = await store.inbox.record({ connectorId: endpoint.connectorId, identifier, event: parsed.payload.webhookEvent, issueId: issueIdOf(parsed.payload), body: raw, version: versionOf(parsed.payload) });
    if (fresh) processor.kick();
    return c.json({ accepted: true, duplicate: !fresh }, 202);
  });
  return app;
}
