import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { freePort } from "./helpers.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(packageDir, "../../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the real API started for this run, e.g. http://127.0.0.1:41234 */
    apiUrl: string;
  }
}

let api: ChildProcess | undefined;
let dataDir: string | undefined;
let log = "";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The lambda imports @dnscove/sdk from its dist; the API runs from its dist.
  const builds: string[] = [];
  if (!existsSync(apiMain)) builds.push("--filter", "@dnscove/api...");
  if (!existsSync(path.join(repoRoot, "packages/sdk/dist/index.js"))) builds.push("--filter", "@dnscove/sdk");
  if (builds.length > 0) {
    execFileSync("pnpm", [...builds, "build"], {
      cwd: repoRoot,
      stdio: "inherit",
      env: { ...process.env, npm_config_nodedir: "/usr" },
    });
  }

  dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-cfn-test-"));
  const port = await freePort();
  const dnsPort = await freePort();
  api = spawn(process.execPath, [apiMain], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      DNS_PORT: String(dnsPort),
      DNSCOVE_DATA_DIR: dataDir,
      DNSCOVE_PUBLISH_INTERVAL_MS: "200",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout?.on("data", (chunk) => (log += String(chunk)));
  api.stderr?.on("data", (chunk) => (log += String(chunk)));
  const apiUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode}):\n${log}`);
    try {
      const answer = await fetch(`${apiUrl}/api/zones`);
      if (answer.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not start at ${apiUrl}:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  project.provide("apiUrl", apiUrl);

  return async () => {
    const child = api;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
