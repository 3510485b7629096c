// Jira Cloud-style rate limiting as pure token buckets with an injected clock, so tests never sleep.
// Three independent limits, as Jira has: a per-caller burst, per-endpoint-class limits, and per-issue writes.
// An optional tenant-wide quota stands in for the points-based hourly quota.

export type RateLimitReason = "jira-burst-based" | "jira-per-issue-on-write" | "jira-quota-tenant-based";

export const RATE_LIMIT_REASONS: readonly RateLimitReason[] = ["jira-burst-based", "jira-per-issue-on-write", "jira-quota-tenant-based"];

export interface EndpointClassLimit {
  /** Tokens this class takes from the caller's burst bucket per request (default 1); search is costlier in Jira. */
  cost?: number;
  /** A separate bucket per caller for this class; active when set. */
  perSecond?: number;
  /** Size of that bucket (default: perSecond rounded up, at least 1). */
  capacity?: number;
}

export interface RateLimitOptions {
  /** false switches every limit off without forgetting the numbers. Default true. */
  enabled?: boolean;
  /** Refill rate of each caller's bucket for all requests; no burst limit when unset. */
  burstPerSecond?: number;
  /** Size of each caller's burst bucket (default: burstPerSecond rounded up, at least 1). */
  burstCapacity?: number;
  /** Keyed by the class `classify` returns: "search", "bulk", "write" or "read" by default. */
  endpointClasses?: Record<string, EndpointClassLimit>;
  /** Refill rate of each issue's write bucket, shared by all callers; no per-issue limit when unset. */
  perIssueWritesPerSecond?: number;
  /** Size of each issue's write bucket (default: perIssueWritesPerSecond rounded up, at least 1). */
  perIssueWriteBurst?: number;
  /** Points per clock hour for the whole site (reads cost their class cost, writes only the base cost of 1). */
  quotaPerHour?: number;
  /** Overrides the default endpoint classification. */
  classify?: (method: string, path: string) => string;
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
}

export interface RateLimitRequest {
  /** Who is calling: an account id or credential id. */
  principal: string;
  method: string;
  path: string;
  /** The issue a write targets; derived from the path when omitted. */
  issueKey?: string;
}

export type RateLimitHeaders = Record<string, string>;

export interface RateLimitBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export type RateLimitDecision =
  | { allowed: true; headers: RateLimitHeaders }
  | { allowed: false; status: 429; retryAfterSeconds: number; reason: RateLimitReason; headers: RateLimitHeaders; body: RateLimitBody };

export interface RateLimitStats {
  allowed: number;
  limited: number;
  byReason: Record<RateLimitReason, number>;
}

export interface RateLimiter {
  check(request: RateLimitRequest): RateLimitDecision;
  /** Replaces the options (keeping the clock unless a new one is given) and starts with full buckets. */
  reconfigure(options: RateLimitOptions): void;
  /** Full buckets and zeroed stats. */
  reset(): void;
  stats(): RateLimitStats;
  /** The current options without functions, for the test-control endpoint. */
  describe(): Omit<RateLimitOptions, "now" | "classify"> & { active: boolean };
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Floating-point refill (e.g. 0.1 s × 10/s) must not leave a bucket 1e-16 short of a whole token.
const EPSILON = 1e-9;
const HOUR_MS = 3_600_000;
// Jira sets X-RateLimit-NearLimit when less than 20% of the budget is left.
const NEAR_LIMIT_FRACTION = 0.2;

export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/** Default endpoint classes: search and bulk calls are the expensive ones in Jira. */
export function classifyEndpoint(method: string, path: string): string {
  if (/\/search(\/|$)/.test(path)) return "search";
  if (/\/bulk(\/|$)/.test(path)) return "bulk";
  return isWriteMethod(method) ? "write" : "read";
}

/** The issue key or id in `/rest/api/{2|3}/issue/{key}...` or `/rest/agile/1.0/issue/{key}...`, upper-cased. */
export function issueKeyFromPath(path: string): string | undefined {
  const match = /^\/rest\/(?:api\/[23]|agile\/1\.0)\/issue\/([^/?#]+)/.exec(path);
  const segment = match?.[1];
  // Only real keys (ABC-12) or ids (10001): `/issue/bulk`, `/issue/createmeta` and the like are not issues.
  if (!segment || !/^(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/.test(segment)) return undefined;
  return segment.toUpperCase();
}

/** Jira's X-RateLimit-Reset format, `yyyy-MM-ddTHH:mmZ`, rounded up so it is never earlier than the real reset. */
export function formatReset(ms: number): string {
  const minute = Math.ceil(ms / 60_000) * 60_000;
  return new Date(minute).toISOString().slice(0, 16) + "Z";
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

interface BucketSpec {
  key: string;
  capacity: number;
  perSecond: number;
  cost: number;
  reason: RateLimitReason;
  /** Words for the error message: what is being limited. */
  subject: string;
}

interface Evaluation {
  spec: BucketSpec;
  bucket: Bucket;
  /** Milliseconds until the bucket holds `cost` tokens; 0 when it already does. */
  waitMs: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  let current = validated(options);
  let now = options.now ?? Date.now;
  let buckets = new Map<string, Bucket>();
  let quota = { window: -1, used: 0 };
  let counts = emptyStats();

  function bucketSpecs(request: RateLimitRequest): BucketSpec[] {
    const method = request.method.toUpperCase();
    const cls = (current.classify ?? classifyEndpoint)(method, request.path);
    const classLimit = current.endpointClasses?.[cls];
    const specs: BucketSpec[] = [];
    if (current.burstPerSecond !== undefined) {
      const capacity = current.burstCapacity ?? defaultCapacity(current.burstPerSecond);
      specs.push({
        key: `burst\u0000${request.principal}`,
        capacity,
        perSecond: current.burstPerSecond,
        // A cost above the bucket size could never be paid; cap it so such calls are slow, not impossible.
        cost: Math.min(classLimit?.cost ?? 1, capacity),
        reason: "jira-burst-based",
        subject: "requests from this user",
      });
    }
    if (classLimit?.perSecond !== undefined) {
      specs.push({
        key: `class\u0000${cls}\u0000${request.principal}`,
        capacity: classLimit.capacity ?? defaultCapacity(classLimit.perSecond),
        perSecond: classLimit.perSecond,
        cost: 1,
        reason: "jira-burst-based",
        subject: `${cls} requests from this user`,
      });
    }
    const issueKey = request.issueKey ?? issueKeyFromPath(request.path);
    if (current.perIssueWritesPerSecond !== undefined && issueKey && WRITE_METHODS.has(method)) {
      specs.push({
        key: `issue\u0000${issueKey.toUpperCase()}`,
        capacity: current.perIssueWriteBurst ?? defaultCapacity(current.perIssueWritesPerSecond),
        perSecond: current.perIssueWritesPerSecond,
        cost: 1,
        reason: "jira-per-issue-on-write",
        subject: `writes to issue ${issueKey.toUpperCase()}`,
      });
    }
    return specs;
  }

  function evaluate(spec: BucketSpec, at: number): Evaluation {
    const stored = buckets.get(spec.key);
    let bucket: Bucket;
    if (!stored) {
      bucket = { tokens: spec.capacity, updatedAt: at };
    } else {
      // A clock moved backwards (the sandbox clock can be set) refills nothing and restarts from the new time.
      const elapsedMs = Math.max(0, at - stored.updatedAt);
      bucket = { tokens: Math.min(spec.capacity, stored.tokens + (elapsedMs / 1000) * spec.perSecond), updatedAt: at };
    }
    const shortfall = spec.cost - bucket.tokens;
    const waitMs = shortfall > EPSILON ? (shortfall / spec.perSecond) * 1000 : 0;
    return { spec, bucket, waitMs };
  }

  function check(request: RateLimitRequest): RateLimitDecision {
    if (!isActive(current)) {
      counts.allowed++;
      return { allowed: true, headers: {} };
    }
    const at = now();
    const evaluations = bucketSpecs(request).map((spec) => evaluate(spec, at));
    for (const e of evaluations) buckets.set(e.spec.key, e.bucket);

    const isWrite = isWriteMethod(request.method);
    const cls = (current.classify ?? classifyEndpoint)(request.method.toUpperCase(), request.path);
    const quotaCost = isWrite ? 1 : (current.endpointClasses?.[cls]?.cost ?? 1);
    const window = Math.floor(at / HOUR_MS);
    if (quota.window !== window) quota = { window, used: 0 };

    // The limit that needs the longest wait decides the answer, so Retry-After is enough for every limit.
    let worst: { waitMs: number; reason: RateLimitReason; limit: number; subject: string } | undefined;
    for (const e of evaluations) {
      if (e.waitMs > 0 && (!worst || e.waitMs > worst.waitMs)) worst = { waitMs: e.waitMs, reason: e.spec.reason, limit: e.spec.capacity, subject: e.spec.subject };
    }
    if (current.quotaPerHour !== undefined && quota.used + quotaCost > current.quotaPerHour + EPSILON) {
      const waitMs = (window + 1) * HOUR_MS - at;
      if (!worst || waitMs > worst.waitMs) worst = { waitMs, reason: "jira-quota-tenant-based", limit: current.quotaPerHour, subject: "requests to this site this hour" };
    }

    if (worst) {
      counts.limited++;
      counts.byReason[worst.reason]++;
      const retryAfterSeconds = Math.max(1, Math.ceil(worst.waitMs / 1000 - EPSILON));
      const headers: RateLimitHeaders = {
        "Retry-After": String(retryAfterSeconds),
        "X-RateLimit-Limit": String(worst.limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": formatReset(at + retryAfterSeconds * 1000),
        "X-RateLimit-NearLimit": "true",
        "RateLimit-Reason": worst.reason,
      };
      const body: RateLimitBody = {
        errorMessages: [`Rate limit exceeded for ${worst.subject} (${worst.reason}). Retry after ${retryAfterSeconds} second(s).`],
        errors: {},
      };
      return { allowed: false, status: 429, retryAfterSeconds, reason: worst.reason, headers, body };
    }

    // Allowed: take the tokens, then describe the tightest limit this request touched.
    counts.allowed++;
    quota.used += quotaCost;
    let tightest: { limit: number; remaining: number; resetAt: number } | undefined;
    for (const e of evaluations) {
      e.bucket.tokens -= e.spec.cost;
      const remaining = Math.max(0, Math.floor(e.bucket.tokens + EPSILON));
      const resetAt = at + ((e.spec.capacity - e.bucket.tokens) / e.spec.perSecond) * 1000;
      if (!tightest || remaining / e.spec.capacity < tightest.remaining / tightest.limit) tightest = { limit: e.spec.capacity, remaining, resetAt };
    }
    if (current.quotaPerHour !== undefined) {
      const remaining = Math.max(0, Math.floor(current.quotaPerHour - quota.used + EPSILON));
      if (!tightest || remaining / current.quotaPerHour < tightest.remaining / tightest.limit) {
        tightest = { limit: current.quotaPerHour, remaining, resetAt: (window + 1) * HOUR_MS };
      }
    }
    if (!tightest) return { allowed: true, headers: {} };
    const headers: RateLimitHeaders = {
      "X-RateLimit-Limit": String(tightest.limit),
      "X-RateLimit-Remaining": String(tightest.remaining),
      "X-RateLimit-Reset": formatReset(tightest.resetAt),
    };
    if (tightest.remaining < tightest.limit * NEAR_LIMIT_FRACTION) headers["X-RateLimit-NearLimit"] = "true";
    return { allowed: true, headers };
  }

  return {
    check,
    reconfigure(next) {
      current = validated(next);
      if (next.now) now = next.now;
      buckets = new Map();
      quota = { window: -1, used: 0 };
    },
    reset() {
      buckets = new Map();
      quota = { window: -1, used: 0 };
      counts = emptyStats();
    },
    stats() {
      return { allowed: counts.allowed, limited: counts.limited, byReason: { ...counts.byReason } };
    },
    describe() {
      const { now: _now, classify: _classify, ...plain } = current;
      return { ...plain, active: isActive(current) };
    },
  };
}

function emptyStats(): RateLimitStats {
  return { allowed: 0, limited: 0, byReason: { "jira-burst-based": 0, "jira-per-issue-on-write": 0, "jira-quota-tenant-based": 0 } };
}

function defaultCapacity(perSecond: number): number {
  return Math.max(1, Math.ceil(perSecond));
}

function isActive(options: RateLimitOptions): boolean {
  if (options.enabled === false) return false;
  return (
    options.burstPerSecond !== undefined ||
    options.perIssueWritesPerSecond !== undefined ||
    options.quotaPerHour !== undefined ||
    Object.values(options.endpointClasses ?? {}).some((limit) => limit.perSecond !== undefined)
  );
}

// Programmatic callers get the same guard the JSON config has: a zero or negative rate would never refill.
function validated(options: RateLimitOptions): RateLimitOptions {
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`Rate limit option ${name} must be a number above 0 (got ${String(value)}); leave it out to switch that limit off.`);
    }
  };
  positive("burstPerSecond", options.burstPerSecond);
  positive("burstCapacity", options.burstCapacity);
  positive("perIssueWritesPerSecond", options.perIssueWritesPerSecond);
  positive("perIssueWriteBurst", options.perIssueWriteBurst);
  positive("quotaPerHour", options.quotaPerHour);
  for (const [cls, limit] of Object.entries(options.endpointClasses ?? {})) {
    positive(`endpointClasses.${cls}.cost`, limit.cost);
    positive(`endpointClasses.${cls}.perSecond`, limit.perSecond);
    positive(`endpointClasses.${cls}.capacity`, limit.capacity);
  }
  const copy: RateLimitOptions = { ...options };
  if (options.endpointClasses) copy.endpointClasses = structuredCloneLimits(options.endpointClasses);
  return copy;
}

function structuredCloneLimits(classes: Record<string, EndpointClassLimit>): Record<string, EndpointClassLimit> {
  return Object.fromEntries(Object.entries(classes).map(([cls, limit]) => [cls, { ...limit }]));
}
