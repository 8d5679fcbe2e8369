import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "runner/**/*.test.ts"],
    // Generous: a guide that hangs is killed at its own timeout (840 s) first; under load a guide
    // has taken 250 s. One guide at a time: each starts its own API and builds in its own copy of the repository,
    // and the machine may have only two cores.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});
