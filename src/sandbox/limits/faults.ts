// Deterministic fault injection: from one seed and the same request order, the same requests fail the same way,
// so a flaky-network scenario can be replayed exactly. Deciding is separate from applying (see middleware.ts).
import { mulberry32, seedToNumber, type Random } from "./prng.ts";

export type Latency = number | { min: number; max: number };

export interface FaultOptions {
  /** false stops random faults (failNext still applies). Default true. */
  enabled?: boolean;
  /** Same seed, same request order, same faults. Default 1. */
  seed?: number | string;
  /** Fraction of requests answered with one of `errorStatuses` before the handler runs. */
  errorRate?: number;
  /** Default [500, 502, 503]. */
  errorStatuses?: number[];
  /** Added before every request in scope: fixed, or uniform in [min, max]. */
  latencyMs?: Latency;
  /** Fraction of requests whose handler runs but whose answer comes only after `timeoutMs`, as a 504. */
  timeoutRate?: number;
  /** Default 30000: longer than a sensible client timeout. */
  timeoutMs?: number;
  /** Fraction of requests whose answer keeps its status but loses the second half of its body. */
  truncateRate?: number;
  /** Fraction of requests whose answer keeps its status and JSON content type but whose body is not JSON. */
  malformedRate?: number;
  /** Random faults and latency only for paths starting with this; default every path. */
  pathPrefix?: string;
  /**
   * 429 storms: after every `every` requests in scope, the next `length` are all answered 429 with Jira's burst
   * headers, as when a site's budget runs out under load; counted by requests, so a seed replays it exactly.
   */
  rateLimitStorm?: RateLimitStorm;
}

export interface RateLimitStorm {
  every: number;
  length: number;
  /** Retry-After of each 429 in the storm; default 1. */
  retryAfterSeconds?: number;
}

export interface FaultRequest {
  method: string;
  path: string;
}

export interface FailNextOptions {
  status: number;
  /** JSON body; a Jira ErrorCollection for the status by default. */
  body?: unknown;
  /** Only requests whose path starts with this are failed (and counted). */
  path?: string;
}

export type FaultHeaders = Record<string, string>;

export type FaultDecision =
  | { kind: "pass"; delayMs: number }
  /** Answer now with this status and body; the handler does not run. */
  | { kind: "error"; delayMs: number; status: number; body: unknown; headers: FaultHeaders; forced: boolean }
  /** Run the handler, hold the answer for holdMs, then answer 504: the write may have happened but the caller cannot know. */
  | { kind: "timeout"; delayMs: number; holdMs: number; status: 504; body: unknown; headers: FaultHeaders }
  /** Answer 429 now, inside a rate-limit storm; the handler does not run. */
  | { kind: "storm"; delayMs: number; status: 429; body: unknown; headers: FaultHeaders }
  /** Run the handler and cut its body in half. */
  | { kind: "truncate"; delayMs: number; headers: FaultHeaders }
  /** Run the handler and replace its body with this non-JSON text. */
  | { kind: "malformed"; delayMs: number; text: string; headers: FaultHeaders };

export type FaultKind = FaultDecision["kind"];

export interface FaultStats {
  decisions: number;
  byKind: Record<FaultKind, number>;
  /** Failures that came from failNext. */
  forced: number;
  /** failNext failures still waiting for a matching request. */
  pendingForced: number;
}

export interface FaultInjector {
  /** Deterministic given the seed and the order of calls; draws from the seeded generator, no I/O. */
  decide(request: FaultRequest): FaultDecision;
  /** Fails the next `count` matching requests with `status`, before any random fault. */
  failNext(count: number, options: FailNextOptions): void;
  /** Replaces the options and restarts the generator from the (new) seed; pending failNext stay. */
  reconfigure(options: FaultOptions): void;
  /** Restarts the generator, forgets pending failNext and zeroes the stats. */
  reset(): void;
  stats(): FaultStats;
  describe(): FaultOptions & { active: boolean };
}

export const DEFAULT_ERROR_STATUSES: readonly number[] = [500, 502, 503];
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Marks every injected answer so a confused test can tell a fault from a real sandbox error. */
export const FAULT_HEADER = "X-Sandbox-Fault";
// Transient 5xx like 503 carry Retry-After in Jira Cloud too; one second keeps clients that honour it quick.
const TRANSIENT_RETRY_AFTER_SECONDS = "1";
const MALFORMED_TEXT = "<html><head><title>Service Unavailable</title></head><body>upstream connect error</body></html>";

const MESSAGES: Record<number, string> = {
  429: "Rate limit exceeded.",
  500: "Internal server error",
  502: "Bad gateway: the upstream Jira service did not answer properly. Try again later.",
  503: "Service unavailable: Jira is temporarily unable to handle the request. Try again later.",
  504: "Gateway timeout: Jira did not answer in time. The request may or may not have been applied.",
};

/** A Jira ErrorCollection for an injected status. */
export function faultBody(status: number): { errorMessages: string[]; errors: Record<string, string> } {
  return { errorMessages: [MESSAGES[status] ?? `Injected failure (HTTP ${status}).`], errors: {} };
}

function errorHeaders(status: number, kind: FaultKind): FaultHeaders {
  const headers: FaultHeaders = { [FAULT_HEADER]: kind };
  if (status === 429 || status === 503) headers["Retry-After"] = TRANSIENT_RETRY_AFTER_SECONDS;
  return headers;
}

export function createFaultInjector(options: FaultOptions = {}): FaultInjector {
  let current = validated(options);
  let random: Random = mulberry32(seedToNumber(current.seed ?? 1));
  let pending: Array<{ remaining: number; options: FailNextOptions }> = [];
  let counts = emptyStats();
  let inScope = 0;

  function forced(request: FaultRequest): FaultDecision | undefined {
    const rule = pending.find((p) => p.remaining > 0 && (p.options.path === undefined || request.path.startsWith(p.options.path)));
    if (!rule) return undefined;
    rule.remaining--;
    pending = pending.filter((p) => p.remaining > 0);
    const { status } = rule.options;
    return { kind: "error", delayMs: 0, status, body: rule.options.body ?? faultBody(status), headers: errorHeaders(status, "error"), forced: true };
  }

  function randomDecision(request: FaultRequest): FaultDecision {
    if (current.enabled === false) return { kind: "pass", delayMs: 0 };
    if (current.pathPrefix !== undefined && !request.path.startsWith(current.pathPrefix)) return { kind: "pass", delayMs: 0 };
    // Always three draws per request in scope, so changing one rate does not shift every later decision.
    const roll = random();
    const pick = random();
    const delayMs = latencyFrom(current.latencyMs, random());
    const errorRate = current.errorRate ?? 0;
    const timeoutRate = current.timeoutRate ?? 0;
    const truncateRate = current.truncateRate ?? 0;
    const malformedRate = current.malformedRate ?? 0;
    const storm = current.rateLimitStorm;
    if (storm && inScope++ % (storm.every + storm.length) >= storm.every) return stormDecision(storm, delayMs);
    let edge = errorRate;
    if (roll < edge) {
      const statuses = current.errorStatuses ?? DEFAULT_ERROR_STATUSES;
      const status = statuses[Math.floor(pick * statuses.length)] ?? 500;
      return { kind: "error", delayMs, status, body: faultBody(status), headers: errorHeaders(status, "error"), forced: false };
    }
    if (roll < (edge += timeoutRate)) {
      return { kind: "timeout", delayMs, holdMs: current.timeoutMs ?? DEFAULT_TIMEOUT_MS, status: 504, body: faultBody(504), headers: { [FAULT_HEADER]: "timeout" } };
    }
    if (roll < (edge += truncateRate)) return { kind: "truncate", delayMs, headers: { [FAULT_HEADER]: "truncate" } };
    if (roll < (edge += malformedRate)) return { kind: "malformed", delayMs, text: MALFORMED_TEXT, headers: { [FAULT_HEADER]: "malformed" } };
    return { kind: "pass", delayMs };
  }

  return {
    decide(request) {
      const decision = forced(request) ?? randomDecision(request);
      counts.decisions++;
      counts.byKind[decision.kind]++;
      if (decision.kind === "error" && decision.forced) counts.forced++;
      return decision;
    },
    failNext(count, failure) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`failNext count must be a whole number of requests, 0 or more (got ${String(count)}).`);
      if (!Number.isInteger(failure.status) || failure.status < 100 || failure.status > 599) {
        throw new RangeError(`failNext status must be an HTTP status between 100 and 599 (got ${String(failure.status)}).`);
      }
      if (count > 0) pending.push({ remaining: count, options: { ...failure } });
    },
    reconfigure(next) {
      current = validated(next);
      random = mulberry32(seedToNumber(current.seed ?? 1));
      inScope = 0;
    },
    reset() {
      random = mulberry32(seedToNumber(current.seed ?? 1));
      inScope = 0;
      pending = [];
      counts = emptyStats();
    },
    stats() {
      return { decisions: counts.decisions, byKind: { ...counts.byKind }, forced: counts.forced, pendingForced: pending.reduce((sum, p) => sum + p.remaining, 0) };
    },
    describe() {
      return { ...current, active: isActive(current) };
    },
  };
}

// The answer Jira gives when a burst budget is spent (see rate-limiter.ts), marked as an injected fault.
function stormDecision(storm: RateLimitStorm, delayMs: number): FaultDecision {
  const seconds = storm.retryAfterSeconds ?? 1;
  return {
    kind: "storm",
    delayMs,
    status: 429,
    body: { errorMessages: [`Rate limit exceeded for requests to this site (jira-burst-based). Retry after ${seconds} second(s).`], errors: {} },
    headers: { [FAULT_HEADER]: "storm", "Retry-After": String(seconds), "X-RateLimit-Remaining": "0", "X-RateLimit-NearLimit": "true", "RateLimit-Reason": "jira-burst-based" },
  };
}

function latencyFrom(latency: Latency | undefined, draw: number): number {
  if (latency === undefined) return 0;
  if (typeof latency === "number") return latency;
  return latency.min + Math.floor(draw * (latency.max - latency.min + 1));
}

function emptyStats(): { decisions: number; forced: number; byKind: Record<FaultKind, number> } {
  return { decisions: 0, forced: 0, byKind: { pass: 0, error: 0, storm: 0, timeout: 0, truncate: 0, malformed: 0 } };
}

function isActive(options: FaultOptions): boolean {
  if (options.enabled === false) return false;
  const { errorRate = 0, timeoutRate = 0, truncateRate = 0, malformedRate = 0, latencyMs } = options;
  const latent = latencyMs !== undefined && (typeof latencyMs === "number" ? latencyMs > 0 : latencyMs.max > 0);
  return errorRate + timeoutRate + truncateRate + malformedRate > 0 || latent || options.rateLimitStorm !== undefined;
}

// The same rules parseLimitsConfig gives JSON callers, for programmatic ones.
function validated(options: FaultOptions): FaultOptions {
  const rates = ["errorRate", "timeoutRate", "truncateRate", "malformedRate"] as const;
  let total = 0;
  for (const name of rates) {
    const value = options[name];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0 && value <= 1)) throw new RangeError(`Fault option ${name} must be a fraction from 0 to 1 (got ${String(value)}).`);
    total += value;
  }
  if (total > 1 + 1e-9) throw new RangeError(`Fault rates errorRate + timeoutRate + truncateRate + malformedRate add up to ${Number(total.toFixed(6))}; lower them so they add up to 1 or less.`);
  const { latencyMs, timeoutMs, errorStatuses } = options;
  if (typeof latencyMs === "number" && !(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`Fault option latencyMs must be 0 or more milliseconds (got ${latencyMs}).`);
  if (typeof latencyMs === "object" && !(Number.isInteger(latencyMs.min) && latencyMs.min >= 0 && Number.isInteger(latencyMs.max) && latencyMs.max >= latencyMs.min)) {
    throw new RangeError(`Fault option latencyMs must be {min, max} whole milliseconds with 0 <= min <= max (got ${JSON.stringify(latencyMs)}).`);
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) throw new RangeError(`Fault option timeoutMs must be 0 or more milliseconds (got ${timeoutMs}).`);
  if (errorStatuses !== undefined && (errorStatuses.length === 0 || errorStatuses.some((s) => !Number.isInteger(s) || s < 400 || s > 599))) {
    throw new RangeError(`Fault option errorStatuses must list HTTP error statuses between 400 and 599 (got ${JSON.stringify(errorStatuses)}).`);
  }
  const storm = options.rateLimitStorm;
  if (storm && !(Number.isInteger(storm.every) && storm.every >= 0 && Number.isInteger(storm.length) && storm.length >= 1 && (storm.retryAfterSeconds === undefined || (Number.isInteger(storm.retryAfterSeconds) && storm.retryAfterSeconds >= 0)))) {
    throw new RangeError(`Fault option rateLimitStorm must be {every, length, retryAfterSeconds?} whole numbers with length >= 1 (got ${JSON.stringify(storm)}).`);
  }
  // Copies, so a caller mutating its options object later cannot change a running scenario.
  const copy: FaultOptions = { ...options };
  if (storm) copy.rateLimitStorm = { ...storm };
  if (typeof latencyMs === "object") copy.latencyMs = { ...latencyMs };
  if (errorStatuses) copy.errorStatuses = [...errorStatuses];
  return copy;
}
