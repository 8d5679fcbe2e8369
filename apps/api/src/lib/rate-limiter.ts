import type { Db } from "@dnscove/db";

/** At most `limit` hits per key in each fixed window of `windowSeconds`. */
export interface RateLimitPolicy {
  /** Prefix of every key the policy counts, so two policies never share a counter. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit; resolves 0 when allowed, else the whole seconds until the window resets. */
  hit(policy: RateLimitPolicy, key: string, now: Date): Promise<number>;
}

export interface RateLimiterOptions {
  /** How often one process deletes counters whose window has ended (default once a minute). */
  sweepIntervalMs?: number;
}

/**
 * Fixed-window counters in the `rate_limits` table, so a limit holds however many API processes
 * share the database. One statement per hit, atomic on both SQLite (≥ 3.35) and PostgreSQL: the
 * upsert either starts a window or adds one to it, and returns the count it wrote, so concurrent
 * hits from several processes each see a distinct count and never exceed the limit together.
 *
 * A database error is not swallowed: the request fails as any request does without its database
 * (a sign-in link could not be stored anyway), rather than fail open and let a flood through.
 */
export function createRateLimiter(db: Db, options: RateLimiterOptions = {}): RateLimiter {
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  let lastSweep = Number.NEGATIVE_INFINITY;
  return {
    async hit(policy, key, now) {
      if (now.getTime() - lastSweep >= sweepIntervalMs) {
        lastSweep = now.getTime();
        await db.rateLimit.deleteMany({ where: { resetsAt: { lte: now } } });
      }
      const id = `${policy.name}:${key}`;
      const fresh = new Date(now.getTime() + policy.windowSeconds * 1000);
      // The right-hand sides of an UPDATE all read the row as it was, on both databases.
      const rows = await db.$queryRaw<{ hits: number | bigint; resets_at: Date | string }[]>`
        INSERT INTO "rate_limits" ("key", "hits", "resets_at") VALUES (${id}, 1, ${fresh})
        ON CONFLICT ("key") DO UPDATE SET
          "hits" = CASE WHEN "rate_limits"."resets_at" <= ${now} THEN 1 ELSE "rate_limits"."hits" + 1 END,
          "resets_at" = CASE WHEN "rate_limits"."resets_at" <= ${now} THEN ${fresh} ELSE "rate_limits"."resets_at" END
        RETURNING "hits", "resets_at"`;
      const row = rows[0];
      if (!row) throw new Error("rate limit upsert returned no row");
      if (Number(row.hits) <= policy.limit) return 0;
      const resetsAt = new Date(row.resets_at).getTime();
      return Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000));
    },
  };
}
