import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRET, loadConfig } from "./config.js";

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
