/**
 * A fixed-window counter per key, in process memory. It protects one API process from a noisy
 * client; the per-address limit on magic links is kept in the database so it holds across
 * processes.
 */
export interface RateLimiter {
  /** Counts one hit; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string, nowMs: number): number;
}

export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, nowMs) {
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (nowMs - w.start >= windowMs) windows.delete(k);
      }
      const current = windows.get(key);
      if (!current || nowMs - current.start >= windowMs) {
        windows.set(key, { start: nowMs, count: 1 });
        return 0;
      }
      current.count += 1;
      return current.count > limit ? Math.ceil((current.start + windowMs - nowMs) / 1000) : 0;
    },
  };
}
