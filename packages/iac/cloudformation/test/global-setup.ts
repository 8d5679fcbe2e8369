import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import type { TestProject } from "vitest/node";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(packageDir, "../../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the real API started for this run, e.g. http://127.0.0.1:41234 */
    apiUrl: string;
  }
}

let api: ApiProcess | undefined;

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

  api = await startApiProcess(apiMain);
  const apiUrl = api.url;
  project.provide("apiUrl", apiUrl);

  return async () => {
    await api?.stop();
  };
}
