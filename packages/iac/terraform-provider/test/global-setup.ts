import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { type RunningApi, startApi } from "./api.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(packageDir, "../../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    apiToken: string;
    /** TF_CLI_CONFIG_FILE pointing at a filesystem_mirror with the freshly built provider. */
    cliConfig: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const builds: string[] = [];
  if (!existsSync(apiMain)) builds.push("--filter", "@dnscove/api...");
  for (const dep of ["sdk", "dns"]) {
    if (!existsSync(path.join(repoRoot, `packages/${dep}/dist/index.js`)))
      builds.push("--filter", `@dnscove/${dep}`);
  }
  if (builds.length > 0) {
    execFileSync("pnpm", [...builds, "build"], {
      cwd: repoRoot,
      stdio: "inherit",
      env: { ...process.env, npm_config_nodedir: "/usr" },
    });
  }
  // Always test the provider as built from the current sources.
  execFileSync(
    process.execPath,
    [path.join(packageDir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
    {
      cwd: packageDir,
      stdio: "inherit",
    },
  );
  const mirrorRoot = mkdtempSync(path.join(tmpdir(), "dnscove-tf-mirror-"));
  const { makeMirror } = (await import(path.join(packageDir, "scripts/make-mirror.mjs"))) as {
    makeMirror: (out: string) => Promise<{ mirrorDir: string; cliConfig: string }>;
  };
  const { cliConfig } = await makeMirror(mirrorRoot);

  const api: RunningApi = await startApi(apiMain);
  project.provide("apiUrl", api.url);
  project.provide("apiToken", api.token);
  project.provide("cliConfig", cliConfig);
  return async () => {
    await api.stop();
    rmSync(mirrorRoot, { recursive: true, force: true });
  };
}
