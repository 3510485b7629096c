// Reports on a project's synced Jira data: effort, CapEx, roll-ups and capacity as JSON or CSV, and the report
// settings (calendar, CapEx rule, story points field, capacities). Everyone signed in reads; members change settings.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { UnknownFieldError } from "../../insights/fetch.ts";
import { REPORT_KINDS, type ReportKind } from "../../insights/reports.ts";
import { RollupPushRefused } from "../../insights/push.ts";
import { NotConnectedForReports, projectReport, pushProjectRollup } from "../../insights/service.ts";
import { ReportSettingsSchema } from "../../insights/settings.ts";
import { reportTable, toCsv } from "../../insights/table.ts";
import { WindowError } from "../../insights/window.ts";
import { JiraError } from "../../jira/errors.ts";
import type { TandemStore } from "../../store/store.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found"), 502: json(ErrorSchema, "Jira refused or failed") };
const security = [{ bearer: [] }];

const ReportQuery = z.object({
  from: z.string().optional().openapi({ description: "Start: YYYY-MM-DD (in the calendar's zone) or an ISO date-time; default 90 days before `to`" }),
  to: z.string().optional().openapi({ description: "End: YYYY-MM-DD (the whole day) or an ISO date-time; default now" }),
  epic: z.string().optional().openapi({ description: "rollup: the epic whose burn-up to show (default: the largest)" }),
  refresh: z.enum(["true", "false"]).optional().openapi({ description: "Fetch from Jira first even if the stored data is fresh" }),
  format: z.enum(["json", "csv"]).optional(),
});

/** Errors of the insights layer as the API's 400s and 502s. */
function asApiError(error: unknown): unknown {
  if (error instanceof WindowError) return new ApiError(400, "invalid_window", error.message);
  if (error instanceof UnknownFieldError) return new ApiError(400, "unknown_field", `${error.message} Fix it with PUT /projects/{id}/reports/settings.`);
  if (error instanceof RollupPushRefused) return new ApiError(400, "rollup_push_refused", error.message);
  if (error instanceof NotConnectedForReports) return new ApiError(400, "not_connected", error.message);
  if (error instanceof JiraError) return new ApiError(502, "jira_error", `Jira refused the report's read: ${error.message}`);
  return error;
}

export function reportRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/reports/settings", tags: ["reports"], security, request: { params: IdParam }, responses: { 200: json(ReportSettingsSchema, "The report settings (defaults until saved)"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    return c.json(await store.insights.settings(target.id), 200);
  });

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/reports/settings", middleware: [role("member")] as const, tags: ["reports"], security, request: { params: IdParam, body: { content: { "application/json": { schema: ReportSettingsSchema } }, required: true } }, responses: { 200: json(ReportSettingsSchema, "Saved"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const settings = c.req.valid("json");
    await store.insights.saveSettings(target.id, settings);
    return c.json(settings, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/reports/rollup/push", middleware: [role("member")] as const, tags: ["reports"], security, request: { params: IdParam }, responses: { 200: json(z.any(), "What was written, left unchanged, or failed per issue"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    try {
      return c.json(await pushProjectRollup(store, target), 200);
    } catch (error) {
      throw asApiError(error);
    }
  });

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/reports/{kind}", tags: ["reports"], security, request: { params: IdParam.extend({ kind: z.string().openapi({ description: REPORT_KINDS.join(" | ") }) }), query: ReportQuery }, responses: { 200: { content: { "application/json": { schema: z.any() }, "text/csv": { schema: z.string() } }, description: "The report" }, ...errors } }), async (c) => {
    const { id, kind } = c.req.valid("param");
    if (!(REPORT_KINDS as readonly string[]).includes(kind)) throw new ApiError(400, "unknown_report", `There is no '${kind}' report: use one of ${REPORT_KINDS.join(", ")}.`);
    const query = c.req.valid("query");
    const target = await project(id);
    let report;
    try {
      report = await projectReport(store, target, kind as ReportKind, { from: query.from, to: query.to, epic: query.epic, refresh: query.refresh === "true" });
    } catch (error) {
      throw asApiError(error);
    }
    if (query.format === "csv") {
      return c.body(toCsv(reportTable(kind as ReportKind, report)), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${target.key}-${kind}.csv"` });
    }
    return c.json(report as Record<string, unknown>, 200);
  });

  return app;
}
