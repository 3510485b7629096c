// Exponential backoff with jitter: base·2^(attempt−1), capped, then a random part so callers that failed or waited
// together (a Jira outage, a batch of bulk tasks) do not all come back at the same moment. Used by the job queue's
// retries and by the client's polling of bulk tasks.

export interface BackoffOptions {
  /** Delay after the first attempt (ms). */
  baseMs: number;
  /** Longest delay (ms). */
  maxMs: number;
}

/** "Equal jitter": half the exponential delay is kept, the other half is random, so a retry never comes at once. */
export function backoffMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
