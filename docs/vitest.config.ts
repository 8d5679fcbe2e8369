import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "runner/**/*.test.ts"],
    // One guide at a time: each starts its own API and builds in its own copy of the repository,
    // and the machine may have only two cores.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
