import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRET, loadConfig } from "./config.js";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const strongSecret = "s".repeat(48);

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

  it("makes the real server exit non-zero instead of starting insecurely in production", () => {
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: "0", DNSCOVE_DATA_DIR: "/nonexistent" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DNSCOVE_SECRET: must be set in production/);
    expect(result.stderr).toMatch(/SMTP_URL: must be set in production/);
  });
});
