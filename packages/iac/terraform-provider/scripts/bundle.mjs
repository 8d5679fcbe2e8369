#!/usr/bin/env node
import path from "node:path";
import { fileURLToPath } from "node:url";
// Bundles dist/main.js and its dependencies into one CommonJS file, dist/bundle/provider.cjs,
// which the filesystem mirror's launcher runs. Terraform starts the provider three times per
// plan, and loading one pre-linked file instead of ~400 modules (grpc-js, protobufjs, the SDK)
// is most of what a start costs: see docs/benchmarks.md "Terraform provider start-up".
//
//   node scripts/bundle.mjs        (run by `pnpm build` after tsc, and by make-mirror.mjs)
import { buildSync } from "esbuild";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE = path.join(packageDir, "dist", "bundle", "provider.cjs");

/** esbuild options shared with build-executable.mjs (which inlines the protos as well). */
export function bundleOptions(outfile) {
  return {
    entryPoints: [path.join(packageDir, "dist", "main.js")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    legalComments: "none",
    logLevel: "warning",
    logOverride: { "direct-eval": "silent" },
  };
}

/**
 * server.ts finds proto/ at `<dir of import.meta.url>/../../proto`; the bundle sits two levels
 * below the package as well (dist/bundle/), so its own URL keeps that path right.
 */
export function bundleProvider(outfile = BUNDLE) {
  buildSync({
    ...bundleOptions(outfile),
    define: { "import.meta.url": "__dnscoveBundleUrl" },
    banner: { js: '"use strict";\nvar __dnscoveBundleUrl = require("url").pathToFileURL(__filename).href;' },
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${bundleProvider()}\n`);
}
