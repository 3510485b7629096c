// Thin Hono glue: asks the rate limiter and the fault injector what to do with a request and does it.
// All decisions live in rate-limiter.ts and faults.ts; this file only sleeps and rewrites responses.
import type { Context, Env, MiddlewareHandler } from "hono";
import type { FaultInjector } from "./faults.ts";
import { issueKeyFromPath, type RateLimiter } from "./rate-limiter.ts";

export interface LimitsMiddlewareDeps<E extends Env = Env> {
  limiter: RateLimiter;
  faults: FaultInjector;
  /** The caller's account or credential id; null is counted as one shared "anonymous" caller. */
  principalOf: (c: Context<E>) => string | null;
  /** The issue a write targets; default: the key or id in /rest/api/{2|3}/issue/{key}... */
  issueKeyOf?: (path: string) => string | undefined;
  /** More paths to leave alone; /_sandbox is always exempt so tests can reach their controls. */
  exempt?: (path: string) => boolean;
  /** Waits for latency and held answers; inject a fake so tests never sleep. Must resolve (not reject) on abort. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const ANONYMOUS_PRINCIPAL = "anonymous";

/** Test controls are never limited or faulted: a test must always be able to switch limits off again. */
export function isSandboxControlPath(path: string): boolean {
  return path === "/_sandbox" || path.startsWith("/_sandbox/");
}

// Resolves early when the client goes away: there is nobody left to answer, and nothing should throw.
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  const all = new Headers(headers);
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers: all });
  all.set("Content-Type", "application/json;charset=UTF-8");
  return new Response(JSON.stringify(body), { status, headers: all });
}

// Setting c.res normally merges the old response's headers in (a stale Content-Length among them); clear it first.
function replaceResponse<E extends Env>(c: Context<E>, response: Response): void {
  c.res = undefined;
  c.res = response;
}

function withHeaders(response: Response, headers: Record<string, string>, body: BodyInit | null = response.body): Response {
  const copy = new Response(body, response);
  if (body !== response.body) copy.headers.delete("Content-Length");
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
}

export function limitsMiddleware<E extends Env = Env>(deps: LimitsMiddlewareDeps<E>): MiddlewareHandler<E> {
  const sleep = deps.sleep ?? defaultSleep;
  const issueKeyOf = deps.issueKeyOf ?? issueKeyFromPath;
  return async (c, next) => {
    const path = c.req.path;
    if (isSandboxControlPath(path) || deps.exempt?.(path)) return next();
    const method = c.req.method;
    const signal = c.req.raw.signal;

    const limit = deps.limiter.check({ principal: deps.principalOf(c) ?? ANONYMOUS_PRINCIPAL, method, path, issueKey: issueKeyOf(path) });
    if (!limit.allowed) return jsonResponse(limit.status, limit.body, limit.headers);

    const fault = deps.faults.decide({ method, path });
    if (fault.delayMs > 0) await sleep(fault.delayMs, signal);
    if (fault.kind === "error" || fault.kind === "storm") return jsonResponse(fault.status, fault.body, { ...limit.headers, ...fault.headers });

    await next();

    if (fault.kind === "timeout") {
      // The handler has run (a write may have landed); the caller only hears back after holdMs, as a 504.
      await c.res.body?.cancel();
      await sleep(fault.holdMs, signal);
      replaceResponse(c, jsonResponse(fault.status, fault.body, { ...limit.headers, ...fault.headers }));
      return;
    }
    // A 204 or 304 has no body to cut or garble; it only gets the rate-limit headers.
    const hasBody = !NULL_BODY_STATUSES.has(c.res.status);
    if (fault.kind === "truncate" && hasBody) {
      // Bytes, not characters: a real cut connection can split a UTF-8 sequence too.
      const bytes = new Uint8Array(await c.res.arrayBuffer());
      replaceResponse(c, withHeaders(c.res, { ...limit.headers, ...fault.headers }, bytes.slice(0, Math.floor(bytes.length / 2))));
      return;
    }
    if (fault.kind === "malformed" && hasBody) {
      await c.res.body?.cancel();
      const headers = { ...limit.headers, ...fault.headers, "Content-Type": "application/json;charset=UTF-8" };
      replaceResponse(c, withHeaders(c.res, headers, fault.text));
      return;
    }
    if (Object.keys(limit.headers).length > 0) replaceResponse(c, withHeaders(c.res, limit.headers));
  };
}
