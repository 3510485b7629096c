// Tandem's HTTP API under /api/v1: authentication, role checks, one error shape, and the OpenAPI document
// generated from the same schemas that validate requests.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { TandemStore } from "../store/store.ts";
import { authenticate, type ApiEnv } from "./auth.ts";
import { errorBody, invalidRequest, sendError } from "./errors.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { jiraBrowseRoutes } from "./routes/jira-browse.ts";
import { projectRoutes } from "./routes/projects.ts";
import { retentionRoutes } from "./routes/retention.ts";
import { jiraSyncRoutes } from "./routes/jira-sync.ts";
import { hierarchyRoutes } from "./routes/hierarchy.ts";
import { reportRoutes } from "./routes/reports.ts";
import { sessionRoutes } from "./routes/session.ts";
import { mappingCheckRoutes } from "./routes/mappings-check.ts";
import { webhookToolRoutes } from "./routes/webhook-tools.ts";
import { peopleMatchRoutes } from "./routes/people-matches.ts";
import { oauthSiteRoutes } from "./routes/oauth-sites.ts";

export interface ApiDeps {
  store: TandemStore;
  /** Tandem's own URL as browsers reach it (for OAuth redirects). */
  publicUrl: () => string;
  /** Called when a project's catch-up schedule may have changed. */
  onScheduleChange?: () => Promise<void>;
  /** The job queue: background runs, catch-ups, and the job view. */
  jobs: JobQueue;
  /** Called after a failed webhook delivery is put back in the inbox. */
  onInboxRetry?: () => void;
}

export function createApi(deps: ApiDeps) {
  const api = new OpenAPIHono<ApiEnv>({
    // A request that fails its schema: 400 naming each wrong field and what it should be.
    defaultHook: (result, c) => {
      if (!result.success) return c.json(invalidRequest(result.error.issues), 400);
    },
  });
  api.onError((error, c) => {
    // Malformed JSON bodies surface as HTTPException 400 from the validator.
    if (error instanceof HTTPException && error.status === 400) {
      return c.json(errorBody("invalid_json", "The body is not valid JSON. Send a JSON object with Content-Type: application/json."), 400);
    }
    return sendError(c, error);
  });
  api.notFound((c) => c.json(errorBody("not_found", `No API route ${c.req.method} ${c.req.path}. The routes are listed in /api/v1/openapi.json.`), 404));
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API token (tandem login or POST /tokens) or a session token" });

  api.use("/api/v1/*", authenticate(deps.store));
  api.get("/api/v1/health", (c) => c.json({ ok: true }));
  api.route("/api/v1", sessionRoutes(deps.store));
  api.route("/api/v1", connectorRoutes(deps.store, deps.publicUrl, deps.onScheduleChange));
  api.route("/api/v1", projectRoutes(deps.store, deps.publicUrl, deps.onScheduleChange, deps.jobs));
  api.route("/api/v1", jobRoutes(deps.store, deps.jobs, deps.onInboxRetry));
  api.route("/api/v1", retentionRoutes(deps.store, deps.publicUrl));
  api.route("/api/v1", jiraSyncRoutes(deps.store, deps.publicUrl, deps.jobs));
  api.route("/api/v1", hierarchyRoutes(deps.store));
  api.route("/api/v1", reportRoutes(deps.store));
  api.route("/api/v1", mappingCheckRoutes(deps.store, deps.publicUrl));
  api.route("/api/v1", webhookToolRoutes(deps.store, deps.publicUrl));
  api.route("/api/v1", peopleMatchRoutes(deps.store));
  api.route("/api/v1", oauthSiteRoutes(deps.store));
  api.route("/api/v1", jiraBrowseRoutes(deps.store));
  api.doc("/api/v1/openapi.json", { openapi: "3.0.3", info: { title: "Tandem API", version: "1", description: "Tandem keeps your work items and Jira issues aligned." } });
  return api;
}
