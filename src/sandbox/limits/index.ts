// Rate limits and fault injection for the sandbox Jira: pure deciders plus a thin Hono middleware.
export { mulberry32, seedToNumber, type Random } from "./prng.ts";
export {
  classifyEndpoint,
  createRateLimiter,
  formatReset,
  isWriteMethod,
  issueKeyFromPath,
  RATE_LIMIT_REASONS,
  type EndpointClassLimit,
  type RateLimitBody,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitHeaders,
  type RateLimitOptions,
  type RateLimitReason,
  type RateLimitRequest,
  type RateLimitStats,
} from "./rate-limiter.ts";
export {
  createFaultInjector,
  DEFAULT_ERROR_STATUSES,
  DEFAULT_TIMEOUT_MS,
  FAULT_HEADER,
  faultBody,
  type FailNextOptions,
  type FaultDecision,
  type FaultHeaders,
  type FaultInjector,
  type FaultKind,
  type FaultOptions,
  type FaultRequest,
  type FaultStats,
  type Latency,
  type RateLimitStorm,
} from "./faults.ts";
export { ANONYMOUS_PRINCIPAL, defaultSleep, isSandboxControlPath, limitsMiddleware, type LimitsMiddlewareDeps } from "./middleware.ts";
export { applyLimitsConfig, parseLimitsConfig, type FailNextConfig, type LimitsConfig, type ParseResult, type RateLimitConfig } from "./config.ts";
