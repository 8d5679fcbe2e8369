import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startApiProcess } from "@dnscove/testkit";
import type { TestProject } from "vitest/node";
import { signIn } from "./api.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    apiToken: string;
    /** TF_CLI_CONFIG_FILE pointing at a filesystem_mirror with the freshly built provider. */
    cliConfig: string;
  }
}

/**
 * Lays out a filesystem mirror with the provider as built (turbo builds it, the SDK, the dns
 * package and the API before `test`: turbo.json) and starts one real API with a tenant-admin token.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mirrorRoot = mkdtempSync(path.join(tmpdir(), "dnscove-tf-mirror-"));
  const { makeMirror } = (await import(path.join(packageDir, "scripts/make-mirror.mjs"))) as {
    makeMirror: (out: string) => Promise<{ mirrorDir: string; cliConfig: string }>;
  };
  const { cliConfig } = await makeMirror(mirrorRoot);
  const api = await startApiProcess();
  try {
    project.provide("apiUrl", api.url);
    project.provide("apiToken", await signIn(api.url));
    project.provide("cliConfig", cliConfig);
  } catch (error) {
    await api.stop();
    rmSync(mirrorRoot, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await api.stop();
    rmSync(mirrorRoot, { recursive: true, force: true });
  };
}
