import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, DnscoveApiError, DnscoveNetworkError } from "./index.js";

/**
 * A real HTTP server on loopback that cuts the connection of the first request it receives, the
 * way a server closing an idle keep-alive connection does to a request already on its way, and
 * answers every later one.
 */
async function flakyServer(
  cut: "destroy" | "reset",
): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    if (seen.length === 1) {
      if (cut === "reset") req.socket.resetAndDestroy();
      else req.socket.destroy();
      return;
    }
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"zones":[]}'));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** A loopback port where nothing listens: a server that is down. */
async function downUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("network failures", () => {
  it.each(["destroy", "reset"] as const)(
    "sends a GET again once when its connection is closed under it (%s)",
    async (cut) => {
      const flaky = await flakyServer(cut);
      servers.push(flaky.server);
      const { data } = await createClient({ baseUrl: flaky.url }).GET("/api/zones");
      expect(data).toEqual({ zones: [] });
      expect(flaky.seen).toEqual(["GET /api/zones", "GET /api/zones"]);
    },
  );

  it("sends a DELETE again too, but never a POST: the server may have acted on it", async () => {
    const flaky = await flakyServer("reset");
    servers.push(flaky.server);
    const client = createClient({ baseUrl: flaky.url, token: "dnsc_x" });
    const error = await client
      .POST("/api/zones/{id}/publish", { params: { path: { id: "Z1" } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnscoveNetworkError);
    expect(error).toMatchObject({ method: "POST", url: `${flaky.url}/api/zones/Z1/publish`, attempts: 1 });
    expect(flaky.seen).toEqual(["POST /api/zones/Z1/publish"]);

    await client.DELETE("/api/zones/{id}", { params: { path: { id: "Z1" } } });
    expect(flaky.seen).toEqual(["POST /api/zones/Z1/publish", "DELETE /api/zones/Z1"]);
  });

  it("turns a server that is down into a typed error with the method, URL and cause", async () => {
    const url = await downUrl();
    const error = await createClient({ baseUrl: url })
      .GET("/api/zones")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnscoveNetworkError);
    expect(error).not.toBeInstanceOf(DnscoveApiError);
    expect(error).toMatchObject({
      method: "GET",
      url: `${url}/api/zones`,
      code: "ECONNREFUSED",
      attempts: 1,
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/zones failed without an answer/,
    );
  });

  it("gives up after the second reset", async () => {
    const seen: string[] = [];
    const server = createServer((req) => {
      seen.push(String(req.method));
      req.socket.resetAndDestroy();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await createClient({ baseUrl: url })
      .GET("/api/zones")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnscoveNetworkError);
    expect(error).toMatchObject({ attempts: 2, code: "ECONNRESET" });
    expect(seen).toEqual(["GET", "GET"]);
  });
});
