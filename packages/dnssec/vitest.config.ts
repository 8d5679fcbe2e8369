import { defineConfig } from "vitest/config";

// Generous timeouts: CI machines are shared, and a slow run is not a failure of behaviour.
export default defineConfig({
  test: { include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 60_000 },
});
