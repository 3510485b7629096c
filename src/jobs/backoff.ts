// Exponential backoff with jitter between attempts of a failed job: base·2^(attempt−1), capped, then a random
// part so jobs that failed together (a Jira outage) do not all come back at the same moment.

export interface BackoffOptions {
  /** Delay after the first failure (ms). */
  baseMs: number;
  /** Longest delay (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 10 * 60_000 };

/** "Equal jitter": half the exponential delay is kept, the other half is random, so a retry never comes at once. */
export function backoffMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
