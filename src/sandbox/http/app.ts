// The sandbox Jira's HTTP application: gateway rewrite, authentication, limits, the REST APIs, OAuth,
// test controls and the small web page, with Jira's answers to bad input (404/405/413/400) and errors.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import { JiraError } from "../model/jira-error.ts";
import type { SandboxState } from "../model/state.ts";
import type { WebhookDispatcher } from "../webhooks/dispatcher.ts";
import { authMiddleware, GATEWAY_HEADER } from "./auth.ts";
import { oauthRoutes, type OAuthAuthority } from "./oauth.ts";
import type { SandboxEnv } from "./request.ts";
import { agileRoutes } from "./routes/agile.ts";
import { bulkRoutes } from "./routes/bulk.ts";
import { controlRoutes, type RequestStats } from "./routes/controls.ts";
import { issueRoutes } from "./routes/issues.ts";
import { metaRoutes } from "./routes/meta.ts";
import { filterRoutes } from "./routes/filters.ts";
import { searchRoutes } from "./routes/search.ts";
import { adminWebhookRoutes, dynamicWebhookRoutes } from "./routes/webhooks.ts";
import { webPageRoutes } from "./web/page.ts";
import type { LimitsRuntime } from "./limits.ts";
import { limitsMiddlewareFor } from "./limits.ts";

export interface SandboxAppDeps {
  state: SandboxState;
  oauth: OAuthAuthority;
  dispatcher: WebhookDispatcher;
  limits: LimitsRuntime;
  /** The site's own URL (http://127.0.0.1:port), known once listening. */
  siteUrl: () => string;
  /** Largest request body accepted; Jira answers 413 above its limit. */
  maxBodyBytes: number;
}

export interface SandboxApp {
  app: Hono<SandboxEnv>;
  /** Entry point for the HTTP server: applies the OAuth gateway rewrite before routing. */
  fetch: (request: Request) => Response | Promise<Response>;
  stats: RequestStats;
}

const GATEWAY_PATH = /^\/ex\/jira\/([^/]+)(\/.*)$/;

export function createSandboxApp(deps: SandboxAppDeps): SandboxApp {
  const { state } = deps;
  const stats: RequestStats = new Map();
  const app = new Hono<SandboxEnv>();

  app.onError((error, c) => {
    if (error instanceof JiraError) return c.json(error.body(), error.status as 400);
    console.error("sandbox: unexpected error", error);
    return c.json({ errorMessages: ["Internal server error"], errors: {} }, 500);
  });
  app.notFound((c) => c.json({ message: `null for uri: ${c.req.url}`, "status-code": 404 }, 404));
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => c.json({ message: `Method ${c.req.method} is not allowed here; use ${methods.join(", ")}.`, "status-code": 405 }, 405, { Allow: methods.join(", ") }),
  }));

  app.use(async (c, next) => {
    const url = new URL(c.req.url);
    const cloudId = c.req.header(GATEWAY_HEADER);
    c.set("baseUrl", cloudId ? `${deps.siteUrl()}/ex/jira/${cloudId}` : url.origin);
    await next();
    // Counted by route pattern so tests and the bench can assert how many calls a client made.
    const route = `${c.req.method} ${c.req.routePath}`;
    if (!url.pathname.startsWith("/_sandbox")) stats.set(route, (stats.get(route) ?? 0) + 1);
  });
  app.use(
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) => c.json({ errorMessages: [`The request body is larger than the limit of ${deps.maxBodyBytes} bytes. Send a smaller request.`], errors: {} }, 413),
    }),
  );

  app.route("/_sandbox", controlRoutes(state, deps, stats));
  app.route("/", oauthRoutes(state, deps.oauth, deps.siteUrl));
  app.route("/", webPageRoutes(state));

  const auth = authMiddleware(state, deps.oauth);
  app.use("/rest/*", auth);
  app.use("/rest/*", limitsMiddlewareFor(deps.limits));

  for (const version of ["2", "3", "latest"]) {
    const base = `/rest/api/${version}`;
    app.route(base, metaRoutes(state));
    app.route(base, filterRoutes(state));
    app.route(base, issueRoutes(state));
    app.route(base, searchRoutes(state));
    app.route(base, dynamicWebhookRoutes(state));
    // Issue bulk operations are Cloud's alone: on Data Center these paths stay unknown (404 like any other).
    if (state.flavour === "cloud") app.route(base, bulkRoutes(state));
  }
  // jira.js v6 calls the agile API under /rest/software/1.0; Jira serves it under /rest/agile/1.0 too.
  app.route("/rest/agile/1.0", agileRoutes(state));
  app.route("/rest/software/1.0", agileRoutes(state));
  app.route("/rest/webhooks/1.0/webhook", adminWebhookRoutes(state));
  app.route("/rest/jira-webhook/1.0/webhooks", adminWebhookRoutes(state));

  const fetch = (request: Request): Response | Promise<Response> => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete(GATEWAY_HEADER); // only the rewrite below may set it
    const match = GATEWAY_PATH.exec(url.pathname);
    if (match) {
      if (state.flavour !== "cloud" || match[1] !== state.site.cloudId) {
        return Response.json({ code: 404, message: `No Jira site with cloud id '${match[1]}' is available to this token.` }, { status: 404 });
      }
      headers.set(GATEWAY_HEADER, match[1]!);
      url.pathname = match[2]!;
    }
    return app.fetch(new Request(url, { method: request.method, headers, body: request.body, duplex: "half" } as RequestInit));
  };

  return { app, fetch, stats };
}
