import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustProxy } from "../src/http/trust-proxy.js";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

/**
 * Which address a sign-in request is counted against, seen through the per-client limit and the
 * counters it leaves in the database. The peer's own address is chosen with `localAddress` (all of
 * 127.0.0.0/8 is loopback), so one test can be both a trusted proxy and an untrusted caller.
 */
function askForLink(
  api: TestApi,
  email: string,
  options: { from?: string; forwardedFor?: string } = {},
): Promise<{ status: number; retryAfter: string | undefined; type: string | undefined }> {
  const url = new URL(`${api.baseUrl}/api/auth/magic-link`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: options.from ?? "127.0.0.1",
        agent: false,
        headers: {
          "content-type": "application/json",
          ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers["retry-after"],
            type: res.headers["content-type"],
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ email }));
  });
}

async function clientKeys(api: TestApi): Promise<string[]> {
  const rows = await api.services.db.rateLimit.findMany({
    where: { key: { startsWith: "magic-link:client:" } },
  });
  return rows.map((row) => row.key.slice("magic-link:client:".length)).sort();
}

describe.each(PROVIDERS)("client address and X-Forwarded-For (%s)", (provider) => {
  describe("with no trusted proxy (the default)", () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(provider, { magicLinksPerClient: 3 });
    });
    afterAll(() => api.close());

    it("ignores X-Forwarded-For: a rotating header still gets 429 after the limit", async () => {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(
          await askForLink(api, `rotate${i}@example.test`, { forwardedFor: `198.51.100.${i + 1}` }),
        );
      }
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
      expect(answers[3]?.type).toMatch(/^application\/problem\+json/);
      expect(Number(answers[3]?.retryAfter)).toBeGreaterThan(0);
      expect(await clientKeys(api)).toEqual(["127.0.0.1"]);
    });
  });

  describe("with 127.0.0.2 as the trusted proxy", () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(provider, {
        magicLinksPerClient: 3,
        trustProxy: parseTrustProxy("127.0.0.2"),
      });
    });
    afterAll(() => api.close());

    it("gives each forwarded client its own bucket", async () => {
      for (let i = 0; i < 5; i++) {
        const answer = await askForLink(api, `many${i}@example.test`, {
          from: "127.0.0.2",
          forwardedFor: `203.0.113.${i + 1}`,
        });
        expect(answer.status).toBe(200);
      }
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await askForLink(api, `one${i}@example.test`, { from: "127.0.0.2", forwardedFor: "192.0.2.50" }))
            .status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(await clientKeys(api)).toEqual(
        expect.arrayContaining(["192.0.2.50", "203.0.113.1", "203.0.113.5"]),
      );
    });

    it("believes only the address the proxy appended, not what the client wrote before it", async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const answer = await askForLink(api, `spoof${i}@example.test`, {
          from: "127.0.0.2",
          forwardedFor: `10.9.9.${i + 1}, 192.0.2.77`,
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await clientKeys(api)).filter((key) => key.startsWith("10.9.9."))).toEqual([]);
    });

    it("ignores the header from a peer that is not the trusted proxy", async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const answer = await askForLink(api, `direct${i}@example.test`, {
          from: "127.0.0.1",
          forwardedFor: `198.51.100.${i + 1}`,
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const keys = await clientKeys(api);
      expect(keys).toContain("127.0.0.1");
      expect(keys.filter((key) => key.startsWith("198.51.100."))).toEqual([]);
    });
  });
});
