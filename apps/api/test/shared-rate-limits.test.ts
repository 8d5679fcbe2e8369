import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimitPolicy } from "../src/lib/rate-limiter.js";
import { freshPostgresDatabase, PROVIDERS, startTestApi, type TestApi } from "./harness.js";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

describe.each(PROVIDERS)("rate-limit counters in the database (%s)", (provider) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(provider);
  });
  afterAll(() => api.close());

  const policy = (name: string, limit: number): RateLimitPolicy => ({ name, limit, windowSeconds: 60 });

  it("counts concurrent hits atomically: exactly the limit is allowed", async () => {
    const limiter = api.services.rateLimiter;
    const now = new Date();
    const waits = await Promise.all(
      Array.from({ length: 40 }, () => limiter.hit(policy("burst", 10), "client", now)),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
    expect(waits.filter((wait) => wait > 0).every((wait) => wait >= 59 && wait <= 60)).toBe(true);
    const row = await api.services.db.rateLimit.findUnique({ where: { key: "burst:client" } });
    expect(row?.hits).toBe(40);
  });

  it("starts a new window once the old one has ended, and sweeps ended windows", async () => {
    const limiter = api.services.rateLimiter;
    const start = new Date(Date.now() + 3_600_000);
    expect(await limiter.hit(policy("window", 1), "a", start)).toBe(0);
    expect(await limiter.hit(policy("window", 1), "a", new Date(start.getTime() + 30_000))).toBe(30);
    const later = new Date(start.getTime() + 61_000);
    expect(await limiter.hit(policy("window", 1), "a", later)).toBe(0);
    await limiter.hit(policy("window", 1), "b", later);

    // Two hours on, a hit sweeps every counter whose window ended (once a minute per process).
    const much = new Date(start.getTime() + 7_200_000);
    await limiter.hit(policy("window", 1), "c", much);
    const keys = (await api.services.db.rateLimit.findMany()).map((row) => row.key);
    expect(keys).toEqual(["window:c"]);
  });
});

/**
 * Two real API processes behind one imagined load balancer, on one PostgreSQL database: the
 * per-client sign-in limit counts requests to either, so spreading a flood over processes gains
 * nothing. With counters in process memory each process would allow the limit again.
 */
describe("rate limits shared by two API processes on one PostgreSQL", () => {
  const processes: ApiProcess[] = [];
  beforeAll(async () => {
    const databaseUrl = await freshPostgresDatabase();
    for (let i = 0; i < 2; i++) {
      processes.push(
        await startApiProcess(main, {
          DATABASE_URL: databaseUrl,
          DNSCOVE_EMBEDDED_EDGE: "false",
          DNSCOVE_MAGIC_LINKS_PER_CLIENT: "4",
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it("answers 429 from both once the client used its limit across them", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const api = processes[i % 2];
      if (!api) throw new Error("no API process");
      const answer = await fetch(`${api.url}/api/auth/magic-link`, {
        method: "POST",
        body: JSON.stringify({ email: `spread${i}@example.test` }),
      });
      statuses.push(answer.status);
      if (answer.status === 429) {
        retryAfter = answer.headers.get("retry-after");
        expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(await answer.json()).toMatchObject({ code: "RATE_LIMITED", status: 429 });
      } else await answer.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(800);
    expect(Number(retryAfter)).toBeLessThanOrEqual(900);
  });
});
