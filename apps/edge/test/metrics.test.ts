/**
 * Issue 17: an edge's Prometheus metrics on its own port (EDGE_METRICS_PORT), summed over its
 * node:cluster workers by the primary, behind EDGE_METRICS_TOKEN. Real processes: the built API
 * (its /metrics behind DNSCOVE_METRICS_TOKEN) and a standalone edge with two workers on the API's
 * SQLite file, real dig queries, `promtool check metrics`, and a real Prometheus scraping both.
 */
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@dnscove/db";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import {
  dig,
  digStatus,
  freePort,
  promtoolCheckMetrics,
  type RunningProcess,
  startNodeProcess,
  startPrometheus,
  waitFor,
  waitForApi,
} from "@dnscove/testkit";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiMain = fileURLToPath(new URL("../../api/dist/src/main.js", import.meta.url));
const edgeMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const API_TOKEN = randomBytes(16).toString("hex");
const EDGE_TOKEN = randomBytes(16).toString("hex");

/** The sum of every sample of `name` whose labels include `labels` (a cluster sums its workers). */
function total(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) sum += Number(match[3]);
  }
  return sum;
}

describe("edge metrics (EDGE_WORKERS=2, sqlite)", () => {
  let dir: string;
  let api: RunningProcess;
  let edge: RunningProcess;
  let apiPort: number;
  let dnsPort: number;
  let metricsPort: number;
  let client: DnscoveClient;
  let zoneId: string;

  const scrape = async (token?: string) => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      text: await response.text(),
      type: response.headers.get("content-type"),
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-metrics-"));
    apiPort = await freePort();
    dnsPort = await freePort();
    metricsPort = await freePort();
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    api = startNodeProcess(apiMain, {
      PORT: String(apiPort),
      DNSCOVE_DATA_DIR: dir,
      DNSCOVE_EMBEDDED_EDGE: "false",
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
      DNSCOVE_METRICS_TOKEN: API_TOKEN,
    });
    await waitForApi(api, baseUrl, 90_000);
    edge = startNodeProcess(edgeMain, {
      DNSCOVE_DATA_DIR: dir,
      DNS_PORT: String(dnsPort),
      EDGE_ID: "edge-m",
      EDGE_WORKERS: "2",
      EDGE_POLL_INTERVAL_MS: "100",
      EDGE_METRICS_PORT: String(metricsPort),
      EDGE_METRICS_TOKEN: EDGE_TOKEN,
    });
    await waitFor(
      "the edge's workers and metrics listener",
      async () => /edge workers serving/.test(edge.output()) && /edge metrics listening/.test(edge.output()),
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; edge output:\n${edge.output()}`);
    });
    const anonymous = createClient({ baseUrl });
    const { data: link } = await anonymous.POST("/api/auth/magic-link", {
      body: { email: "m@example.test" },
    });
    const { data: session } = await anonymous.POST("/api/auth/exchange", {
      body: { token: link?.dev_token ?? "" },
    });
    client = createClient({ baseUrl, token: session?.token ?? "" });
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "metrics.example" } });
    zoneId = zone?.id ?? "";
    const zonePath = { params: { path: { id: zoneId } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...zonePath,
      body: { name: "www", type: "TXT", records: ['"hello"'] },
    });
    const { data: published } = await client.POST("/api/zones/{id}/publish", zonePath);
    expect(published?.published).toBe(true);
  }, 200_000);
  afterAll(async () => {
    await Promise.all([edge?.stop(), api?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("needs the bearer token: 401 without or with a wrong one, 200 with it", async () => {
    const without = await scrape();
    expect(without.status).toBe(401);
    expect(without.type).toContain("application/problem+json");
    expect(JSON.parse(without.text)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect((await scrape(`${EDGE_TOKEN}0`)).status).toBe(401);
    const ok = await scrape(EDGE_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.type).toContain("text/plain");
  });

  it("counts queries by qtype, rcode and transport over both workers, TCP connections and transfers", async () => {
    const before = (await scrape(EDGE_TOKEN)).text;
    const udp = 9;
    const tcp = 3;
    for (let i = 0; i < udp; i++)
      expect(digStatus(await dig(dnsPort, "www.metrics.example", "TXT"))).toBe("NOERROR");
    for (let i = 0; i < tcp; i++) {
      expect(digStatus(await dig(dnsPort, "nope.metrics.example", "TXT", "+tcp"))).toBe("NXDOMAIN");
    }
    expect(await dig(dnsPort, "metrics.example", "AXFR")).toContain("www.metrics.example.");
    const after = (await scrape(EDGE_TOKEN)).text;
    const delta = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    expect(delta("dnscove_edge_queries_total", { qtype: "TXT", rcode: "NOERROR", transport: "udp" })).toBe(
      udp,
    );
    expect(delta("dnscove_edge_queries_total", { qtype: "TXT", rcode: "NXDOMAIN", transport: "tcp" })).toBe(
      tcp,
    );
    expect(delta("dnscove_edge_queries_total", { qtype: "AXFR", rcode: "NOERROR", transport: "tcp" })).toBe(
      1,
    );
    expect(delta("dnscove_edge_transfers_total", { qtype: "AXFR", form: "axfr" })).toBe(1);
    expect(delta("dnscove_edge_tcp_connections_total", {})).toBe(tcp + 1);
    // Every worker serves the zone: the cluster reports one zone, not one per worker.
    expect(total(after, "dnscove_edge_zones_loaded", {})).toBe(1);
    expect(total(after, "dnscove_edge_rrsets_loaded", {})).toBeGreaterThanOrEqual(3);
    expect(total(after, "dnscove_edge_sync_lag_seconds", {})).toBeGreaterThanOrEqual(0);
  });

  it("counts UDP responses response rate limiting held back", async () => {
    const before = (await scrape(EDGE_TOKEN)).text;
    const flood = 600;
    const socket = createSocket("udp4");
    let received = 0;
    socket.on("message", () => {
      received++;
    });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    // One name from one address, far above EDGE_RRL_RATE (200/s over the workers) in well under a second.
    const query = dnsPacket.encode({
      type: "query",
      id: 7,
      flags: 0,
      questions: [{ type: "TXT", class: "IN", name: "www.metrics.example" }],
    });
    await Promise.all(
      Array.from(
        { length: flood },
        () => new Promise<void>((resolve) => socket.send(query, dnsPort, "127.0.0.1", () => resolve())),
      ),
    );
    // Every datagram the edge read (the kernel may drop some of a burst before that) is counted as
    // answered, then sent, sent truncated (slip) or dropped.
    let after = "";
    const delta = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    await waitFor(
      "the edge to limit the flood",
      async () => {
        after = (await scrape(EDGE_TOKEN)).text;
        return delta("dnscove_edge_rate_limited_total", { action: "drop" }) > 0;
      },
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; received ${received}; metrics:\n${after}`);
    });
    socket.close();
    const answered = delta("dnscove_edge_queries_total", { qtype: "TXT", transport: "udp" });
    const dropped = delta("dnscove_edge_rate_limited_total", { action: "drop" });
    expect(answered).toBeLessThanOrEqual(flood);
    expect(dropped).toBeLessThan(answered);
    expect(received).toBeLessThan(flood);
  });

  it("passes promtool check metrics, the edge's and the API's", async () => {
    const edgeCheck = await promtoolCheckMetrics((await scrape(EDGE_TOKEN)).text);
    expect(edgeCheck.output).toBe("");
    expect(edgeCheck.code).toBe(0);
    const apiText = await (
      await fetch(`http://127.0.0.1:${apiPort}/metrics`, {
        headers: { Authorization: `Bearer ${API_TOKEN}` },
      })
    ).text();
    const apiCheck = await promtoolCheckMetrics(apiText);
    expect(apiCheck.output).toBe("");
    expect(apiCheck.code).toBe(0);
  });

  it("is scraped with the API by a real Prometheus, which answers for the queries this test sent", async () => {
    const prometheus = await startPrometheus([
      { job: "dnscove-api", address: `127.0.0.1:${apiPort}`, bearerToken: API_TOKEN },
      { job: "dnscove-edge", address: `127.0.0.1:${metricsPort}`, bearerToken: EDGE_TOKEN },
    ]);
    try {
      const start = total((await scrape(EDGE_TOKEN)).text, "dnscove_edge_queries_total", {
        qtype: "MX",
        transport: "udp",
      });
      const driven = 5;
      for (let i = 0; i < driven; i++) await dig(dnsPort, "metrics.example", "MX");
      const expr = 'sum(dnscove_edge_queries_total{job="dnscove-edge",qtype="MX",transport="udp"})';
      await waitFor(
        `Prometheus to see ${driven} MX queries (${expr})`,
        async () => ((await prometheus.query(expr)) ?? 0) >= start + driven,
        60_000,
      );
      expect(await prometheus.query(expr)).toBe(start + driven);
      await waitFor(
        "Prometheus to scrape the API with its token",
        async () => (await prometheus.query('up{job="dnscove-api"}')) === 1,
        60_000,
      );
      expect(
        await prometheus.query(
          'sum(dnscove_api_http_requests_total{job="dnscove-api",route="/api/zones/:id/publish"})',
        ),
      ).toBe(1);
    } finally {
      await prometheus.stop();
    }
  }, 120_000);

  // Runs last here: it publishes again (the Prometheus case counts exactly one publish).
  it("reports a zone it cannot catch up as behind, by zones and by serials, and 0 once it serves it", async () => {
    const lag = async () => {
      const text = (await scrape(EDGE_TOKEN)).text;
      return {
        zones: total(text, "dnscove_edge_zones_behind", {}),
        serials: total(text, "dnscove_edge_serial_lag", {}),
      };
    };
    expect(await lag()).toEqual({ zones: 0, serials: 0 });
    const zonePath = { params: { path: { id: zoneId } } };
    const soaSerial = async () =>
      Number((await dig(dnsPort, "metrics.example", "SOA", "+short")).trim().split(/\s+/)[2]);
    const served = await soaSerial();
    const written = await client.POST("/api/zones/{id}/rrsets", {
      ...zonePath,
      body: { name: "lag", type: "TXT", records: ['"caught up"'] },
    });
    expect(written.error).toBeUndefined();
    // The edges apply a publish as the journal rows after the serial they serve
    // (catch-up-zone.ts). Made unreadable before the publish, this write's row is a diff the
    // edge's workers cannot apply: each poll still reaches the database ("succeeds", so the
    // seconds metric stays low) but leaves the zone at its old serial.
    const { db, close } = await openDatabase(
      { provider: "sqlite", location: path.join(dir, "dnscove.db") },
      { migrate: false },
    );
    try {
      const { serial } = await db.zone.findUniqueOrThrow({ where: { id: zoneId }, select: { serial: true } });
      const [row] = await db.$queryRaw<{ records: string }[]>`
        SELECT "after_records" AS "records" FROM "zone_changes" WHERE "zone_id" = ${zoneId} AND "serial" = ${serial}`;
      expect(row?.records).toContain("caught up");
      await db.$executeRaw`
        UPDATE "zone_changes" SET "after_records" = 'not JSON' WHERE "zone_id" = ${zoneId} AND "serial" = ${serial}`;
      const publishing = client.POST("/api/zones/{id}/publish", zonePath);
      let seen = { zones: -1, serials: -1 };
      await waitFor(
        "the edge to report the zone behind",
        async () => {
          seen = await lag();
          return seen.zones === 1;
        },
        30_000,
      );
      // One write published that the edge does not serve: one serial behind.
      expect(seen).toEqual({ zones: 1, serials: serial - served });
      expect(serial - served).toBe(1);
      expect(await soaSerial()).toBe(served);
      // The API sees the same thing: the publish is committed but no edge confirms it.
      const { data: stuck } = await publishing;
      expect(stuck?.serial).toBe(serial);
      expect(stuck?.published).toBe(false);
      expect(stuck?.publish_error).toContain("edge-m");
      expect(await lag()).toEqual({ zones: 1, serials: 1 });

      // Readable again: the next poll applies it, and both gauges return to 0.
      await db.$executeRaw`
        UPDATE "zone_changes" SET "after_records" = ${row?.records ?? ""} WHERE "zone_id" = ${zoneId} AND "serial" = ${serial}`;
      await waitFor(
        "the edge to catch up",
        async () => {
          seen = await lag();
          return seen.zones === 0;
        },
        30_000,
      );
      expect(seen).toEqual({ zones: 0, serials: 0 });
      expect(await soaSerial()).toBe(serial);
      expect((await dig(dnsPort, "lag.metrics.example", "TXT", "+short")).trim()).toBe('"caught up"');
    } finally {
      await close();
    }
  }, 120_000);
});

/**
 * The embedded default (`pnpm start`): the API process is the workers' primary, so EDGE_METRICS_PORT
 * set on the API serves the edge's metrics; without tokens both endpoints are open.
 */
describe("edge metrics in the embedded default (sqlite)", () => {
  let dir: string;
  let api: RunningProcess;
  let apiPort: number;
  let dnsPort: number;
  let metricsPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-metrics-embedded-"));
    apiPort = await freePort();
    dnsPort = await freePort();
    metricsPort = await freePort();
    api = startNodeProcess(apiMain, {
      PORT: String(apiPort),
      DNSCOVE_DATA_DIR: dir,
      DNS_PORT: String(dnsPort),
      EDGE_METRICS_PORT: String(metricsPort),
    });
    await waitForApi(api, `http://127.0.0.1:${apiPort}`, 90_000);
    await waitFor(
      "the embedded edge's metrics listener",
      async () => /edge metrics listening/.test(api.output()),
      90_000,
    );
  }, 200_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the workers' counts from the API process, open without a token", async () => {
    expect(digStatus(await dig(dnsPort, "not-hosted.example", "SOA"))).toBe("REFUSED");
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(
      total(text, "dnscove_edge_queries_total", { qtype: "SOA", rcode: "REFUSED", transport: "udp" }),
    ).toBe(1);
    expect((await fetch(`http://127.0.0.1:${apiPort}/metrics`)).status).toBe(200);
  });
});
