// Typed Jira errors. Each keeps Jira's own messages and says what a person can do about it.

/** What kind of failure: configuration (a person must fix something), transient (retry later), system (a bug). */
export type FailureKind = "configuration" | "transient" | "system";

export class JiraError extends Error {
  readonly code: string = "jira_error";
  readonly kind: FailureKind = "system";
  /** HTTP status when Jira answered; null for network failures. */
  readonly status: number | null;
  /** Jira's errorMessages, kept verbatim. */
  readonly jiraMessages: string[];
  /** Jira's per-field errors, kept verbatim. */
  readonly fieldErrors: Record<string, string>;

  constructor(message: string, options: { status?: number | null; jiraMessages?: string[]; fieldErrors?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? null;
    this.jiraMessages = options.jiraMessages ?? [];
    this.fieldErrors = options.fieldErrors ?? {};
  }
}

/** 401: the credentials are wrong (bad token, wrong password, revoked PAT). */
export class JiraAuthenticationError extends JiraError {
  override readonly code = "jira_authentication";
  override readonly kind = "configuration";
}

/** OAuth authorization expired or was revoked: the person must authorize again. */
export class JiraAuthorizationExpiredError extends JiraError {
  override readonly code = "jira_authorization_expired";
  override readonly kind = "configuration";
}

/** 403, or a scope mismatch: the identity may not do this. */
export class JiraPermissionError extends JiraError {
  override readonly code = "jira_permission";
  override readonly kind = "configuration";
}

/** 404: missing, or (for issues) not visible to this identity — Jira does not say which. */
export class JiraNotFoundError extends JiraError {
  override readonly code = "jira_not_found";
  override readonly kind = "configuration";
}

/** 400 on a search: the JQL is invalid; Jira's message names the problem. */
export class JiraInvalidJqlError extends JiraError {
  override readonly code = "jira_invalid_jql";
  override readonly kind = "configuration";
}

/** 400 on a write: per-field errors in `fieldErrors`. */
export class JiraValidationError extends JiraError {
  override readonly code = "jira_validation";
  override readonly kind = "configuration";
}

/** 429 after the client's own waiting gave up. */
export class JiraRateLimitedError extends JiraError {
  override readonly code = "jira_rate_limited";
  override readonly kind = "transient";
  readonly retryAfterMs: number | null;
  constructor(message: string, options: ConstructorParameters<typeof JiraError>[1] & { retryAfterMs?: number | null } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** 5xx, timeouts, unreachable host, or a body that is not Jira's JSON. */
export class JiraUnavailableError extends JiraError {
  override readonly code = "jira_unavailable";
  override readonly kind = "transient";
}

/** The URL answers, but not as Jira (no serverInfo, HTML where JSON was expected). */
export class NotJiraError extends JiraError {
  override readonly code = "not_jira";
  override readonly kind = "configuration";
}

/** The operation does not exist on this Jira (bulk edit on Data Center): a caller's bug; do it one issue at a time. */
export class JiraUnsupportedError extends JiraError {
  override readonly code = "jira_unsupported";
  override readonly kind = "system";
}

/** A bulk operation task had not finished when Tandem stopped waiting: poll `taskId` again later. */
export class JiraBulkTaskPendingError extends JiraError {
  override readonly code = "jira_bulk_task_pending";
  override readonly kind = "transient";
  readonly taskId: string;
  constructor(message: string, options: ConstructorParameters<typeof JiraError>[1] & { taskId: string }) {
    super(message, options);
    this.taskId = options.taskId;
  }
}

/** Jira's messages as one readable line: errorMessages first, then field errors as `field: message`. */
export function describeJiraBody(messages: string[], fields: Record<string, string>): string {
  return [...messages, ...Object.entries(fields).map(([field, message]) => `${field}: ${message}`)].join(" ");
}

/** A write attempted through a read-only connection (a pull-only project): a bug to fix, never sent to Jira. */
export class ReadOnlyViolationError extends JiraError {
  override readonly code = "read_only_violation";
  override readonly kind = "system";
}
