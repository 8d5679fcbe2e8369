#!/usr/bin/env node
// Builds the provider as one self-contained file using Node.js Single Executable Applications
// (node:sea): no node, node_modules or proto/ directory is needed next to it.
//
//   node scripts/build-executable.mjs [outFile]   (default: <package>/dist/terraform-provider-dnscove)
//
// Steps: (1) esbuild bundles dist/main.js and every dependency into one CommonJS file, with the
// protocol definitions already parsed (bundle.mjs), (2) `node --experimental-sea-config` turns the
// bundle into a preparation blob, (3) the running node binary (process.execPath) is copied and the blob injected with postject.
// Run `pnpm build` first. The result runs on the same OS/arch as the node that built it.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/**
 * server.ts computes PROTO_DIR from import.meta.url at load; in the bundle the protocol definitions
 * are already parsed (bundle.mjs defines __DNSCOVE_PROTO_JSON__), so this URL is never read from.
 */
const SEA_META_URL = "file:///__dnscove_sea__/dist/protocol/server.js";

export async function buildExecutable(outFile = path.join(packageDir, "dist", "terraform-provider-dnscove")) {
  const mainJs = path.join(packageDir, "dist", "main.js");
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run the build first`);
  const workDir = path.join(packageDir, "dist", "sea");
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  // 1. One CommonJS file (SEA runs CommonJS only and its require() only loads built-ins).
  const esbuild = await import("esbuild");
  const { bundleOptions } = await import("./bundle.mjs");
  const bundle = path.join(workDir, "bundle.cjs");
  const options = await bundleOptions(bundle);
  const result = await esbuild.build({
    ...options,
    define: { ...options.define, "import.meta.url": "__dnscoveSeaMetaUrl" },
    banner: { js: `"use strict";\nvar __dnscoveSeaMetaUrl = ${JSON.stringify(SEA_META_URL)};` },
  });
  if (result.errors.length > 0) throw new Error("esbuild failed");

  // 2. The SEA preparation blob.
  const blob = path.join(workDir, "sea-prep.blob");
  const seaConfig = path.join(workDir, "sea-config.json");
  writeFileSync(
    seaConfig,
    `${JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }, null, 2)}\n`,
  );
  execFileSync(process.execPath, ["--experimental-sea-config", seaConfig], {
    cwd: workDir,
    stdio: "inherit",
  });

  // 3. A copy of this node with the blob injected.
  mkdirSync(path.dirname(outFile), { recursive: true });
  rmSync(outFile, { force: true });
  copyFileSync(process.execPath, outFile);
  chmodSync(outFile, 0o755);
  const postject = path.join(path.dirname(require.resolve("postject/package.json")), "dist", "cli.js");
  const args = [
    postject,
    outFile,
    "NODE_SEA_BLOB",
    blob,
    "--sentinel-fuse",
    "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ];
  if (process.platform === "darwin") args.push("--macho-segment-name", "NODE_SEA");
  // postject prints harmless "Can't find string offset for section name" warnings for node's ELF
  // notes: only show its output when it fails.
  const injected = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (injected.status !== 0)
    throw new Error(`postject failed (${injected.status}):\n${injected.stdout}${injected.stderr}`);
  if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", outFile], { stdio: "inherit" });
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildExecutable(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`${out}\n`);
}
