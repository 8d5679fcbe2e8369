import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // examples/cdk imports the package by name and lives outside this package's node_modules.
    alias: { "@dnscove/cdk": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    // One copy of aws-cdk-lib and constructs for src/, test/ and examples/ (resolved from here).
    dedupe: ["aws-cdk-lib", "constructs"],
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
