// Wires the sandbox's rate limiter and fault injector into the HTTP app and the /_sandbox/limits control.
import type { MiddlewareHandler } from "hono";
import {
  applyLimitsConfig,
  createFaultInjector,
  createRateLimiter,
  limitsMiddleware,
  parseLimitsConfig,
  type FaultInjector,
  type LimitsConfig,
  type RateLimiter,
} from "../limits/index.ts";
import type { SandboxEnv } from "./request.ts";

export type LimitsSettings = Pick<LimitsConfig, "rateLimit" | "faults">;

export interface LimitsRuntime {
  limiter: RateLimiter;
  faults: FaultInjector;
  describe(): { rateLimit: unknown; faults: unknown; stats: { rateLimit: unknown; faults: unknown } };
}

/** Off unless settings turn them on; `now` follows the sandbox clock so tests can move time. */
export function createLimitsRuntime(settings: LimitsSettings, now: () => number): LimitsRuntime {
  const limiter = createRateLimiter({ ...(settings.rateLimit ?? { enabled: false }), now });
  const faults = createFaultInjector(settings.faults ?? { enabled: false });
  return {
    limiter,
    faults,
    describe: () => ({ rateLimit: limiter.describe(), faults: faults.describe(), stats: { rateLimit: limiter.stats(), faults: faults.stats() } }),
  };
}

/** Applies a control body; a bad one changes nothing and says what to fix. */
export function reconfigureLimits(runtime: LimitsRuntime, json: unknown): { ok: true } | { ok: false; error: string } {
  const parsed = parseLimitsConfig(json);
  if (!parsed.ok) return { ok: false, error: parsed.errors.join("; ") };
  applyLimitsConfig(parsed.config, runtime);
  return { ok: true };
}

export function limitsMiddlewareFor(runtime: LimitsRuntime): MiddlewareHandler<SandboxEnv> {
  return limitsMiddleware<SandboxEnv>({
    limiter: runtime.limiter,
    faults: runtime.faults,
    principalOf: (c) => c.get("viewerId") || null,
  });
}
