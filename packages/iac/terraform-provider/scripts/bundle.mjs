#!/usr/bin/env node
// Bundles dist/main.js and its dependencies into one CommonJS file, dist/bundle/provider.cjs,
// which the filesystem mirror's launcher runs, with the .proto descriptors pre-parsed. Terraform
// starts the provider three times per plan, and loading one pre-linked file instead of a few
// hundred modules (grpc-js, protobufjs, the SDK) is most of what a start costs: see
// docs/benchmarks.md "Terraform provider start-up".
//
//   node scripts/bundle.mjs        (run by `pnpm build` after tsc, and by make-mirror.mjs)

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
export const BUNDLE = path.join(packageDir, "dist", "bundle", "provider.cjs");

/**
 * proto/*.proto parsed now, as protobufjs JSON, for server.ts's `protoLoader.fromJSON` (the same
 * files and parse options as its loadSync fallback).
 */
async function protoJson() {
  const { PROTO_FILES, PROTO_OPTIONS } = await import("../dist/protocol/server.js");
  const { loadProtosWithOptionsSync } = require("@grpc/proto-loader/build/src/util.js");
  const root = loadProtosWithOptionsSync(PROTO_FILES, {
    ...PROTO_OPTIONS,
    includeDirs: [path.join(packageDir, "proto")],
  });
  return JSON.stringify(root.toJSON());
}

/** esbuild options shared with build-executable.mjs (the single-file executable). */
export async function bundleOptions(outfile) {
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
    define: { __DNSCOVE_PROTO_JSON__: JSON.stringify(await protoJson()) },
  };
}

/**
 * server.ts finds proto/ at `<dir of import.meta.url>/../../proto` when it has no descriptors;
 * the bundle sits two levels below the package as well (dist/bundle/), so its own URL keeps
 * that path right.
 */
export async function bundleProvider(outfile = BUNDLE) {
  const options = await bundleOptions(outfile);
  buildSync({
    ...options,
    define: { ...options.define, "import.meta.url": "__dnscoveBundleUrl" },
    banner: { js: '"use strict";\nvar __dnscoveBundleUrl = require("url").pathToFileURL(__filename).href;' },
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await bundleProvider()}\n`);
}
