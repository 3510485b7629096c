// Waiting for a condition instead of for a time: polls until `check` returns something truthy, or fails naming
// what was awaited and the last value seen.
export async function waitFor<T>(what: string, check: () => Promise<T> | T, options: { timeoutMs?: number; everyMs?: number } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 25));
  }
}
