// Webhook registration: admin webhooks (/rest/webhooks/1.0/webhook, also DC's /rest/jira-webhook/1.0/webhooks)
// and Cloud's dynamic webhooks for OAuth apps (/rest/api/{2,3}/webhook) with their 30-day expiry and refresh.
import { Hono } from "hono";
import { JqlError, parseJql } from "../../jql/index.ts";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Webhook, WebhookEventName } from "../../model/types.ts";
import { intParam, readObject, type SandboxContext, type SandboxEnv } from "../request.ts";

const ADMIN_EVENTS: readonly string[] = [
  "jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
  "comment_created", "comment_updated", "comment_deleted",
  "attachment_created", "attachment_deleted", "issuelink_created", "issuelink_deleted",
  "worklog_created", "worklog_updated", "worklog_deleted", "issue_property_set", "issue_property_deleted",
];
const DYNAMIC_EVENTS: readonly string[] = [
  "jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted", "issue_property_set", "issue_property_deleted",
];
const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

function validJql(jql: string): string | null {
  if (jql.trim() === "") return null;
  try {
    parseJql(jql);
    return null;
  } catch (error) {
    return error instanceof JqlError ? error.messages.join(" ") : String(error);
  }
}

function validUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value.replaceAll(/\$\{[^}]+\}/g, "x"));
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Admin webhooks: need the Jira administrator permission; never expire; optional secret. */
export function adminWebhookRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const requireAdmin = (c: SandboxContext) => {
    if (!state.userByAccountId(c.get("viewerId"))?.admin) throw new JiraError(403, ["Only Jira administrators can manage webhooks."]);
  };
  const render = (c: SandboxContext, webhook: Webhook) => {
    const owner = state.userByAccountId(webhook.ownerAccountId);
    return {
      name: webhook.name,
      url: webhook.url,
      excludeBody: false,
      filters: { "issue-related-events-section": webhook.jqlFilter },
      events: webhook.events,
      enabled: webhook.enabled,
      self: `${c.get("baseUrl")}/rest/webhooks/1.0/webhook/${webhook.id}`,
      lastUpdatedUser: owner?.accountId ?? "",
      lastUpdatedDisplayName: owner?.displayName ?? "",
      lastUpdated: webhook.updated,
      isSigned: webhook.secret !== null,
    };
  };
  const parse = async (c: SandboxContext, existing?: Webhook) => {
    const body = await readObject(c);
    const errors: Record<string, string> = {};
    if (typeof body.name !== "string" || body.name.trim() === "") errors.name = "A webhook needs a name.";
    if (!validUrl(body.url)) errors.url = "The URL must be an absolute http(s) URL.";
    const events = Array.isArray(body.events) ? body.events.map(String) : [];
    if (events.length === 0) errors.events = "List at least one event, for example jira:issue_updated.";
    const unknown = events.filter((event) => !ADMIN_EVENTS.includes(event));
    if (unknown.length) errors.events = `Unknown event(s): ${unknown.join(", ")}. Known events: ${ADMIN_EVENTS.join(", ")}.`;
    const filters = (body.filters ?? {}) as Record<string, unknown>;
    const jql = typeof filters["issue-related-events-section"] === "string" ? (filters["issue-related-events-section"] as string) : "";
    const jqlError = validJql(jql);
    if (jqlError) errors.filters = jqlError;
    if (body.secret !== undefined && body.secret !== null && typeof body.secret !== "string") errors.secret = "The secret must be a string.";
    if (Object.keys(errors).length) throw new JiraError(400, [], errors);
    const now = state.now();
    const webhook: Webhook = {
      id: existing?.id ?? state.nextId("webhook", 1),
      kind: "admin",
      name: String(body.name),
      url: String(body.url),
      events: events as WebhookEventName[],
      jqlFilter: jql,
      secret: typeof body.secret === "string" && body.secret !== "" ? body.secret : (existing?.secret ?? null),
      enabled: body.enabled === undefined ? (existing?.enabled ?? true) : body.enabled !== false,
      ownerAccountId: c.get("viewerId"),
      expiresAt: null,
      fieldIdsFilter: [],
      created: existing?.created ?? now,
      updated: now,
    };
    state.webhooks.set(webhook.id, webhook);
    return webhook;
  };
  const find = (id: string) => {
    const webhook = state.webhooks.get(Number(id));
    if (!webhook || webhook.kind !== "admin") throw new JiraError(404, [`Webhook with id '${id}' does not exist.`]);
    return webhook;
  };

  app.get("/", (c) => {
    requireAdmin(c);
    return c.json([...state.webhooks.values()].filter((webhook) => webhook.kind === "admin").map((webhook) => render(c, webhook)));
  });
  app.post("/", async (c) => {
    requireAdmin(c);
    return c.json(render(c, await parse(c)), 201);
  });
  app.get("/:id", (c) => {
    requireAdmin(c);
    return c.json(render(c, find(c.req.param("id"))));
  });
  app.put("/:id", async (c) => {
    requireAdmin(c);
    return c.json(render(c, await parse(c, find(c.req.param("id")))));
  });
  app.delete("/:id", (c) => {
    requireAdmin(c);
    state.webhooks.delete(find(c.req.param("id")).id);
    return c.body(null, 204);
  });
  return app;
}

/** Dynamic webhooks: OAuth apps only (403 otherwise), expire after 30 days, refreshed with PUT /webhook/refresh. */
export function dynamicWebhookRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const requireApp = (c: SandboxContext) => {
    if (state.flavour !== "cloud") throw new JiraError(404, ["null for uri: dynamic webhooks do not exist on Jira Data Center"]);
    if (c.get("oauthScopes") === null) throw new JiraError(403, ["Only Connect and OAuth 2.0 apps can use this operation."]);
  };
  const own = (c: SandboxContext) => [...state.webhooks.values()].filter((webhook) => webhook.kind === "dynamic" && webhook.ownerAccountId === c.get("viewerId"));

  app.post("/webhook", async (c) => {
    requireApp(c);
    const body = await readObject(c);
    if (!validUrl(body.url)) throw new JiraError(400, [], { url: "The URL must be an absolute http(s) URL." });
    const existingUrl = own(c)[0]?.url;
    if (existingUrl && existingUrl !== body.url) throw new JiraError(400, ["Only a single URL per app is allowed to be registered."]);
    const requested = Array.isArray(body.webhooks) ? body.webhooks : null;
    if (!requested || requested.length === 0) throw new JiraError(400, [], { webhooks: "List at least one webhook with events and a jqlFilter." });
    const now = state.now();
    const results = requested.map((raw) => {
      const item = (raw ?? {}) as { events?: unknown; jqlFilter?: unknown; fieldIdsFilter?: unknown };
      const events = Array.isArray(item.events) ? item.events.map(String) : [];
      const errors: string[] = [];
      if (events.length === 0) errors.push("The webhook must have at least one event.");
      const unknown = events.filter((event) => !DYNAMIC_EVENTS.includes(event));
      if (unknown.length) errors.push(`Events not supported for dynamic webhooks: ${unknown.join(", ")}.`);
      if (typeof item.jqlFilter !== "string" || item.jqlFilter.trim() === "") errors.push("The jqlFilter is required.");
      else {
        const jqlError = validJql(item.jqlFilter);
        if (jqlError) errors.push(jqlError);
      }
      if (own(c).length >= 5 && errors.length === 0) errors.push("An OAuth 2.0 app can register at most 5 webhooks per user.");
      if (errors.length) return { errors };
      const webhook: Webhook = {
        id: state.nextId("webhook", 1),
        kind: "dynamic",
        name: "dynamic",
        url: String(body.url),
        events: events as WebhookEventName[],
        jqlFilter: String(item.jqlFilter),
        secret: null,
        enabled: true,
        ownerAccountId: c.get("viewerId"),
        expiresAt: now + THIRTY_DAYS_MS,
        fieldIdsFilter: Array.isArray(item.fieldIdsFilter) ? item.fieldIdsFilter.map(String) : [],
        created: now,
        updated: now,
      };
      state.webhooks.set(webhook.id, webhook);
      return { createdWebhookId: webhook.id };
    });
    return c.json({ webhookRegistrationResult: results });
  });

  app.get("/webhook", (c) => {
    requireApp(c);
    const all = own(c);
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 100, 1), 100);
    const values = all.slice(startAt, startAt + maxResults).map((webhook) => ({
      id: webhook.id,
      jqlFilter: webhook.jqlFilter,
      ...(webhook.fieldIdsFilter.length ? { fieldIdsFilter: webhook.fieldIdsFilter } : {}),
      events: webhook.events,
      expirationDate: webhook.expiresAt ?? 0,
    }));
    return c.json({ maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values });
  });

  app.delete("/webhook", async (c) => {
    requireApp(c);
    const body = await readObject(c);
    if (!Array.isArray(body.webhookIds)) throw new JiraError(400, [], { webhookIds: "List the webhook ids to delete." });
    const mine = new Set(own(c).map((webhook) => webhook.id));
    // Ids of other apps or users are ignored, as Jira does.
    for (const id of body.webhookIds.map(Number)) if (mine.has(id)) state.webhooks.delete(id);
    return c.body(null, 202);
  });

  app.put("/webhook/refresh", async (c) => {
    requireApp(c);
    const body = await readObject(c);
    if (!Array.isArray(body.webhookIds)) throw new JiraError(400, [], { webhookIds: "List the webhook ids to refresh." });
    const expiresAt = state.now() + THIRTY_DAYS_MS;
    const mine = new Map(own(c).map((webhook) => [webhook.id, webhook]));
    for (const id of body.webhookIds.map(Number)) {
      const webhook = mine.get(id);
      if (webhook) webhook.expiresAt = expiresAt;
    }
    return c.json({ expirationDate: expiresAt });
  });

  return app;
}
