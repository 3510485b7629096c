// Validates the body of the rate-limit/fault test-control endpoint. Every error names the field and says how to fix it,
// because the people reading them are writing a test and want the next try to work.
import { z } from "zod";
import type { FaultInjector, FaultOptions, FailNextOptions } from "./faults.ts";
import type { RateLimiter, RateLimitOptions } from "./rate-limiter.ts";

export type RateLimitConfig = Omit<RateLimitOptions, "now" | "classify">;

export interface FailNextConfig extends FailNextOptions {
  count: number;
}

export interface LimitsConfig {
  /** Replaces every rate-limit option; null or {} switches rate limiting off. */
  rateLimit?: RateLimitConfig | null;
  /** Replaces every fault option and restarts the generator from the seed; null switches random faults off. */
  faults?: FaultOptions | null;
  failNext?: FailNextConfig[];
  /** Applied first: full buckets, zeroed stats, no pending failNext. */
  reset?: boolean;
}

export type ParseResult = { ok: true; config: LimitsConfig } | { ok: false; errors: string[] };

const got = (input: unknown) => (input === undefined ? "nothing" : JSON.stringify(input));

function positive(hint: string) {
  return z.number({ error: (iss) => `must be a number above 0 (got ${got(iss.input)}). ${hint}` }).positive({ error: (iss) => `must be above 0 (got ${got(iss.input)}). ${hint}` });
}

function fraction(name: string) {
  const message = (iss: { input?: unknown }) => `must be a fraction from 0 to 1 (got ${got(iss.input)}), e.g. 0.1 for ${name} on one request in ten.`;
  return z.number({ error: message }).min(0, { error: message }).max(1, { error: message });
}

function wholeMs(hint: string) {
  const message = (iss: { input?: unknown }) => `must be a whole number of milliseconds, 0 or more (got ${got(iss.input)}). ${hint}`;
  return z.int({ error: message }).min(0, { error: message });
}

const endpointClassLimit = z.strictObject({
  cost: positive("It is how many burst tokens one request of this class takes; leave it out for 1.").optional(),
  perSecond: positive("Give requests per second for this class's own bucket, or leave it out for none.").optional(),
  capacity: positive("Give the size of this class's bucket, or leave it out to use perSecond rounded up.").optional(),
});

const rateLimitSchema = z.strictObject({
  enabled: z.boolean({ error: (iss) => `must be true or false (got ${got(iss.input)}).` }).optional(),
  burstPerSecond: positive("Give requests per second per caller, or leave it out to switch the burst limit off.").optional(),
  burstCapacity: positive("Give the most requests a caller may send at once, or leave it out to use burstPerSecond rounded up.").optional(),
  endpointClasses: z
    .record(z.string(), endpointClassLimit, { error: (iss) => `must be an object keyed by endpoint class ("search", "bulk", "write", "read") (got ${got(iss.input)}).` })
    .optional(),
  perIssueWritesPerSecond: positive("Give writes per second per issue, or leave it out to switch the per-issue limit off.").optional(),
  perIssueWriteBurst: positive("Give the most writes to one issue at once, or leave it out to use perIssueWritesPerSecond rounded up.").optional(),
  quotaPerHour: positive("Give points per clock hour for the whole site, or leave it out for no quota.").optional(),
});

const latencySchema = z.union(
  [
    wholeMs("Give a fixed delay or {\"min\": ..., \"max\": ...}."),
    z
      .strictObject({ min: wholeMs("Give the shortest delay."), max: wholeMs("Give the longest delay.") })
      .refine((range) => range.max >= range.min, { error: "max must be at least min; swap them or raise max." }),
  ],
  { error: (iss) => `must be milliseconds or {"min": ms, "max": ms} (got ${got(iss.input)}).` },
);

const stormCount = (hint: string, min: number) => {
  const message = (iss: { input?: unknown }) => `must be a whole number of requests, ${min} or more (got ${got(iss.input)}). ${hint}`;
  return z.int({ error: message }).min(min, { error: message });
};

const rateLimitStormSchema = z.strictObject(
  {
    every: stormCount("It is how many requests pass between two storms.", 0),
    length: stormCount("It is how many requests in a row each storm answers 429.", 1),
    retryAfterSeconds: z.int({ error: (iss) => `must be whole seconds, 0 or more (got ${got(iss.input)}).` }).min(0, { error: "must be 0 or more seconds." }).optional(),
  },
  { error: (iss) => (iss.code === "invalid_type" ? `must be {"every": requests, "length": requests} (got ${got(iss.input)}).` : undefined) },
);

const faultsSchema = z
  .strictObject({
    enabled: z.boolean({ error: (iss) => `must be true or false (got ${got(iss.input)}).` }).optional(),
    seed: z.union([z.int(), z.string()], { error: (iss) => `must be a whole number or a string (got ${got(iss.input)}); the same seed replays the same faults.` }).optional(),
    errorRate: fraction("a 5xx error").optional(),
    errorStatuses: z
      .array(z.int().min(400).max(599), { error: (iss) => `must be a list of HTTP error statuses from 400 to 599 (got ${got(iss.input)}), e.g. [500, 502, 503].` })
      .min(1, { error: "must list at least one status, e.g. [503]; leave it out for [500, 502, 503]." })
      .optional(),
    latencyMs: latencySchema.optional(),
    timeoutRate: fraction("a timeout").optional(),
    timeoutMs: wholeMs("It is how long a timed-out request is held before its 504.").optional(),
    truncateRate: fraction("a truncated body").optional(),
    malformedRate: fraction("a non-JSON body").optional(),
    pathPrefix: z.string({ error: (iss) => `must be a path prefix such as "/rest/api/3/issue" (got ${got(iss.input)}).` }).startsWith("/", { error: "must start with \"/\", e.g. \"/rest/api/3/search\"." }).optional(),
    rateLimitStorm: rateLimitStormSchema.optional(),
  })
  .superRefine((faults, ctx) => {
    const total = (faults.errorRate ?? 0) + (faults.timeoutRate ?? 0) + (faults.truncateRate ?? 0) + (faults.malformedRate ?? 0);
    if (total > 1 + 1e-9) {
      ctx.addIssue({ code: "custom", path: [], message: `errorRate + timeoutRate + truncateRate + malformedRate add up to ${Number(total.toFixed(6))}; lower them so they add up to 1 or less.` });
    }
  });

const failNextSchema = z.strictObject({
  count: z.int({ error: (iss) => `must be a whole number of requests (got ${got(iss.input)}).` }).min(0, { error: "must be 0 or more." }).default(1),
  status: z
    .int({ error: (iss) => `must be an HTTP status such as 503 (got ${got(iss.input)}).` })
    .min(100, { error: "must be an HTTP status from 100 to 599." })
    .max(599, { error: "must be an HTTP status from 100 to 599." }),
  body: z.unknown().optional(),
  path: z.string({ error: (iss) => `must be a path prefix such as "/rest/api/3/issue" (got ${got(iss.input)}).` }).startsWith("/", { error: "must start with \"/\", e.g. \"/rest/api/3/issue\"." }).optional(),
});

const limitsSchema = z.strictObject(
  {
    rateLimit: rateLimitSchema.nullable().optional(),
    faults: faultsSchema.nullable().optional(),
    failNext: z.union([failNextSchema, z.array(failNextSchema)]).optional(),
    reset: z.boolean({ error: (iss) => `must be true or false (got ${got(iss.input)}).` }).optional(),
  },
  { error: (iss) => (iss.code === "invalid_type" ? `the body must be a JSON object such as {"rateLimit": {"burstPerSecond": 10}} (got ${got(iss.input)}).` : undefined) },
);

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  "": Object.keys(limitsSchema.shape),
  rateLimit: Object.keys(rateLimitSchema.shape),
  endpointClasses: Object.keys(endpointClassLimit.shape),
  faults: ["enabled", "seed", "errorRate", "errorStatuses", "latencyMs", "timeoutRate", "timeoutMs", "truncateRate", "malformedRate", "pathPrefix", "rateLimitStorm"],
  rateLimitStorm: ["every", "length", "retryAfterSeconds"],
  failNext: Object.keys(failNextSchema.shape),
  latencyMs: ["min", "max"],
};

function knownFieldsAt(path: readonly PropertyKey[]): readonly string[] {
  const named = path.filter((segment): segment is string => typeof segment === "string");
  const last = named.at(-1) ?? "";
  // endpointClasses.search is one class: its fields are those of a class limit.
  if (named.at(-2) === "endpointClasses") return KNOWN_FIELDS.endpointClasses ?? [];
  return KNOWN_FIELDS[last] ?? [];
}

function describe(issue: z.core.$ZodIssue): string[] {
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  if (issue.code === "unrecognized_keys") {
    const known = knownFieldsAt(issue.path);
    return issue.keys.map((key) => `${where === "body" ? key : `${where}.${key}`}: unknown field; use one of ${known.join(", ")}.`);
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.message.startsWith("Invalid input")) {
    // Fall back to the first alternative's own explanation rather than zod's generic one.
    const first = issue.errors[0]?.[0];
    if (first) return describe({ ...first, path: [...issue.path, ...first.path] });
  }
  return [`${where}: ${issue.message}`];
}

/** Checks a test-control body; on failure every error reads "field.path: what is wrong. How to fix it." */
export function parseLimitsConfig(json: unknown): ParseResult {
  const result = limitsSchema.safeParse(json);
  if (!result.success) return { ok: false, errors: result.error.issues.flatMap(describe) };
  const { failNext, ...rest } = result.data;
  const config: LimitsConfig = { ...rest };
  if (failNext !== undefined) config.failNext = Array.isArray(failNext) ? failNext : [failNext];
  return { ok: true, config };
}

/** Applies a parsed config: reset first, then rate limits, faults, and queued failures in order. */
export function applyLimitsConfig(config: LimitsConfig, target: { limiter: RateLimiter; faults: FaultInjector }): void {
  if (config.reset) {
    target.limiter.reset();
    target.faults.reset();
  }
  if (config.rateLimit !== undefined) target.limiter.reconfigure(config.rateLimit ?? {});
  if (config.faults !== undefined) target.faults.reconfigure(config.faults ?? {});
  for (const { count, ...failure } of config.failNext ?? []) target.faults.failNext(count, failure);
}
