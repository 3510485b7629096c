// Reading one page ahead: while the caller works on a page (syncing it, storing it), the next one is already being
// asked for, so Jira's answer time and the caller's work overlap instead of adding up. One page is held in advance,
// never more, so memory stays one page deep.

/** The pages of `pages`, each next one requested as soon as the previous is handed out. */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  // A failure of the page read ahead surfaces when that page is awaited, not as an unhandled rejection meanwhile.
  next.catch(() => {});
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    // The caller stopped early (a break, or a throw while storing a page): the source stops paging too.
    if (!finished) await iterator.return?.().catch(() => {});
  }
}
