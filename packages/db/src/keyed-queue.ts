/**
 * Runs async work one at a time per key, in arrival order; work under different keys runs side by
 * side. A key holds memory only while something is queued or running under it.
 */
export class KeyedQueue {
  /** Per key, the promise that settles once everything queued under it so far has finished. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Keys with work queued or running (tests check that none is left behind). */
  get size(): number {
    return this.#tails.size;
  }

  /**
   * Runs `work` once everything queued under `key` before it has finished. Waiting longer than
   * `maxWaitMs` rejects with `tooLong()` instead, and `work` never runs; what was queued behind
   * it keeps its order.
   */
  async run<T>(key: string, work: () => Promise<T>, maxWaitMs: number, tooLong: () => Error): Promise<T> {
    const ahead = this.#tails.get(key);
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Whoever comes next waits for this caller's turn to end, which cannot end before the turn of
    // the one ahead of it: a caller that gives up early still passes the wait on to the next one.
    const tail = ahead ? ahead.then(() => finished) : finished;
    this.#tails.set(key, tail);
    // The key is forgotten once the last turn queued under it has ended, never earlier: a caller
    // that gave up must not let a newcomer start beside the one still running ahead of it.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    try {
      if (ahead) await waitAtMost(ahead, maxWaitMs, tooLong);
      return await work();
    } finally {
      finish();
    }
  }
}

/** `promise`, or a rejection with `tooLong()` once `ms` have passed. */
async function waitAtMost(promise: Promise<void>, ms: number, tooLong: () => Error): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooLong()), ms);
  });
  try {
    await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
