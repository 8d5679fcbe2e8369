/**
 * Long CPU work written once as a generator that `yield`s at safe points, run either to the end
 * at once (pure callers, tests) or with a turn of the event loop at each yield (request handlers:
 * a handler busy for seconds would stall every other request of every tenant; issue 14).
 */
export type Cooperative<T> = Generator<void, T, void>;

/** Items of work between two yields: a few milliseconds of the heaviest per-item work here. */
export const SLICE = 500;

export function runToEnd<T>(steps: Cooperative<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runYielding<T>(steps: Cooperative<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

/**
 * One turn of the event loop. A setImmediate, not a resolved promise: SQLite's driver is
 * synchronous, so a chain of awaited statements is all microtasks and would never let other
 * requests' I/O callbacks run in between.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
