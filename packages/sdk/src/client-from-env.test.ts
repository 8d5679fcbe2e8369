import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientFromEnv, DEFAULT_BASE_URL, DnscoveNetworkError } from "./index.js";

/** A real loopback server that records each request's path and Authorization header. */
async function recordingServer() {
  const seen: { url: string | undefined; authorization: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end('{"zones":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, server };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe("clientFromEnv", () => {
  it("calls the API named by DNSCOVE_API with the token in DNSCOVE_TOKEN", async () => {
    const api = await recordingServer();
    closers.push(() => new Promise((resolve) => api.server.close(() => resolve())));
    const client = clientFromEnv({ DNSCOVE_API: `${api.url}/`, DNSCOVE_TOKEN: " dnsc_abc\n" });
    const { data } = await client.GET("/api/zones");
    expect(data).toEqual({ zones: [] });
    expect(api.seen).toEqual([{ url: "/api/zones", authorization: "Bearer dnsc_abc" }]);
  });

  it("sends no credential when DNSCOVE_TOKEN is unset or empty", async () => {
    const api = await recordingServer();
    closers.push(() => new Promise((resolve) => api.server.close(() => resolve())));
    await clientFromEnv({ DNSCOVE_API: api.url, DNSCOVE_TOKEN: "  " }).GET("/api/zones");
    await clientFromEnv({ DNSCOVE_API: api.url }).GET("/api/zones");
    expect(api.seen.map((s) => s.authorization)).toEqual([undefined, undefined]);
  });

  it("falls back to DEFAULT_BASE_URL when DNSCOVE_API is unset or empty", async () => {
    expect(DEFAULT_BASE_URL).toBe("http://127.0.0.1:8080");
    const urls: string[] = [];
    const fetch = (async (input: Request | string | URL) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return Response.json({ zones: [] });
    }) as typeof globalThis.fetch;
    await clientFromEnv({}, { fetch }).GET("/api/zones");
    await clientFromEnv({ DNSCOVE_API: "" }, { fetch }).GET("/api/zones");
    expect(urls).toEqual([`${DEFAULT_BASE_URL}/api/zones`, `${DEFAULT_BASE_URL}/api/zones`]);
  });

  it("reads process.env when given no environment", async () => {
    const saved = { api: process.env.DNSCOVE_API, token: process.env.DNSCOVE_TOKEN };
    closers.push(async () => {
      for (const [key, value] of [
        ["DNSCOVE_API", saved.api],
        ["DNSCOVE_TOKEN", saved.token],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    const api = await recordingServer();
    closers.push(() => new Promise((resolve) => api.server.close(() => resolve())));
    process.env.DNSCOVE_API = api.url;
    process.env.DNSCOVE_TOKEN = "dnsc_from_process";
    await clientFromEnv().GET("/api/zones");
    expect(api.seen).toEqual([{ url: "/api/zones", authorization: "Bearer dnsc_from_process" }]);
  });

  it("reports an unreachable DNSCOVE_API as a network error", async () => {
    const api = await recordingServer();
    await new Promise((resolve) => api.server.close(resolve));
    const error = await clientFromEnv({ DNSCOVE_API: api.url })
      .GET("/api/zones")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnscoveNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
  });
});
