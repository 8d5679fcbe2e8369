import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiProcess, freePort, startApiProcess } from "@dnscove/testkit";
import type { TestProject } from "vitest/node";

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(cliDir, "../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the API started for this run, e.g. http://127.0.0.1:41234 */
    apiUrl: string;
  }
}

export { freePort };

function pnpm(args: string[]): void {
  execFileSync("pnpm", args, {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, npm_config_nodedir: "/usr" },
  });
}

let api: ApiProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests run the real CLI from dist: build what it and the API need, then the CLI itself.
  if (!existsSync(apiMain)) pnpm(["--filter", "@dnscove/api...", "build"]);
  if (!existsSync(path.join(repoRoot, "packages/sdk/dist/index.js")))
    pnpm(["--filter", "@dnscove/sdk", "build"]);
  pnpm(["--filter", "@dnscove/cli", "build"]);

  api = await startApiProcess(apiMain);
  const apiUrl = api.url;
  project.provide("apiUrl", apiUrl);

  return async () => {
    await api?.stop();
  };
}
