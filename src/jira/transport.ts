// Sends one Jira request: authorization, timeout, the connector's limiter, retries with jittered exponential
// backoff for requests that are safe to repeat, 429 waits, one OAuth refresh, and typed errors from Jira's body.
import {
  describeJiraBody,
  JiraAuthenticationError,
  JiraError,
  JiraInvalidJqlError,
  JiraNotFoundError,
  JiraPermissionError,
  JiraRateLimitedError,
  JiraUnavailableError,
  JiraValidationError,
  NotJiraError,
  ReadOnlyViolationError,
} from "./errors.ts";
import type { ConnectorLimiter } from "./limiter.ts";
import { decideOutcome } from "./outcomes.ts";

export interface TransportOptions {
  baseUrl: string;
  /** The Authorization header value; may refresh OAuth tokens that are about to expire. */
  authorization: () => Promise<string>;
  /** Forces an OAuth refresh after a 401; resolves false when there is nothing to refresh with. */
  refresh?: () => Promise<boolean>;
  limiter: ConnectorLimiter;
  timeoutMs?: number;
  /** Retries of a failed idempotent request (5xx, timeouts, network). */
  maxRetries?: number;
  baseDelayMs?: number;
  /** How many 429 waits one request accepts before giving up. */
  maxRateLimitWaits?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Refuse every write before it leaves Tandem (pull-only projects never write to Jira). */
  readOnly?: boolean;
  /** Called after each attempt: used to count calls in tests and the bench. */
  onAttempt?: (info: { method: string; path: string; status: number | null; attempt: number }) => void;
  /** Called when a write starts; the function it returns when it ends (Tandem's echo recognition, src/realtime/echo.ts). */
  onWrite?: (write: { method: string; path: string; body: unknown }) => (() => void) | void;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Defaults: GET/PUT/DELETE idempotent, POST not (searches and bulk fetches say so). */
  idempotent?: boolean;
  /** A JQL search: a 400 means invalid JQL. */
  search?: boolean;
  headers?: Record<string, string>;
}

export interface JiraResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** A Jira issue itself (by id or key), on every REST version and through the OAuth gateway. */
const ISSUE_PATH = /\/rest\/api\/(?:\d+|latest)\/issue\/[^/]+\/?$/;

export class JiraTransport {
  readonly options: Required<Omit<TransportOptions, "refresh" | "onAttempt" | "readOnly" | "onWrite">> & Pick<TransportOptions, "refresh" | "onAttempt" | "readOnly" | "onWrite">;

  constructor(options: TransportOptions) {
    this.options = {
      timeoutMs: 30_000,
      maxRetries: 4,
      baseDelayMs: 500,
      maxRateLimitWaits: 8,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      ...options,
    };
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<JiraResponse<T>> {
    const end = this.options.onWrite && !this.options.readOnly && !isRead(method, path) ? this.options.onWrite({ method, path, body: options.body }) : undefined;
    try {
      return await this.send<T>(method, path, options);
    } finally {
      end?.();
    }
  }

  private async send<T>(method: string, path: string, options: RequestOptions): Promise<JiraResponse<T>> {
    const url = this.url(path, options.query);
    const idempotent = options.idempotent ?? method !== "POST";
    const reads = isRead(method, path);
    if (this.options.readOnly && !reads) throw new ReadOnlyViolationError(`Refused ${method} ${path}: this connection is read-only (a pull-only project never writes to Jira).`);
    // Nothing in Tandem ever deletes a Jira issue: deleting an item only severs its link. Held here, where every
    // request passes, rather than trusted to each caller.
    if (method === "DELETE" && ISSUE_PATH.test(path.split("?")[0]!)) throw new ReadOnlyViolationError(`Refused ${method} ${path}: Tandem never deletes a Jira issue.`);
    let retries = 0;
    let rateLimitWaits = 0;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const release = await this.options.limiter.acquire();
      let response: Response | null = null;
      let networkError: unknown = null;
      try {
        response = await fetch(url, {
          method,
          headers: {
            Accept: "application/json",
            Authorization: await this.options.authorization(),
            ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        networkError = error;
      } finally {
        release();
      }
      this.options.onAttempt?.({ method, path, status: response?.status ?? null, attempt });
      const text = response ? await response.text().catch(() => "") : "";
      const scopeMismatch = response?.status === 401 && /scope does not match/i.test(text);
      const outcome = decideOutcome({
        status: response?.status ?? null,
        idempotent,
        canRefresh: !refreshed && this.options.refresh !== undefined,
        search: options.search ?? false,
        retryAfterHeader: response?.headers.get("retry-after") ?? null,
        scopeMismatch,
        contentType: response?.headers.get("content-type") ?? null,
      });
      switch (outcome.action) {
        case "ok": {
          this.options.limiter.recordSuccess();
          let data: T;
          try {
            data = parseBody<T>(text, response!, url);
          } catch (error) {
            // A cut or garbled answer to a request safe to repeat is asked again, like a 5xx.
            if (!(error instanceof JiraUnavailableError) || !idempotent || retries >= this.options.maxRetries) throw error;
            retries += 1;
            await this.options.sleep(this.backoff(retries));
            continue;
          }
          return { status: response!.status, data, headers: response!.headers };
        }
        case "retry": {
          if (retries >= this.options.maxRetries) throw this.unavailable(method, url, response, text, networkError);
          retries += 1;
          await this.options.sleep(this.backoff(retries));
          continue;
        }
        case "rate-limited": {
          const wait = outcome.retryAfterMs ?? this.backoff(rateLimitWaits + 1);
          this.options.limiter.recordRateLimited(wait);
          if (rateLimitWaits >= this.options.maxRateLimitWaits) {
            throw new JiraRateLimitedError(`Jira kept answering 429 (rate limited) for ${method} ${url}; try again later.`, { status: 429, retryAfterMs: wait });
          }
          rateLimitWaits += 1;
          continue; // the limiter holds every request of the connector until the wait is over
        }
        case "refresh-auth": {
          refreshed = true;
          if (await this.options.refresh!()) continue;
          throw toJiraError("authentication", method, url, response!, text);
        }
        case "fail":
          if (outcome.error === "unavailable") throw this.unavailable(method, url, response, text, networkError);
          throw toJiraError(outcome.error, method, url, response!, text);
      }
    }
  }

  private url(path: string, query: RequestOptions["query"]): string {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
    }
    return url.toString();
  }

  /** Exponential backoff with full jitter: random in [0, base × 2^(n−1)], capped at 30 s. */
  private backoff(attempt: number): number {
    return Math.round(this.options.random() * Math.min(30_000, this.options.baseDelayMs * 2 ** (attempt - 1)));
  }

  private unavailable(method: string, url: string, response: Response | null, text: string, cause: unknown): JiraUnavailableError {
    if (!response) {
      const reason = cause instanceof Error ? (cause.name === "TimeoutError" ? `no answer within ${this.options.timeoutMs} ms` : `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ""}`) : String(cause);
      return new JiraUnavailableError(`Jira could not be reached for ${method} ${url}: ${reason}.`, { cause });
    }
    const body = jiraBody(text);
    return new JiraUnavailableError(`Jira answered ${response.status} for ${method} ${url}${body ? `: ${describeJiraBody(body.errorMessages, body.errors)}` : ""}.`, { status: response.status, jiraMessages: body?.errorMessages, fieldErrors: body?.errors });
  }
}

function parseBody<T>(text: string, response: Response, url: string): T {
  if (response.status === 204 || text === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("json")) throw new NotJiraError(`${url} answered ${type || "a non-JSON body"} where Jira answers JSON: is this a Jira site?`, { status: response.status, cause: error });
    throw new JiraUnavailableError(`Jira's answer to ${url} was cut off or not valid JSON; it will be retried.`, { status: response.status, cause: error });
  }
}

function jiraBody(text: string): { errorMessages: string[]; errors: Record<string, string> } | null {
  try {
    const json = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const errorMessages = Array.isArray(json.errorMessages) ? json.errorMessages.map(String) : typeof json.message === "string" ? [json.message] : [];
    // The bulk operation APIs answer BulkOperationErrorResponse: {"errors":[{"message":...}]}, a list, not a map.
    if (Array.isArray(json.errors)) {
      for (const entry of json.errors) errorMessages.push(entry && typeof entry === "object" && typeof (entry as { message?: unknown }).message === "string" ? (entry as { message: string }).message : JSON.stringify(entry));
      return { errorMessages, errors: {} };
    }
    const errors = json.errors && typeof json.errors === "object" ? (Object.fromEntries(Object.entries(json.errors).map(([key, value]) => [key, String(value)])) as Record<string, string>) : {};
    return { errorMessages, errors };
  } catch {
    return text.trim() ? { errorMessages: [text.trim().slice(0, 300)], errors: {} } : null;
  }
}

function toJiraError(kind: string, method: string, url: string, response: Response, text: string): JiraError {
  const body = jiraBody(text) ?? { errorMessages: [], errors: {} };
  const detail = describeJiraBody(body.errorMessages, body.errors);
  const options = { status: response.status, jiraMessages: body.errorMessages, fieldErrors: body.errors };
  switch (kind) {
    case "authentication":
      return new JiraAuthenticationError(`Jira refused the credentials (401) for ${method} ${url}. Check the email and API token, username and password, or personal access token.`, options);
    case "permission":
      return new JiraPermissionError(`Jira refused ${method} ${url} (${response.status}): the identity lacks permission${detail ? ` — ${detail}` : ""}.`, options);
    case "not-found":
      return new JiraNotFoundError(detail || `Not found: ${method} ${url}.`, options);
    case "invalid-jql":
      return new JiraInvalidJqlError(detail || "Jira refused the JQL.", options);
    case "validation":
      return new JiraValidationError(detail || `Jira refused ${method} ${url} (400).`, options);
    default:
      return new JiraError(`Jira answered ${response.status} for ${method} ${url}${detail ? `: ${detail}` : ""}.`, options);
  }
}

/** Reads are GETs and the POSTs that only read (searches, bulk fetches, counts): everything else is a write. */
function isRead(method: string, path: string): boolean {
  return method === "GET" || (method === "POST" && /\/(search|bulkfetch|approximate-count|search\/jql)(\/|$|\?)/.test(path));
}
