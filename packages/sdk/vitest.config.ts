import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // The README test packs the SDK, installs it with npm and starts a real API.
    hookTimeout: 300_000,
  },
});
