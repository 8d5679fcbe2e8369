import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // examples/cdktf imports the package by name and lives outside this package's node_modules.
    alias: { "@dnscove/cdktf": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    // One copy of cdktf and constructs for src/, test/ and examples/ (resolved from here).
    dedupe: ["cdktf", "constructs"],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The provider package's setup: builds the provider, lays out a filesystem mirror and starts one
    // real API with a tenant-admin token (provides apiUrl, apiToken and cliConfig).
    globalSetup: ["../terraform-provider/test/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
