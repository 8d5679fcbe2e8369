import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createClient, DnscoveApiError, DnscoveNetworkError } from "@dnscove/sdk";
import { afterEach, describe, expect, inject, it } from "vitest";
import { keepAliveGet, MAX_SOCKETS } from "../src/keep-alive-get.js";
import { makeServerCertificate } from "../src/protocol/tls.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers: (http.Server | https.Server)[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server on loopback that counts the TCP connections it accepted. */
async function serve(handler: Handler, server: http.Server | https.Server = http.createServer()) {
  let connections = 0;
  server.on("connection", () => connections++);
  server.on("request", handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, connections: () => connections };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("keepAliveGet", () => {
  it("answers GETs like fetch (status, headers, body) and reuses one connection for calls in sequence", async () => {
    const seen: (string | undefined)[] = [];
    const { port, connections } = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader("content-type", "application/json");
      res.setHeader("x-request-id", "r1");
      res.statusCode = req.url === "/missing" ? 404 : 200;
      res.end(JSON.stringify({ path: req.url }));
    });
    const get = keepAliveGet();
    for (let i = 0; i < 5; i++) {
      const response = await get(`http://127.0.0.1:${port}/thing/${i}`, {
        headers: { authorization: "Bearer t" },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBe("r1");
      expect(await response.json()).toEqual({ path: `/thing/${i}` });
    }
    const missing = await get(`http://127.0.0.1:${port}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.ok).toBe(false);
    expect(seen.slice(0, 5)).toEqual(Array(5).fill("Bearer t"));
    expect(connections()).toBe(1);
  });

  it("has 10 GETs in flight at once (Terraform's default -parallelism), each on its own connection", async () => {
    const held: http.ServerResponse[] = [];
    const { port, connections } = await serve((_req, res) => {
      held.push(res);
    });
    const get = keepAliveGet();
    const calls = Array.from({ length: 10 }, (_, i) => get(`http://127.0.0.1:${port}/${i}`));
    // Every request reaches the server before any is answered: none waits for a free connection.
    await until(() => held.length === 10, "10 requests held by the server at once");
    for (const res of held) res.end("ok");
    const answers = await Promise.all(calls);
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(connections()).toBe(10);
    expect(MAX_SOCKETS).toBeGreaterThanOrEqual(10);
  });

  it("sends every other method through the fallback fetch", async () => {
    const methods: string[] = [];
    const fallback: typeof fetch = async (input) => {
      methods.push((input as Request).method);
      return new Response("{}", { status: 201 });
    };
    const get = keepAliveGet({ fallback: () => fallback });
    const answer = await get("http://127.0.0.1:9/x", { method: "POST", body: "{}" });
    expect(answer.status).toBe(201);
    expect(methods).toEqual(["POST"]);
  });

  it("answers an empty body for 204 and 304", async () => {
    const { port } = await serve((req, res) => {
      res.statusCode = req.url === "/304" ? 304 : 204;
      res.end();
    });
    const get = keepAliveGet();
    expect((await get(`http://127.0.0.1:${port}/204`)).body).toBeNull();
    expect((await get(`http://127.0.0.1:${port}/304`)).status).toBe(304);
  });

  it("reports a refused connection as fetch does, so the SDK raises DnscoveNetworkError", async () => {
    const { port } = await serve(() => {});
    const closed = servers.pop();
    await new Promise((resolve) => closed?.close(resolve));
    const error = await keepAliveGet()(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: "t", fetch: keepAliveGet() });
    const failed = await client.GET("/api/zones").catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DnscoveNetworkError);
    expect((failed as DnscoveNetworkError).code).toBe("ECONNREFUSED");
  });

  it("speaks HTTPS to an endpoint its TLS options trust", async () => {
    const { certPem, keyPem } = makeServerCertificate();
    const { port } = await serve(
      (_req, res) => res.end("secure"),
      https.createServer({ cert: certPem, key: keyPem }),
    );
    const get = keepAliveGet({ tls: { ca: certPem } });
    const answer = await get(`https://localhost:${port}/`);
    expect(await answer.text()).toBe("secure");
    const untrusting = await keepAliveGet()(`https://localhost:${port}/`).catch((e: unknown) => e);
    expect(untrusting).toBeInstanceOf(TypeError);
  });

  it("serves the SDK client against the real API: the rrset GET, and 404 as DnscoveApiError", async () => {
    const client = createClient({
      baseUrl: inject("apiUrl"),
      token: inject("apiToken"),
      fetch: keepAliveGet(),
    });
    const origin = `keepalive-${Date.now()}.example`;
    const { data: zone } = await client.POST("/api/zones", { body: { origin } });
    if (!zone) throw new Error("no zone");
    await client.POST("/api/zones/{id}/rrsets", {
      params: { path: { id: zone.id } },
      body: { action: "UPSERT", name: "www", type: "A", ttl: 300, records: ["192.0.2.7"] },
    });
    const { data } = await client.GET("/api/zones/{id}/rrsets/{name}/{type}", {
      params: { path: { id: zone.id, name: "www", type: "A" } },
    });
    expect(data).toEqual({ name: `www.${origin}.`, type: "A", ttl: 300, records: ["192.0.2.7"] });
    const missing = await client
      .GET("/api/zones/{id}/rrsets/{name}/{type}", {
        params: { path: { id: zone.id, name: "nope", type: "A" } },
      })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DnscoveApiError);
    expect((missing as DnscoveApiError).status).toBe(404);
  });
});
