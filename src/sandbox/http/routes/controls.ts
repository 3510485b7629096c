// Test controls under /_sandbox: request counts, webhook delivery faults and log, rate limits and faults,
// the clock, OAuth consent and revocation, quirks, the pace of bulk operation tasks. Not part of Jira; tests and the bench drive the sandbox here.
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxState } from "../../model/state.ts";
import { bulkTaskSettings, configureBulkTasks } from "../../ops/bulk-edit.ts";
import type { OAuthAuthority } from "../oauth.ts";
import type { WebhookDispatcher } from "../../webhooks/dispatcher.ts";
import { reconfigureLimits, type LimitsRuntime } from "../limits.ts";

export type RequestStats = Map<string, number>;

interface ControlDeps {
  oauth: OAuthAuthority;
  dispatcher: WebhookDispatcher;
  limits: LimitsRuntime;
}

const webhookControls = z.strictObject({
  dropNext: z.int().min(0).optional(),
  duplicateNext: z.int().min(0).optional(),
  delayMs: z.int().min(0).max(600_000).optional(),
  reorderBatch: z.int().min(0).max(1000).optional(),
  retryDelaysMs: z.array(z.int().min(0)).min(1).optional(),
  maxRetries: z.int().min(0).max(20).optional(),
  timeoutMs: z.int().min(1).optional(),
});
const clockControl = z.strictObject({ advanceMs: z.int().optional(), nowMs: z.int().optional() });
const oauthControl = z.strictObject({
  consentUser: z.string().optional(),
  accessTokenTtlSeconds: z.int().min(1).optional(),
  reuseLeewaySeconds: z.int().min(0).optional(),
  revokeUser: z.string().optional(),
});
const bulkControl = z.strictObject({
  startDelayMs: z.int().min(0).max(600_000).optional(),
  issuesPerStep: z.int().min(1).max(1000).optional(),
  stepDelayMs: z.int().min(0).max(600_000).optional(),
  failNextTask: z.boolean().optional(),
});
const quirksControl = z.strictObject({
  searchIndexLagMs: z.int().min(0).optional(),
  jqlMinutePrecision: z.boolean().optional(),
  changelogExpandLimit: z.int().min(1).nullable().optional(),
  fixVersionSkipsUpdated: z.boolean().optional(),
});

/** Parses a control body; a bad one is a 400 that names each wrong field and what it should be. */
async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let json: unknown;
  try {
    const text = await request.text();
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return { ok: false, error: "The body is not valid JSON." };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ") };
}

export function controlRoutes(state: SandboxState, deps: ControlDeps, stats: RequestStats): Hono {
  const app = new Hono();
  let clockOffset = 0;
  const baseNow = state.now;

  app.get("/health", (c) => c.json({ ok: true, flavour: state.flavour, issues: state.issues.size, projects: state.projects.size }));

  app.get("/stats", (c) => c.json({ requests: Object.fromEntries(stats), total: [...stats.values()].reduce((sum, count) => sum + count, 0) }));
  app.post("/stats/reset", (c) => {
    stats.clear();
    return c.json({ ok: true });
  });

  app.get("/webhooks/deliveries", (c) => c.json({ deliveries: deps.dispatcher.deliveries, controls: deps.dispatcher.controls }));
  app.post("/webhooks/controls", async (c) => {
    const parsed = await parseBody(c.req.raw, webhookControls);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const { retryDelaysMs, maxRetries, timeoutMs, ...controls } = parsed.value;
    Object.assign(deps.dispatcher.controls, controls);
    if (retryDelaysMs) deps.dispatcher.options.retryDelaysMs = retryDelaysMs;
    if (maxRetries !== undefined) deps.dispatcher.options.maxRetries = maxRetries;
    if (timeoutMs !== undefined) deps.dispatcher.options.timeoutMs = timeoutMs;
    return c.json({ controls: deps.dispatcher.controls, options: deps.dispatcher.options });
  });
  app.post("/webhooks/flush", async (c) => {
    await deps.dispatcher.idle();
    return c.json({ ok: true });
  });

  app.get("/limits", (c) => c.json(deps.limits.describe()));
  app.post("/limits", async (c) => {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return c.json({ error: "The body is not valid JSON." }, 400);
    }
    const result = reconfigureLimits(deps.limits, json);
    if (!result.ok) return c.json({ error: result.error }, 400);
    return c.json(deps.limits.describe());
  });

  app.post("/clock", async (c) => {
    const parsed = await parseBody(c.req.raw, clockControl);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    if (parsed.value.nowMs !== undefined) clockOffset = parsed.value.nowMs - baseNow();
    if (parsed.value.advanceMs !== undefined) clockOffset += parsed.value.advanceMs;
    state.now = () => baseNow() + clockOffset;
    return c.json({ now: state.now(), iso: new Date(state.now()).toISOString() });
  });

  app.post("/oauth", async (c) => {
    const parsed = await parseBody(c.req.raw, oauthControl);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const { consentUser, accessTokenTtlSeconds, reuseLeewaySeconds, revokeUser } = parsed.value;
    if (consentUser !== undefined) {
      const user = state.findUser(consentUser);
      if (!user) return c.json({ error: `consentUser: no user '${consentUser}'. Use an email, accountId or username of the sandbox.` }, 400);
      deps.oauth.consentingAccountId = user.accountId;
    }
    if (accessTokenTtlSeconds !== undefined) deps.oauth.options.accessTokenTtlSeconds = accessTokenTtlSeconds;
    if (reuseLeewaySeconds !== undefined) deps.oauth.options.reuseLeewaySeconds = reuseLeewaySeconds;
    if (revokeUser !== undefined) {
      const user = state.findUser(revokeUser);
      if (!user) return c.json({ error: `revokeUser: no user '${revokeUser}'.` }, 400);
      deps.oauth.revokeUser(user.accountId);
    }
    return c.json({ consentingAccountId: deps.oauth.consentingAccountId, accessTokenTtlSeconds: deps.oauth.options.accessTokenTtlSeconds, reuseLeewaySeconds: deps.oauth.options.reuseLeewaySeconds });
  });

  app.get("/quirks", (c) => c.json(state.quirks));
  app.post("/quirks", async (c) => {
    const parsed = await parseBody(c.req.raw, quirksControl);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    state.quirks = { ...state.quirks, ...(Object.fromEntries(Object.entries(parsed.value).filter(([, value]) => value !== undefined)) as Partial<typeof state.quirks>) };
    return c.json(state.quirks);
  });

  // Bulk operation tasks run after the request that queued them; these slow them down so a test can watch them run,
  // or make the next one fail.
  app.get("/bulk", (c) => c.json(bulkTaskSettings(state)));
  app.post("/bulk", async (c) => {
    const parsed = await parseBody(c.req.raw, bulkControl);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    return c.json(configureBulkTasks(state, parsed.value));
  });

  return app;
}
