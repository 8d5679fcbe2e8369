import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEdgeConfig } from "../src/config.js";
import { DEFAULT_DATA_DIR, ProcessEnv, processSettings } from "../src/process-env.js";
import { DEFAULT_ANSWER_CACHE_BYTES, DEFAULT_ANSWER_CACHE_ENTRIES } from "../src/server/answer-cache.js";

describe("edge configuration (zod, like the API's)", () => {
  it("keeps every documented default", () => {
    const config = loadEdgeConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 5353,
      pollIntervalMs: 200,
      transfer: { allow: ["127.0.0.0/8", "::1"], tsigKeys: [], requireTsig: false },
      secondaries: [],
      tcp: {
        maxConnections: 1000,
        maxPerSource: 20,
        messageTimeoutMs: 5000,
        idleTimeoutMs: 10_000,
        maxInflight: 16,
        maxWriteBuffer: 256 * 1024,
        messagesPerTurn: 8,
      },
      rrl: { rate: 200, slip: 2, ipv4PrefixLength: 24, ipv6PrefixLength: 56, maxEntries: 100_000 },
      answerCache: { maxEntries: DEFAULT_ANSWER_CACHE_ENTRIES, maxBytes: DEFAULT_ANSWER_CACHE_BYTES },
      workers: 1,
      refreshTimeoutMs: 5000,
      dbBusyTimeoutMs: 20,
      logLevel: "info",
      dataDir: path.resolve(DEFAULT_DATA_DIR),
      databaseUrl: `file:${path.resolve("data", "dnscove.db")}`,
    });
    expect(config.edgeId).toMatch(/:5353$/);
    expect(config.health).toBeUndefined();
    expect(config.workerIndex).toBeUndefined();
    expect(config.recordViaPrimary).toBeUndefined();
  });

  it("reads the shared settings through loadEdgeConfig, with the API's defaults", () => {
    const config = loadEdgeConfig({ LOG_LEVEL: "warn", DNSCOVE_DATA_DIR: "/srv/dnscove" });
    expect(config).toMatchObject({ logLevel: "warn", dataDir: "/srv/dnscove" });
    expect(config.databaseUrl).toBe("file:/srv/dnscove/dnscove.db");
    const postgres = "postgres://edge@127.0.0.1:5432/dnscove";
    expect(loadEdgeConfig({ DATABASE_URL: postgres }).databaseUrl).toBe(postgres);
    // One definition: the same function the API's config uses (apps/api/src/config.ts).
    expect(processSettings(ProcessEnv.parse({}))).toEqual({
      logLevel: "info",
      dataDir: path.resolve("data"),
      databaseUrl: `file:${path.resolve("data", "dnscove.db")}`,
    });
  });

  it("reports every invalid variable at once, by name", () => {
    const problem = (() => {
      try {
        loadEdgeConfig({ DNS_PORT: "53x", EDGE_RRL_SLIP: "11", LOG_LEVEL: "loud", EDGE_WORKERS: "0" });
      } catch (error) {
        return (error as Error).message;
      }
      return "no error";
    })();
    expect(problem).toMatch(/^invalid configuration:\n/);
    for (const name of ["DNS_PORT", "EDGE_RRL_SLIP", "LOG_LEVEL", "EDGE_WORKERS"])
      expect(problem).toContain(`  ${name}: `);
    expect(problem).toContain("EDGE_RRL_SLIP: must be an integer from 0 to 10");
  });

  it("refuses fractions, negative numbers and misspelt flags instead of guessing", () => {
    expect(() => loadEdgeConfig({ EDGE_POLL_INTERVAL_MS: "2.5" })).toThrow(/EDGE_POLL_INTERVAL_MS/);
    expect(() => loadEdgeConfig({ EDGE_TCP_MAX_INFLIGHT: "-1" })).toThrow(/EDGE_TCP_MAX_INFLIGHT/);
    expect(() => loadEdgeConfig({ DNSCOVE_TRANSFER_REQUIRE_TSIG: "yes" })).toThrow(
      /DNSCOVE_TRANSFER_REQUIRE_TSIG/,
    );
    expect(loadEdgeConfig({ DNSCOVE_TRANSFER_REQUIRE_TSIG: "true" }).transfer.requireTsig).toBe(true);
  });

  it("parses TSIG keys and secondaries, naming a bad entry", () => {
    const config = loadEdgeConfig({
      DNSCOVE_TSIG_KEYS: "xfr:c2VjcmV0",
      DNSCOVE_SECONDARIES: "127.0.0.1:5300:xfr, [::1]:5301",
    });
    expect(config.transfer.tsigKeys).toEqual([{ name: "xfr", algorithm: "hmac-sha256", secret: "c2VjcmV0" }]);
    expect(config.secondaries).toEqual([
      { host: "127.0.0.1", port: 5300, tsigKey: config.transfer.tsigKeys[0] },
      { host: "::1", port: 5301 },
    ]);
    expect(() => loadEdgeConfig({ DNSCOVE_TSIG_KEYS: "nocolon" })).toThrow(/DNSCOVE_TSIG_KEYS: "nocolon…"/);
    expect(() => loadEdgeConfig({ DNSCOVE_SECONDARIES: "127.0.0.1:5300:nokey" })).toThrow(
      /no TSIG key named nokey/,
    );
    expect(() => loadEdgeConfig({ DNSCOVE_SECONDARIES: "127.0.0.1:99999" })).toThrow(/DNSCOVE_SECONDARIES/);
  });

  it("starts one worker by default, every core only for a standalone production edge", () => {
    expect(loadEdgeConfig({ NODE_ENV: "production" }, "embedded").workers).toBe(1);
    expect(loadEdgeConfig({ NODE_ENV: "production" }, "standalone").workers).toBeGreaterThanOrEqual(1);
    expect(loadEdgeConfig({ EDGE_WORKERS: "3" }, "embedded").workers).toBe(3);
  });

  it("serves health only when EDGE_HEALTH_PORT is set (0 picks a port)", () => {
    expect(loadEdgeConfig({ EDGE_HEALTH_PORT: "" }).health).toBeUndefined();
    expect(loadEdgeConfig({ EDGE_HEALTH_PORT: "0" }).health).toEqual({ host: "127.0.0.1", port: 0 });
    expect(loadEdgeConfig({ EDGE_HEALTH_PORT: "9100", EDGE_HEALTH_HOST: "::1" }).health).toEqual({
      host: "::1",
      port: 9100,
    });
  });

  it("serves metrics only when EDGE_METRICS_PORT is set; a token shorter than 16 characters stops startup", () => {
    expect(loadEdgeConfig({}).metrics).toBeUndefined();
    expect(loadEdgeConfig({ EDGE_METRICS_PORT: "9153" }).metrics).toEqual({ host: "127.0.0.1", port: 9153 });
    const token = "0123456789abcdef";
    expect(
      loadEdgeConfig({ EDGE_METRICS_PORT: "0", EDGE_METRICS_HOST: "::1", EDGE_METRICS_TOKEN: token }).metrics,
    ).toEqual({ host: "::1", port: 0, token });
    expect(() => loadEdgeConfig({ EDGE_METRICS_PORT: "9153", EDGE_METRICS_TOKEN: "short" })).toThrow(
      /EDGE_METRICS_TOKEN/,
    );
  });

  it("takes a cluster worker's index and recording mode from its primary", () => {
    const worker = loadEdgeConfig({
      DNSCOVE_EDGE_WORKER_INDEX: "2",
      DNSCOVE_EDGE_RECORD_VIA_PRIMARY: "true",
    });
    expect(worker.workerIndex).toBe(2);
    expect(worker.recordViaPrimary).toBe(true);
  });
});
