// A per-connector limiter: adaptive concurrency (additive increase, halve on 429) and a shared pause when Jira
// says "retry after", so every request of the connector slows down together instead of hammering.

export interface LimiterOptions {
  initialConcurrency: number;
  maxConcurrency: number;
  /** Successes needed before one more request may run at once. */
  increaseAfter: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface LimiterStats {
  concurrency: number;
  inFlight: number;
  rateLimited: number;
  pausedUntil: number;
}

/**
 * Pauses shared by every process of one Tandem (PostgreSQL): a 429's "retry after" seen by one process holds the
 * connector's requests in the others too. Read at most once a second per connector.
 */
export interface SharedPauses {
  publish(connectorKey: string, until: number): Promise<void>;
  read(connectorKey: string): Promise<number>;
}

export class ConnectorLimiter {
  private options: LimiterOptions;
  private shared: { pauses: SharedPauses; key: string; readAt: number } | null = null;
  private concurrency: number;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private successes = 0;
  private pausedUntil = 0;
  private rateLimited = 0;

  constructor(options: Partial<LimiterOptions> = {}) {
    this.options = {
      initialConcurrency: 4,
      maxConcurrency: 8,
      increaseAfter: 20,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
    this.concurrency = this.options.initialConcurrency;
  }

  /** Shares this limiter's pauses with the other processes (see SharedPauses). */
  share(pauses: SharedPauses | null, connectorKey: string): void {
    this.shared = pauses ? { pauses, key: connectorKey, readAt: 0 } : null;
  }

  /** Waits for a free slot and for any rate-limit pause to end; returns the release function. */
  async acquire(): Promise<() => void> {
    while (this.inFlight >= this.concurrency) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.inFlight += 1;
    if (this.shared && this.options.now() - this.shared.readAt >= 1000) {
      this.shared.readAt = this.options.now();
      // Another process's pause counts as this one's; a store that cannot answer holds nothing up.
      this.pausedUntil = Math.max(this.pausedUntil, await this.shared.pauses.read(this.shared.key).catch(() => 0));
    }
    for (;;) {
      const wait = this.pausedUntil - this.options.now();
      if (wait <= 0) break;
      await this.options.sleep(wait);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.wakeOne();
    };
  }

  recordSuccess(): void {
    this.successes += 1;
    if (this.successes >= this.options.increaseAfter && this.concurrency < this.options.maxConcurrency) {
      this.concurrency += 1;
      this.successes = 0;
      this.wakeOne();
    }
  }

  /** A 429: everyone waits until `retryAfterMs` has passed, and fewer requests run at once afterwards. */
  recordRateLimited(retryAfterMs: number): void {
    this.rateLimited += 1;
    this.successes = 0;
    this.concurrency = Math.max(1, Math.floor(this.concurrency / 2));
    this.pausedUntil = Math.max(this.pausedUntil, this.options.now() + retryAfterMs);
    this.shared?.pauses.publish(this.shared.key, this.pausedUntil).catch(() => {});
  }

  stats(): LimiterStats {
    return { concurrency: this.concurrency, inFlight: this.inFlight, rateLimited: this.rateLimited, pausedUntil: this.pausedUntil };
  }

  private wakeOne(): void {
    if (this.inFlight < this.concurrency) this.waiters.shift()?.();
  }
}

/** One limiter per connector in this process, shared by every client of that connector. */
const limiters = new Map<string, ConnectorLimiter>();
let sharedPauses: SharedPauses | null = null;

/**
 * Set by a PostgreSQL store when it opens: every connector's pauses then hold across processes. Answers the undo,
 * which the store calls when it closes (only if its pauses are still the ones shared).
 */
export function sharePausesAcrossProcesses(pauses: SharedPauses): () => void {
  const shareAll = (shared: SharedPauses | null) => {
    sharedPauses = shared;
    for (const [key, limiter] of limiters) limiter.share(shared, key);
  };
  shareAll(pauses);
  return () => {
    if (sharedPauses === pauses) shareAll(null);
  };
}

export function limiterFor(connectorKey: string): ConnectorLimiter {
  let limiter = limiters.get(connectorKey);
  if (!limiter) {
    limiter = new ConnectorLimiter();
    if (sharedPauses) limiter.share(sharedPauses, connectorKey);
    limiters.set(connectorKey, limiter);
  }
  return limiter;
}
