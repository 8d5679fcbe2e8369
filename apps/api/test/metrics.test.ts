/**
 * Issue 17: `GET /metrics` on the API in Prometheus's text format. It passes `promtool check
 * metrics`, counts requests under the route's pattern (never a zone id), needs the bearer token
 * when DNSCOVE_METRICS_TOKEN is set, and a real Prometheus scraping it answers a query for a
 * counter this test drove.
 */
import { randomBytes } from "node:crypto";
import { promtoolCheckMetrics, startPrometheus, waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const TOKEN = randomBytes(16).toString("hex");

async function scrape(api: TestApi, token?: string): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(`${api.baseUrl}/metrics`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get("content-type") ?? "",
  };
}

/** The value of one sample line `name{labels} value`, labels in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

describe.each(PROVIDERS)("API metrics (%s)", (provider) => {
  let api: TestApi;
  let session: string;

  beforeAll(async () => {
    api = await startTestApi(provider, { metricsToken: TOKEN });
    session = await api.signIn();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("needs the bearer token when one is set: 401 problem+json without or with a wrong one, 200 with it", async () => {
    const without = await rawRequest(api, "GET", "/metrics");
    expect(without.status).toBe(401);
    expect(without.headers.get("content-type")).toContain("application/problem+json");
    expect(without.headers.get("www-authenticate")).toContain("Bearer");
    expect((without.body as { code?: string }).code).toBe("UNAUTHENTICATED");
    expect((await scrape(api, `${TOKEN}x`)).status).toBe(401);
    // An API session is no metrics token.
    expect((await scrape(api, session)).status).toBe(401);
    const ok = await scrape(api, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.type).toContain("text/plain");
    expect(ok.text).toContain("# TYPE dnscove_api_http_requests_total counter");
  });

  it("labels requests with the route's pattern, not the zone id in the path", async () => {
    const ids = Array.from({ length: 3 }, () => `Z${randomBytes(6).toString("hex").toUpperCase()}`);
    for (const id of ids) {
      expect((await rawRequest(api, "GET", `/api/zones/${id}/rrsets`, { token: session })).status).toBe(404);
    }
    await rawRequest(api, "GET", `/api/no-such-path/${ids[0]}`, { token: session });
    const { text } = await scrape(api, TOKEN);
    for (const id of ids) expect(text).not.toContain(id);
    expect(
      sample(text, "dnscove_api_http_requests_total", {
        route: "/api/zones/:id/rrsets",
        method: "GET",
        status: "404",
      }),
    ).toBe(3);
    expect(
      sample(text, "dnscove_api_http_request_duration_seconds_count", {
        route: "/api/zones/:id/rrsets",
        method: "GET",
        status: "404",
      }),
    ).toBe(3);
    expect(
      sample(text, "dnscove_api_http_requests_total", { route: "unmatched", method: "GET", status: "404" }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("counts pending zones on scrape and times publishes", async () => {
    const client = api.client(session);
    const { data: zone } = await client.POST("/api/zones", {
      body: { origin: `metrics-${provider}.example` },
    });
    if (!zone) throw new Error("zone creation failed");
    const change = await client.POST("/api/zones/{id}/rrsets", {
      params: { path: { id: zone.id } },
      body: { action: "UPSERT", name: "www", type: "A", ttl: 300, records: ["192.0.2.1"] },
    });
    expect(change.response.status).toBe(200);
    const before = await scrape(api, TOKEN);
    expect(sample(before.text, "dnscove_api_pending_zones", {})).toBe(1);
    const published = await client.POST("/api/zones/{id}/publish", { params: { path: { id: zone.id } } });
    expect(published.response.status).toBe(200);
    const after = await scrape(api, TOKEN);
    expect(sample(after.text, "dnscove_api_pending_zones", {})).toBe(0);
    expect(sample(after.text, "dnscove_api_publish_duration_seconds_count", { trigger: "api" })).toBe(1);
    expect(sample(after.text, "dnscove_api_database_errors_total", { where: "request" })).toBe(0);
  });

  it("passes promtool check metrics", async () => {
    const { text } = await scrape(api, TOKEN);
    const result = await promtoolCheckMetrics(text);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("is scraped by a real Prometheus, which answers for a counter this test drove", async () => {
    const prometheus = await startPrometheus([
      { job: "dnscove-api", address: new URL(api.baseUrl).host, bearerToken: TOKEN },
    ]);
    try {
      const driven = 7;
      for (let i = 0; i < driven; i++) {
        expect((await rawRequest(api, "GET", "/api/zones", { token: session })).status).toBe(200);
      }
      const expr =
        'sum(dnscove_api_http_requests_total{job="dnscove-api",route="/api/zones",method="GET",status="200"})';
      await waitFor(
        `Prometheus to see ${driven} GET /api/zones (${expr})`,
        async () => ((await prometheus.query(expr)) ?? 0) >= driven,
        30_000,
      );
      expect(await prometheus.query('up{job="dnscove-api"}')).toBe(1);
    } finally {
      await prometheus.stop();
    }
  });
});
