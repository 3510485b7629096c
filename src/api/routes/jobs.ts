// The job view: what is pending, running, done or failed (with the reason), and retrying a failed job. Everyone
// signed in may look; members and admins may retry. Failed webhook deliveries of the inbox are shown here too,
// as jobs of kind "webhook" (id "inbox:<id>"), and retried the same way.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { JOB_STATES, JobNotFoundError, JobNotRetryableError, type Job, type JobQueue } from "../../jobs/queue.ts";
import type { InboxRecord } from "../../store/inbox.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found") };
const security = [{ bearer: [] }];

const JobFilterQuery = z.object({
  state: z.enum(JOB_STATES as [string, ...string[]], { error: `state must be one of ${JOB_STATES.join(", ")}.` }).optional(),
  kind: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A job as the API shows it: with links to itself and, when it made one, to its run. */
export function jobView(job: Job) {
  const runId = (job.result as { runId?: string; run?: { runId?: string } } | null)?.runId ?? (job.result as { run?: { runId?: string } } | null)?.run?.runId;
  return { ...job, links: { self: `/api/v1/jobs/${job.id}`, ...(runId ? { run: `/api/v1/runs/${runId}` } : {}) } };
}

/** The answer of a route started with `background: true`: 202, the job, and where to follow it. */
export function acceptedJob(c: Context, job: Job) {
  c.header("Location", `/api/v1/jobs/${job.id}`);
  return c.json({ job: jobView(job), links: { job: `/api/v1/jobs/${job.id}` } }, 202);
}

export function jobRoutes(store: TandemStore, jobs: JobQueue, onInboxRetry: () => void = () => {}) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(createRoute({ method: "get", path: "/jobs", tags: ["jobs"], security, request: { query: JobFilterQuery }, responses: { 200: json(z.array(z.any()), "Jobs, newest first"), ...errors } }), async (c) => {
    const query = c.req.valid("query");
    const project = query.project ? await store.projects.byId(query.project) : undefined;
    if (query.project && !project) throw new ApiError(400, "unknown_project", `No project '${query.project}'; list them with GET /projects.`);
    const filter = { state: query.state as Job["state"] | undefined, kind: query.kind, projectId: project?.id, limit: query.limit };
    const listed = (await jobs.list(filter)).map(jobView);
    const withInbox = (!filter.kind || filter.kind === "webhook") && (!filter.state || filter.state === "failed") && !project;
    const inbox = withInbox ? (await store.inbox.failed(filter.limit)).map((entry) => jobView(inboxJob(entry))) : [];
    return c.json([...listed, ...inbox].sort((a, b) => b.createdAt - a.createdAt).slice(0, filter.limit), 200);
  });

  app.openapi(createRoute({ method: "get", path: "/jobs/{id}", tags: ["jobs"], security, request: { params: IdParam }, responses: { 200: json(z.any(), "The job"), ...errors } }), async (c) => {
    const id = c.req.valid("param").id;
    if (id.startsWith("inbox:")) {
      const entry = await store.inbox.entry(id.slice("inbox:".length));
      if (!entry) throw notFound(`Job '${id}'`);
      return c.json(jobView(inboxJob(entry)), 200);
    }
    const job = await jobs.get(id);
    if (!job) throw notFound(`Job '${id}'`);
    return c.json(jobView(job), 200);
  });

  app.openapi(createRoute({ method: "post", path: "/jobs/{id}/retry", middleware: [role("member")] as const, tags: ["jobs"], security, request: { params: IdParam }, responses: { 200: json(z.any(), "Back to pending"), 409: json(ErrorSchema, "Not failed"), ...errors } }), async (c) => {
    const id = c.req.valid("param").id;
    if (id.startsWith("inbox:")) {
      const entry = await store.inbox.entry(id.slice("inbox:".length));
      if (!entry) throw notFound(`Job '${id}'`);
      if (entry.status !== "failed") throw new ApiError(409, "job_not_failed", `Job '${id}' is ${inboxState(entry.status)}, not failed: only failed jobs can be retried.`);
      await store.inbox.requeue(entry.id);
      onInboxRetry();
      return c.json(jobView(inboxJob((await store.inbox.entry(entry.id))!)), 200);
    }
    try {
      return c.json(jobView(await jobs.retry(id)), 200);
    } catch (error) {
      if (error instanceof JobNotFoundError) throw notFound(`Job '${id}'`);
      if (error instanceof JobNotRetryableError) throw new ApiError(409, "job_not_failed", error.message);
      throw error;
    }
  });

  return app;
}


const inboxState = (status: string): Job["state"] => (status === "pending" ? "pending" : status === "failed" ? "failed" : "done");

/** A webhook delivery of the inbox, shown as a job (the inbox is the webhook's durable queue). */
function inboxJob(entry: InboxRecord): Job {
  return {
    id: `inbox:${entry.id}`,
    kind: "webhook",
    payload: { event: entry.event, issueId: entry.issueId, identifier: entry.identifier },
    state: inboxState(entry.status),
    connectorId: entry.connectorId,
    projectId: null,
    singletonKey: null,
    attempts: entry.status === "pending" ? 0 : 1,
    maxAttempts: 1,
    runAt: entry.receivedAt,
    lastError: entry.error,
    result: null,
    createdAt: entry.receivedAt,
    startedAt: null,
    finishedAt: entry.processedAt,
  };
}
