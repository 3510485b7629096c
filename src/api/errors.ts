// One error body for the whole API: { error: { code, message, details? } }, produced here and nowhere else.
import type { Context } from "hono";
import { JiraError } from "../jira/errors.ts";

export class ApiError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 502;
  readonly code: string;
  readonly details: unknown;
  constructor(status: ApiError["status"], code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function sendError(c: Context, error: unknown) {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  // Jira failing (unreachable, 5xx after retries, rate limited, a cut answer) is not Tandem's bug: the caller gets
  // Jira's reason and can retry, rather than a generic 500.
  if (error instanceof JiraError) {
    const transient = error.code === "jira_unavailable" || error.code === "jira_rate_limited";
    return c.json(errorBody(error.code, transient && !/retried|try again/i.test(error.message) ? `${error.message} Try again in a moment.` : error.message), 502);
  }
  console.error("tandem api: unexpected error", error instanceof Error ? error.stack : error);
  return c.json(errorBody("internal", "Something went wrong on the server; the error is in its log."), 500);
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} does not exist.`);
