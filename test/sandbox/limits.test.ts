// Rate limits and fault injection for the sandbox Jira: pure deciders with an injected clock, then the Hono middleware.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Hono } from "hono";
import {
  applyLimitsConfig,
  createFaultInjector,
  createRateLimiter,
  FAULT_HEADER,
  formatReset,
  issueKeyFromPath,
  limitsMiddleware,
  parseLimitsConfig,
  type FaultDecision,
  type RateLimitDecision,
} from "../../src/sandbox/limits/index.ts";

const START = Date.UTC(2026, 10, 2, 12, 0, 0);

function fakeClock(start = START) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}

function denied(decision: RateLimitDecision): Extract<RateLimitDecision, { allowed: false }> {
  assert.equal(decision.allowed, false, "expected the request to be limited");
  return decision as Extract<RateLimitDecision, { allowed: false }>;
}

const read = (principal = "alice", path = "/rest/api/3/myself") => ({ principal, method: "GET", path });

describe("rate limiter: burst bucket", () => {
  test("a full bucket allows its capacity, then limits until it refills", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burstPerSecond: 2, burstCapacity: 3, now: clock.now });
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.check(read()).headers["X-RateLimit-Remaining"]),
      ["2", "1", "0"],
    );
    const limited = denied(limiter.check(read()));
    assert.equal(limited.status, 429);
    assert.equal(limited.reason, "jira-burst-based");
    // One token at 2 per second takes 500 ms; Retry-After is whole seconds, rounded up.
    assert.equal(limited.retryAfterSeconds, 1);

    clock.advance(499);
    assert.equal(limiter.check(read()).allowed, false);
    clock.advance(1);
    assert.equal(limiter.check(read()).allowed, true);
    assert.equal(limiter.check(read()).allowed, false);

    // Refill stops at capacity however long the caller waits.
    clock.advance(60_000);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.check(read()).allowed), [true, true, true, false]);
  });

  test("each caller has its own bucket", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, now: fakeClock().now });
    assert.equal(limiter.check(read("alice")).allowed, true);
    assert.equal(limiter.check(read("alice")).allowed, false);
    assert.equal(limiter.check(read("bob")).allowed, true);
  });

  test("headers follow Jira: limit, remaining, minute-precision reset, near-limit, and on 429 Retry-After and the reason", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, burstCapacity: 10, now: fakeClock().now });
    const first = limiter.check(read());
    assert.deepEqual(first.headers, { "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9", "X-RateLimit-Reset": "2026-11-02T12:01Z" });
    for (let i = 0; i < 7; i++) limiter.check(read());
    // 1 left of 10 is under 20%.
    assert.equal(limiter.check(read()).headers["X-RateLimit-NearLimit"], "true");
    limiter.check(read());
    const limited = denied(limiter.check(read()));
    assert.deepEqual(limited.headers, {
      "Retry-After": "1",
      "X-RateLimit-Limit": "10",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": "2026-11-02T12:01Z",
      "X-RateLimit-NearLimit": "true",
      "RateLimit-Reason": "jira-burst-based",
    });
    assert.deepEqual(limited.body.errors, {});
    assert.equal(limited.body.errorMessages.length, 1);
    assert.match(limited.body.errorMessages[0] ?? "", /Retry after 1 second/);
  });

  test("formatReset rounds up to the minute in yyyy-MM-ddTHH:mmZ", () => {
    assert.equal(formatReset(START), "2026-11-02T12:00Z");
    assert.equal(formatReset(START + 1), "2026-11-02T12:01Z");
  });

  test("a clock set backwards refills nothing", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burstPerSecond: 1, now: clock.now });
    limiter.check(read());
    clock.advance(-10_000);
    assert.equal(limiter.check(read()).allowed, false);
    clock.advance(1000);
    assert.equal(limiter.check(read()).allowed, true);
  });
});

describe("rate limiter: endpoint classes", () => {
  test("search can cost more burst tokens than other calls", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, burstCapacity: 4, endpointClasses: { search: { cost: 2 } }, now: fakeClock().now });
    const search = { principal: "alice", method: "POST", path: "/rest/api/3/search/jql" };
    assert.equal(limiter.check(search).headers["X-RateLimit-Remaining"], "2");
    assert.equal(limiter.check(search).headers["X-RateLimit-Remaining"], "0");
    assert.equal(denied(limiter.check(search)).retryAfterSeconds, 2);
  });

  test("a class with its own bucket limits only that class", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ endpointClasses: { search: { perSecond: 1 } }, now: clock.now });
    const search = { principal: "alice", method: "GET", path: "/rest/api/2/search" };
    assert.equal(limiter.check(search).allowed, true);
    assert.equal(denied(limiter.check(search)).reason, "jira-burst-based");
    assert.equal(limiter.check(read()).allowed, true);
    clock.advance(1000);
    assert.equal(limiter.check(search).allowed, true);
  });
});

describe("rate limiter: per-issue writes", () => {
  const put = (principal: string, key: string) => ({ principal, method: "PUT", path: `/rest/api/3/issue/${key}` });

  test("writes to one issue are limited across callers; reads and other issues are not", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perIssueWritesPerSecond: 1, perIssueWriteBurst: 2, now: clock.now });
    assert.equal(limiter.check(put("alice", "ABC-1")).allowed, true);
    assert.equal(limiter.check({ principal: "bob", method: "POST", path: "/rest/api/3/issue/abc-1/comment" }).allowed, true);
    const limited = denied(limiter.check(put("carol", "ABC-1")));
    assert.equal(limited.reason, "jira-per-issue-on-write");
    assert.equal(limited.headers["RateLimit-Reason"], "jira-per-issue-on-write");
    assert.equal(limited.retryAfterSeconds, 1);
    assert.equal(limiter.check({ principal: "alice", method: "GET", path: "/rest/api/3/issue/ABC-1" }).allowed, true);
    assert.equal(limiter.check(put("alice", "ABC-2")).allowed, true);
    // Creating an issue targets no existing issue.
    for (let i = 0; i < 5; i++) assert.equal(limiter.check({ principal: "alice", method: "POST", path: "/rest/api/3/issue" }).allowed, true);
    clock.advance(1000);
    assert.equal(limiter.check(put("carol", "ABC-1")).allowed, true);
  });

  test("an explicit issueKey wins over the path", () => {
    const limiter = createRateLimiter({ perIssueWritesPerSecond: 1, now: fakeClock().now });
    assert.equal(limiter.check({ principal: "a", method: "POST", path: "/rest/api/3/issue/10001/transitions", issueKey: "ABC-1" }).allowed, true);
    assert.equal(limiter.check({ principal: "a", method: "DELETE", path: "/rest/api/3/issue/ABC-1" }).allowed, false);
  });

  test("issueKeyFromPath accepts keys and ids only", () => {
    assert.equal(issueKeyFromPath("/rest/api/3/issue/abc-12/comment"), "ABC-12");
    assert.equal(issueKeyFromPath("/rest/api/2/issue/10001"), "10001");
    assert.equal(issueKeyFromPath("/rest/agile/1.0/issue/PROJ-3/estimation"), "PROJ-3");
    assert.equal(issueKeyFromPath("/rest/api/3/issue/bulk"), undefined);
    assert.equal(issueKeyFromPath("/rest/api/3/issue/createmeta"), undefined);
    assert.equal(issueKeyFromPath("/rest/api/3/issue"), undefined);
  });

  test("when several limits are hit, the longest wait decides the reason and Retry-After", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, perIssueWritesPerSecond: 0.25, now: fakeClock().now });
    limiter.check(put("alice", "ABC-1"));
    const limited = denied(limiter.check(put("alice", "ABC-1")));
    assert.equal(limited.reason, "jira-per-issue-on-write");
    assert.equal(limited.retryAfterSeconds, 4);
  });

  test("a limited request takes no tokens from the other buckets", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, burstCapacity: 2, perIssueWritesPerSecond: 1, now: fakeClock().now });
    limiter.check(put("alice", "ABC-1"));
    assert.equal(limiter.check(put("alice", "ABC-1")).allowed, false);
    assert.equal(limiter.check(read()).allowed, true);
  });
});

describe("rate limiter: quota, off switch, stats, reconfigure", () => {
  test("the hourly quota is site-wide and resets on the hour", () => {
    const clock = fakeClock(START + 59 * 60_000);
    const limiter = createRateLimiter({ quotaPerHour: 2, now: clock.now });
    assert.equal(limiter.check(read("alice")).allowed, true);
    assert.equal(limiter.check(read("bob")).allowed, true);
    const limited = denied(limiter.check(read("carol")));
    assert.equal(limited.reason, "jira-quota-tenant-based");
    assert.equal(limited.retryAfterSeconds, 60);
    clock.advance(60_000);
    assert.equal(limiter.check(read("carol")).allowed, true);
  });

  test("with no limits, or enabled false, everything is allowed with no headers", () => {
    for (const options of [{}, { enabled: false, burstPerSecond: 1 }]) {
      const limiter = createRateLimiter({ ...options, now: fakeClock().now });
      for (let i = 0; i < 50; i++) assert.deepEqual(limiter.check(read()), { allowed: true, headers: {} });
      assert.equal(limiter.describe().active, false);
    }
  });

  test("stats count allowed and limited by reason; reconfigure refills, reset zeroes", () => {
    const limiter = createRateLimiter({ burstPerSecond: 1, perIssueWritesPerSecond: 1, now: fakeClock().now });
    limiter.check({ principal: "a", method: "PUT", path: "/rest/api/3/issue/ABC-1" });
    limiter.check({ principal: "b", method: "PUT", path: "/rest/api/3/issue/ABC-1" });
    limiter.check({ principal: "a", method: "GET", path: "/rest/api/3/myself" });
    assert.deepEqual(limiter.stats(), { allowed: 1, limited: 2, byReason: { "jira-burst-based": 1, "jira-per-issue-on-write": 1, "jira-quota-tenant-based": 0 } });
    limiter.reconfigure({ burstPerSecond: 1 });
    assert.equal(limiter.check(read("a")).allowed, true);
    assert.equal(limiter.stats().allowed, 2);
    assert.deepEqual(limiter.describe(), { burstPerSecond: 1, active: true });
    limiter.reset();
    assert.deepEqual(limiter.stats(), { allowed: 0, limited: 0, byReason: { "jira-burst-based": 0, "jira-per-issue-on-write": 0, "jira-quota-tenant-based": 0 } });
  });

  test("a rate of zero is refused with the field name", () => {
    assert.throws(() => createRateLimiter({ burstPerSecond: 0 }), /burstPerSecond must be a number above 0/);
  });
});

describe("fault injector", () => {
  const requests = Array.from({ length: 200 }, (_, i) => ({ method: i % 3 === 0 ? "PUT" : "GET", path: `/rest/api/3/issue/ABC-${i}` }));
  const summary = (d: FaultDecision) => `${d.kind}:${d.kind === "error" ? d.status : ""}:${d.delayMs}`;

  test("the same seed and request order give the same faults; another seed gives others", () => {
    const options = { seed: "demo", errorRate: 0.1, timeoutRate: 0.05, truncateRate: 0.05, malformedRate: 0.05, latencyMs: { min: 5, max: 50 } };
    const first = createFaultInjector(options);
    const second = createFaultInjector(options);
    const a = requests.map((r) => summary(first.decide(r)));
    assert.deepEqual(requests.map((r) => summary(second.decide(r))), a);
    assert.notDeepEqual(requests.map((r) => summary(createFaultInjector({ ...options, seed: "other" }).decide(r))), a);
    // Reconfiguring with the same seed replays from the start.
    first.reconfigure(options);
    assert.deepEqual(requests.map((r) => summary(first.decide(r))), a);
    const kinds = new Set(a.map((s) => s.split(":")[0]));
    assert.deepEqual([...kinds].sort(), ["error", "malformed", "pass", "timeout", "truncate"]);
  });

  test("latency stays inside the range", () => {
    const faults = createFaultInjector({ seed: 7, latencyMs: { min: 10, max: 20 } });
    const delays = requests.map((r) => faults.decide(r).delayMs);
    assert.ok(delays.every((ms) => Number.isInteger(ms) && ms >= 10 && ms <= 20));
    assert.equal(createFaultInjector({ latencyMs: 15 }).decide(requests[0]!).delayMs, 15);
  });

  test("rates of 0 and 1", () => {
    const none = createFaultInjector({ seed: 3 });
    assert.ok(requests.every((r) => none.decide(r).kind === "pass"));
    const all = createFaultInjector({ seed: 3, errorRate: 1 });
    const statuses = new Set(requests.map((r) => {
      const d = all.decide(r);
      assert.equal(d.kind, "error");
      return d.kind === "error" ? d.status : 0;
    }));
    assert.deepEqual([...statuses].sort(), [500, 502, 503]);
    const only = createFaultInjector({ errorRate: 1, errorStatuses: [503] }).decide(requests[0]!);
    assert.deepEqual(only.kind === "error" && only.headers, { [FAULT_HEADER]: "error", "Retry-After": "1" });
  });

  test("pathPrefix limits random faults to matching paths", () => {
    const faults = createFaultInjector({ errorRate: 1, pathPrefix: "/rest/api/3/search" });
    assert.equal(faults.decide({ method: "GET", path: "/rest/api/3/myself" }).kind, "pass");
    assert.equal(faults.decide({ method: "GET", path: "/rest/api/3/search/jql" }).kind, "error");
  });

  test("failNext fails exactly the next n matching requests, then stops", () => {
    const faults = createFaultInjector({ seed: 1 });
    faults.failNext(2, { status: 503, path: "/rest/api/3/issue" });
    assert.equal(faults.stats().pendingForced, 2);
    assert.equal(faults.decide({ method: "GET", path: "/rest/api/3/myself" }).kind, "pass");
    const first = faults.decide({ method: "PUT", path: "/rest/api/3/issue/ABC-1" });
    assert.deepEqual(first, {
      kind: "error",
      delayMs: 0,
      status: 503,
      body: { errorMessages: ["Service unavailable: Jira is temporarily unable to handle the request. Try again later."], errors: {} },
      headers: { [FAULT_HEADER]: "error", "Retry-After": "1" },
      forced: true,
    });
    assert.equal(faults.decide({ method: "GET", path: "/rest/api/3/issue/ABC-1" }).kind, "error");
    assert.equal(faults.decide({ method: "GET", path: "/rest/api/3/issue/ABC-1" }).kind, "pass");
    const stats = faults.stats();
    assert.equal(stats.forced, 2);
    assert.equal(stats.pendingForced, 0);
    assert.equal(stats.decisions, 4);
    assert.deepEqual(stats.byKind, { pass: 2, error: 2, storm: 0, timeout: 0, truncate: 0, malformed: 0 });
  });

  test("failNext with a custom body; reset forgets pending failures", () => {
    const faults = createFaultInjector();
    faults.failNext(1, { status: 409, body: { errorMessages: ["conflict"], errors: {} } });
    const d = faults.decide({ method: "PUT", path: "/x" });
    assert.deepEqual(d.kind === "error" && [d.status, d.body], [409, { errorMessages: ["conflict"], errors: {} }]);
    faults.failNext(5, { status: 500 });
    faults.reset();
    assert.equal(faults.decide({ method: "PUT", path: "/x" }).kind, "pass");
    assert.throws(() => faults.failNext(1, { status: 999 }), /between 100 and 599/);
  });

  test("rates adding up to more than 1 are refused", () => {
    assert.throws(() => createFaultInjector({ errorRate: 0.6, malformedRate: 0.5 }), /add up to 1.1/);
  });
});

describe("limitsMiddleware with Hono", () => {
  function setup(options: { rateLimit?: Parameters<typeof createRateLimiter>[0]; faults?: Parameters<typeof createFaultInjector>[0] } = {}) {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ...options.rateLimit, now: clock.now });
    const faults = createFaultInjector(options.faults ?? {});
    const slept: number[] = [];
    let handled = 0;
    const app = new Hono();
    app.use(limitsMiddleware({ limiter, faults, principalOf: (c) => c.req.header("x-user") ?? null, sleep: async (ms) => void slept.push(ms) }));
    app.get("/rest/api/3/myself", (c) => {
      handled++;
      return c.json({ accountId: "alice", displayName: "Alice Example" });
    });
    app.put("/rest/api/3/issue/:key", () => {
      handled++;
      return new Response(null, { status: 204 });
    });
    app.get("/_sandbox/limits", (c) => c.json({ ok: true }));
    const get = (path = "/rest/api/3/myself", user = "alice") => app.request(path, { headers: { "x-user": user } });
    return { app, clock, limiter, faults, slept, handled: () => handled, get };
  }

  test("limits with a Jira-style 429 and puts rate-limit headers on answered requests", async () => {
    const { get, handled } = setup({ rateLimit: { burstPerSecond: 1, burstCapacity: 2 } });
    const ok = await get();
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("X-RateLimit-Limit"), "2");
    assert.equal(ok.headers.get("X-RateLimit-Remaining"), "1");
    assert.deepEqual(await ok.json(), { accountId: "alice", displayName: "Alice Example" });
    await get();
    const limited = await get();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("Retry-After"), "1");
    assert.equal(limited.headers.get("RateLimit-Reason"), "jira-burst-based");
    assert.equal(limited.headers.get("X-RateLimit-Reset"), "2026-11-02T12:01Z");
    assert.match(limited.headers.get("Content-Type") ?? "", /^application\/json/);
    const body = (await limited.json()) as { errorMessages: string[]; errors: object };
    assert.deepEqual(body.errors, {});
    assert.equal(body.errorMessages.length, 1);
    assert.equal(handled(), 2);
    assert.equal((await get("/rest/api/3/myself", "bob")).status, 200);
  });

  test("/_sandbox is never limited or faulted", async () => {
    const { get, faults } = setup({ rateLimit: { burstPerSecond: 1 }, faults: { errorRate: 1 } });
    faults.failNext(3, { status: 500 });
    for (let i = 0; i < 5; i++) {
      const response = await get("/_sandbox/limits");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("X-RateLimit-Limit"), null);
    }
    assert.equal(faults.stats().decisions, 0);
  });

  test("per-issue writes answer 429 with jira-per-issue-on-write", async () => {
    const { app } = setup({ rateLimit: { perIssueWritesPerSecond: 1 } });
    const put = (user: string) => app.request("/rest/api/3/issue/ABC-1", { method: "PUT", headers: { "x-user": user } });
    const first = await put("alice");
    assert.equal(first.status, 204);
    assert.equal(first.headers.get("X-RateLimit-Remaining"), "0");
    const second = await put("bob");
    assert.equal(second.status, 429);
    assert.equal(second.headers.get("RateLimit-Reason"), "jira-per-issue-on-write");
  });

  test("failNext answers before the handler runs, with Retry-After on 503", async () => {
    const { get, faults, handled } = setup();
    faults.failNext(1, { status: 503 });
    const failed = await get();
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get("Retry-After"), "1");
    assert.equal(failed.headers.get(FAULT_HEADER), "error");
    assert.deepEqual(await failed.json(), { errorMessages: ["Service unavailable: Jira is temporarily unable to handle the request. Try again later."], errors: {} });
    assert.equal(handled(), 0);
    assert.equal((await get()).status, 200);
    assert.equal(handled(), 1);
  });

  test("truncated answers keep their status and lose the second half of the body", async () => {
    const { get } = setup({ faults: { truncateRate: 1 } });
    const full = JSON.stringify({ accountId: "alice", displayName: "Alice Example" });
    const response = await get();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get(FAULT_HEADER), "truncate");
    assert.equal(await response.text(), full.slice(0, Math.floor(full.length / 2)));
  });

  test("malformed answers say JSON but are not", async () => {
    const { get } = setup({ faults: { malformedRate: 1 } });
    const response = await get();
    assert.equal(response.status, 200);
    assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
    const text = await response.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  test("timeouts run the handler, hold the answer for timeoutMs, then answer 504", async () => {
    const { app, slept, handled } = setup({ faults: { timeoutRate: 1, timeoutMs: 45_000, latencyMs: 20 } });
    const response = await app.request("/rest/api/3/issue/ABC-1", { method: "PUT", headers: { "x-user": "alice" } });
    assert.equal(response.status, 504);
    assert.equal(response.headers.get(FAULT_HEADER), "timeout");
    assert.equal(handled(), 1);
    assert.deepEqual(slept, [20, 45_000]);
  });

  test("a 204 answer has no body to garble and still gets the headers", async () => {
    const { app } = setup({ rateLimit: { burstPerSecond: 5 }, faults: { malformedRate: 1 } });
    const response = await app.request("/rest/api/3/issue/ABC-1", { method: "PUT", headers: { "x-user": "alice" } });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("X-RateLimit-Remaining"), "4");
    assert.equal(await response.text(), "");
  });
});

describe("parseLimitsConfig", () => {
  test("accepts a full body and applies it", async () => {
    const parsed = parseLimitsConfig({
      reset: true,
      rateLimit: { burstPerSecond: 1, endpointClasses: { search: { cost: 2 } } },
      faults: { seed: "demo", latencyMs: { min: 1, max: 3 } },
      failNext: { status: 502, path: "/rest/api/3/search" },
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config.failNext, [{ count: 1, status: 502, path: "/rest/api/3/search" }]);
    const limiter = createRateLimiter({ now: fakeClock().now });
    const faults = createFaultInjector();
    applyLimitsConfig(parsed.config, { limiter, faults });
    assert.equal(limiter.describe().active, true);
    assert.equal(faults.stats().pendingForced, 1);
    applyLimitsConfig({ rateLimit: null, faults: null }, { limiter, faults });
    assert.equal(limiter.describe().active, false);
    assert.deepEqual(faults.describe(), { active: false });
  });

  test("errors name the field and say how to fix it", () => {
    assert.deepEqual(parseLimitsConfig({ rateLimit: { burstPerSec: 1 } }), {
      ok: false,
      errors: ["rateLimit.burstPerSec: unknown field; use one of enabled, burstPerSecond, burstCapacity, endpointClasses, perIssueWritesPerSecond, perIssueWriteBurst, quotaPerHour."],
    });
    assert.deepEqual(parseLimitsConfig({ rateLimit: { burstPerSecond: -1 } }), {
      ok: false,
      errors: ["rateLimit.burstPerSecond: must be above 0 (got -1). Give requests per second per caller, or leave it out to switch the burst limit off."],
    });
    const rates = parseLimitsConfig({ faults: { errorRate: 0.7, timeoutRate: 0.6 } });
    assert.deepEqual(rates, { ok: false, errors: ["faults: errorRate + timeoutRate + truncateRate + malformedRate add up to 1.3; lower them so they add up to 1 or less."] });
    const status = parseLimitsConfig({ failNext: { count: 2 } });
    assert.deepEqual(status, { ok: false, errors: ["failNext.status: must be an HTTP status such as 503 (got nothing)."] });
    const notObject = parseLimitsConfig("fast please");
    assert.equal(notObject.ok, false);
    assert.match(notObject.ok ? "" : (notObject.errors[0] ?? ""), /^body: the body must be a JSON object/);
  });
});

describe("429 storms", () => {
  const request = { method: "GET", path: "/rest/api/3/myself" };

  test("after every `every` requests the next `length` are answered 429 with Jira's burst headers, the same on replay", () => {
    const faults = createFaultInjector({ seed: 5, rateLimitStorm: { every: 3, length: 2, retryAfterSeconds: 2 } });
    const kinds = Array.from({ length: 10 }, () => faults.decide(request).kind);
    assert.deepEqual(kinds, ["pass", "pass", "pass", "storm", "storm", "pass", "pass", "pass", "storm", "storm"]);
    faults.reset();
    const storm = Array.from({ length: 4 }, () => faults.decide(request)).at(-1)!;
    assert.equal(storm.kind, "storm");
    if (storm.kind !== "storm") return;
    assert.equal(storm.status, 429);
    assert.equal(storm.headers["Retry-After"], "2");
    assert.equal(storm.headers["RateLimit-Reason"], "jira-burst-based");
    assert.equal(faults.stats().byKind.storm, 1);
    assert.equal(faults.describe().active, true);
  });

  test("the middleware answers a storm's 429 without running the handler", async () => {
    let handled = 0;
    const app = new Hono();
    app.use(limitsMiddleware({ limiter: createRateLimiter({ now: fakeClock().now }), faults: createFaultInjector({ rateLimitStorm: { every: 0, length: 1 } }), principalOf: () => null }));
    app.get("/rest/api/3/myself", (c) => {
      handled++;
      return c.json({ accountId: "alice" });
    });
    const response = await app.request("/rest/api/3/myself");
    assert.equal(response.status, 429);
    assert.equal(response.headers.get(FAULT_HEADER), "storm");
    assert.match(((await response.json()) as { errorMessages: string[] }).errorMessages[0]!, /Rate limit exceeded/);
    assert.equal(handled, 0);
  });

  test("a bad storm names the field and the fix", () => {
    assert.deepEqual(parseLimitsConfig({ faults: { rateLimitStorm: { every: 10, length: 0 } } }), {
      ok: false,
      errors: ["faults.rateLimitStorm.length: must be a whole number of requests, 1 or more (got 0). It is how many requests in a row each storm answers 429."],
    });
    assert.deepEqual(parseLimitsConfig({ faults: { rateLimitStorm: { every: 10, length: 2, pause: 1 } } }), {
      ok: false,
      errors: ["faults.rateLimitStorm.pause: unknown field; use one of every, length, retryAfterSeconds."],
    });
    assert.ok(parseLimitsConfig({ faults: { rateLimitStorm: { every: 10, length: 2 } } }).ok);
  });
});
