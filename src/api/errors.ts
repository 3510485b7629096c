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

/** One failed check of a request's schema, as zod reports it. */
interface SchemaIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * The 400 for a request that fails its schema. `details` names each field by its path (`credentials.email`) with
 * zod's message; the message says the same for a person when `names` knows the fields ("Email: not a valid email
 * address — …"), and by path otherwise.
 */
export function invalidRequest(issues: readonly SchemaIssue[], names?: Record<string, string>) {
  const details = issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(body)";
    const label = names?.[field];
    return { field, ...(label ? { label } : {}), message: issue.message };
  });
  if (!names) return errorBody("invalid_request", `The request is not valid: ${details.map((detail) => `${detail.field}: ${detail.message}`).join("; ")}`, details);
  const said = issues.map((issue, index) => {
    const detail = details[index]!;
    // zod's generic wording, said as a person would: a field left out or empty is "missing", an enum lists its choices.
    const choices = /^Invalid option: expected one of (.*)$/.exec(issue.message)?.[1];
    const text = /received undefined$|^Too small: expected string to have >=1 characters$/.test(issue.message)
      ? "missing"
      : choices
        ? `choose one of ${choices.replaceAll('"', "").split("|").join(", ")}`
        : issue.message;
    return detail.label ? `${detail.label}: ${text}` : detail.field === "(body)" ? text : `${detail.field}: ${text}`;
  });
  return errorBody("invalid_request", `${said.join("; ")}.`.replace(/\.\.$/, "."), details);
}
