import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Starts one real API (with its embedded edge) on loopback for every test file.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    // The handler logs every request and response (CloudWatch); show that only for failed tests.
    silent: "passed-only",
    hookTimeout: 120_000,
  },
});
