import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

function get(url: string, agent: Agent): Promise<{ status: number; keepAlive: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/health`, { agent }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          keepAlive: String(res.headers["keep-alive"]),
          reused: req.reusedSocket,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * The real server keeps idle connections open longer than a load balancer does (Node's default is
 * 5 s), so the balancer never sends a request on a connection the API is closing.
 */
describe("HTTP keep-alive of the API process", () => {
  let api: ApiProcess;
  let tuned: ApiProcess;
  beforeAll(async () => {
    api = await startApiProcess(main, { DNSCOVE_EMBEDDED_EDGE: "false" });
    tuned = await startApiProcess(main, {
      DNSCOVE_EMBEDDED_EDGE: "false",
      DNSCOVE_HTTP_KEEPALIVE_MS: "620000",
    });
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), tuned?.stop()]);
  });

  it("announces a 65 s idle timeout by default and the configured one otherwise", async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(api.url, agent)).toMatchObject({ status: 200, keepAlive: "timeout=65" });
      expect(await get(tuned.url, agent)).toMatchObject({ status: 200, keepAlive: "timeout=620" });
    } finally {
      agent.destroy();
    }
  });

  it("still answers on a connection left idle for 6 s", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(api.url, agent)).status).toBe(200);
      // The idle time itself is what is tested: longer than Node's 5 s default.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get(api.url, agent)).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
