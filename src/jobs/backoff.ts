// Backoff between attempts of a failed job: the jittered exponential backoff of src/jira/backoff.ts (which the
// client's bulk task polling uses too), with the queue's default base and cap.
import type { BackoffOptions } from "../jira/backoff.ts";

export { backoffMs, type BackoffOptions } from "../jira/backoff.ts";

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 10 * 60_000 };
