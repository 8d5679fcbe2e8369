import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "@dnscove/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { apiUrl, signIn, testConfigHome, uniqueEmail } from "./helpers.js";

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prefix = mkdtempSync(path.join(tmpdir(), "dnscove-cli-global-"));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

describe("installing the dnscove command", () => {
  it("links a committed, executable bin that exists before any build (no 'Failed to create bin')", async () => {
    const manifest = JSON.parse(readFileSync(path.join(cliDir, "package.json"), "utf8"));
    expect(manifest.bin).toEqual({ dnscove: "./bin/dnscove.js" });
    expect(manifest.files).toContain("bin");
    const tracked = await runCommand("git", ["ls-files", "-s", "bin/dnscove.js"], { cwd: cliDir });
    expect(tracked.stdout).toMatch(/^100755 [0-9a-f]+ 0\tbin\/dnscove\.js\n$/);
  });

  it("`npm install -g ./packages/cli` puts dnscove on PATH, and --json through it is clean JSON", async () => {
    // The README's command, with a private prefix instead of the machine's global one.
    const install = await runCommand(
      "npm",
      ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", cliDir],
      { timeoutMs: 240_000 },
    );
    expect({ code: install.code, stderr: install.stderr }).toMatchObject({ code: 0 });

    const session = await signIn(uniqueEmail("install"));
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.join(prefix, "bin")}:${process.env.PATH}`,
      HOME: process.env.HOME,
      XDG_CONFIG_HOME: testConfigHome,
      DNSCOVE_API: apiUrl(),
      DNSCOVE_TOKEN: session,
    };
    const which = await runCommand("sh", ["-c", "command -v dnscove"], { env });
    expect(which.stdout.trim()).toBe(path.join(prefix, "bin", "dnscove"));

    const list = await runCommand("dnscove", ["zones", "list", "--json"], { env });
    expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(list.stdout)).toEqual({ zones: [] });
  });
});
