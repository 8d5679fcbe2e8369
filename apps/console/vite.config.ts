import { DEFAULT_BASE_URL } from "@dnscove/sdk";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development, `vite` proxies /api to a locally running API (pnpm --filter @dnscove/api start).
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": process.env.DNSCOVE_API ?? DEFAULT_BASE_URL } },
});
