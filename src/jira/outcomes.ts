// The one table that decides what an HTTP outcome means: success, retry, wait for the rate limit,
// refresh the authorization, or fail with a typed error. Nothing else in Tandem inspects status codes.

export type Outcome =
  | { action: "ok" }
  | { action: "retry"; reason: string }
  | { action: "rate-limited"; retryAfterMs: number | null }
  | { action: "refresh-auth" }
  | { action: "fail"; error: "authentication" | "authorization-expired" | "permission" | "not-found" | "invalid-jql" | "validation" | "unavailable" | "not-jira" | "client" };

export interface OutcomeInput {
  /** null when the request never got an answer (network error or timeout). */
  status: number | null;
  /** Whether repeating the request is safe (GET, PUT, DELETE, searches, creates guarded by an idempotency mark). */
  idempotent: boolean;
  /** Whether the client can refresh its authorization (OAuth with a refresh token) and has not tried yet. */
  canRefresh: boolean;
  /** Whether this call was a JQL search (a 400 then means bad JQL). */
  search: boolean;
  retryAfterHeader: string | null;
  /** The body said "scope does not match": a 401 that refreshing cannot fix. */
  scopeMismatch: boolean;
  contentType: string | null;
}

/** Statuses Jira documents as transient; repeated only when the request is safe to repeat. */
const TRANSIENT = new Set([408, 409, 425, 500, 502, 503, 504]);

export function decideOutcome(input: OutcomeInput): Outcome {
  const { status } = input;
  if (status === null) return input.idempotent ? { action: "retry", reason: "network" } : { action: "fail", error: "unavailable" };
  if (status >= 200 && status < 300) return { action: "ok" };
  if (status === 429) return { action: "rate-limited", retryAfterMs: parseRetryAfter(input.retryAfterHeader) };
  if (status === 401) {
    if (input.scopeMismatch) return { action: "fail", error: "permission" };
    return input.canRefresh ? { action: "refresh-auth" } : { action: "fail", error: "authentication" };
  }
  if (status === 403) return { action: "fail", error: "permission" };
  if (status === 404) return { action: "fail", error: "not-found" };
  if (status === 400) return { action: "fail", error: input.search ? "invalid-jql" : "validation" };
  if (TRANSIENT.has(status) || status >= 500) return input.idempotent ? { action: "retry", reason: `HTTP ${status}` } : { action: "fail", error: "unavailable" };
  return { action: "fail", error: "client" };
}

/** Retry-After is seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
