import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadEdgeConfig } from "@dnscove/edge";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRET, loadConfig } from "./config.js";
import { DEVELOPMENT_MAGIC_LINK_LIMITS, domainSettings, MAGIC_LINK_LIMITS } from "./settings.js";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const strongSecret = "s".repeat(48);

/** Runs the built server with `env` and resolves with how it exited (never blocking the loop). */
async function runMain(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stderr: failed.stderr ?? "" };
  }
}

describe("configuration", () => {
  it("defaults to the embedded SQLite database under ./data, port 8080", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toMatch(/data\/dnscove\.db$/);
    expect(config.secret).toBe(DEVELOPMENT_SECRET);
    expect(config.nameservers).toEqual(["ns1.dnscove.com.", "ns2.dnscove.com."]);
  });

  it("agrees with the edge on LOG_LEVEL, DNSCOVE_DATA_DIR and DATABASE_URL (one definition)", () => {
    for (const env of [
      {},
      { DNSCOVE_DATA_DIR: "/srv/dnscove", LOG_LEVEL: "debug" },
      { DATABASE_URL: "file:x.db" },
    ]) {
      const api = loadConfig(env);
      const edge = loadEdgeConfig(env, "embedded");
      expect([api.dataDir, api.databaseUrl, api.logLevel]).toEqual([
        edge.dataDir,
        edge.databaseUrl,
        edge.logLevel,
      ]);
    }
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("leaves /metrics open unless DNSCOVE_METRICS_TOKEN is set; a short token stops startup", () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ DNSCOVE_METRICS_TOKEN: "0123456789abcdef" }).metricsToken).toBe("0123456789abcdef");
    expect(() => loadConfig({ DNSCOVE_METRICS_TOKEN: "short" })).toThrow(/DNSCOVE_METRICS_TOKEN/);
  });

  it("points sign-in links at the address it listens on unless DNSCOVE_PUBLIC_URL says otherwise", () => {
    expect(loadConfig({}).publicUrl).toBe("http://127.0.0.1:8080");
    expect(loadConfig({ PORT: "7101" }).publicUrl).toBe("http://127.0.0.1:7101");
    expect(loadConfig({ HOST: "0.0.0.0", PORT: "7101" }).publicUrl).toBe("http://127.0.0.1:7101");
    expect(loadConfig({ HOST: "::", PORT: "7101" }).publicUrl).toBe("http://[::1]:7101");
    expect(loadConfig({ DNSCOVE_PUBLIC_URL: "https://dns.example.com/" }).publicUrl).toBe(
      "https://dns.example.com",
    );
  });

  it("relaxes the sign-in limits only with the development mailer; explicit settings win", () => {
    const limits = (env: Record<string, string>) => {
      const { magicLinkPerClient, magicLinkPerAddress } = domainSettings(loadConfig(env)).rateLimits;
      return [magicLinkPerClient.limit, magicLinkPerAddress.limit, magicLinkPerAddress.windowSeconds];
    };
    const production = {
      NODE_ENV: "production",
      DNSCOVE_SECRET: strongSecret,
      SMTP_URL: "smtp://127.0.0.1:25",
    };
    expect(limits(production)).toEqual([30, 5, 900]);
    expect(limits({ SMTP_URL: "smtp://127.0.0.1:25" })).toEqual([30, 5, 900]);
    expect(limits({})).toEqual([1000, 1000, 900]);
    expect(limits({ DNSCOVE_MAGIC_LINKS_PER_ADDRESS: "2" })).toEqual([1000, 2, 900]);
    expect(limits({ ...production, DNSCOVE_MAGIC_LINKS_PER_CLIENT: "50" })).toEqual([50, 5, 900]);
    expect(MAGIC_LINK_LIMITS.windowSeconds).toBe(DEVELOPMENT_MAGIC_LINK_LIMITS.windowSeconds);
  });

  it("serves the console only from a folder that holds index.html (DNSCOVE_CONSOLE_DIR)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dnscove-console-"));
    try {
      expect(loadConfig({ DNSCOVE_CONSOLE_DIR: dir }).consoleDir).toBeUndefined();
      writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
      expect(loadConfig({ DNSCOVE_CONSOLE_DIR: dir }).consoleDir).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports every invalid variable at once", () => {
    expect(() => loadConfig({ PORT: "http", DNSCOVE_SECRET: "short" })).toThrow(/PORT[\s\S]*DNSCOVE_SECRET/);
  });

  it("refuses production on the development mailer or the default secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:25" })).toThrow(
      /DNSCOVE_SECRET/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", DNSCOVE_SECRET: strongSecret })).toThrow(/SMTP_URL/);
    expect(
      loadConfig({ NODE_ENV: "production", DNSCOVE_SECRET: strongSecret, SMTP_URL: "smtp://127.0.0.1:25" })
        .production,
    ).toBe(true);
  });

  it("makes the real server exit non-zero instead of starting insecurely in production", async () => {
    const result = await runMain({ NODE_ENV: "production", PORT: "0", DNSCOVE_DATA_DIR: "/nonexistent" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DNSCOVE_SECRET: must be set in production/);
    expect(result.stderr).toMatch(/SMTP_URL: must be set in production/);
  });

  it("trusts no proxy by default and parses DNSCOVE_TRUST_PROXY", () => {
    expect(loadConfig({}).trustProxy).toEqual({ hops: 0, ranges: [] });
    expect(loadConfig({ DNSCOVE_TRUST_PROXY: "10.0.0.0/8,1" }).trustProxy).toEqual({
      hops: 1,
      ranges: ["10.0.0.0/8"],
    });
  });

  it("keeps idle connections 65 s by default, longer than a load balancer's idle timeout", () => {
    expect(loadConfig({}).httpKeepAliveMs).toBe(65_000);
    expect(loadConfig({ DNSCOVE_HTTP_KEEPALIVE_MS: "620000" }).httpKeepAliveMs).toBe(620_000);
    expect(() => loadConfig({ DNSCOVE_HTTP_KEEPALIVE_MS: "10" })).toThrow(/DNSCOVE_HTTP_KEEPALIVE_MS/);
  });

  it("refuses to start on an invalid DNSCOVE_TRUST_PROXY, naming the bad item", async () => {
    expect(() => loadConfig({ DNSCOVE_TRUST_PROXY: "10.0.0.0/8,lb.internal" })).toThrow(
      /DNSCOVE_TRUST_PROXY: "lb.internal" is not an IP address/,
    );
    const result = await runMain({
      PORT: "0",
      DNSCOVE_TRUST_PROXY: "true",
      DNSCOVE_DATA_DIR: "/nonexistent",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /invalid configuration:\n {2}DNSCOVE_TRUST_PROXY: "true" would let every caller/,
    );
  });
});
