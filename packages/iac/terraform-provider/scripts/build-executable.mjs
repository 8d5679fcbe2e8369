#!/usr/bin/env node
// Builds the provider as one self-contained file using Node.js Single Executable Applications
// (node:sea): no node, node_modules or proto/ directory is needed next to it.
//
//   node scripts/build-executable.mjs [outFile]   (default: <package>/dist/terraform-provider-dnscove)
//
// Steps: (1) esbuild bundles dist/main.js and every dependency into one CommonJS file; the .proto
// files server.ts loads at runtime are inlined into that bundle and served from memory through a
// tiny fs shim, (2) `node --experimental-sea-config` turns the bundle into a preparation blob,
// (3) the running node binary (process.execPath) is copied and the blob injected with postject.
// Run `pnpm build` first. The result runs on the same OS/arch as the node that built it.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** A virtual directory: server.ts computes PROTO_DIR as `<dir of import.meta.url>/../../proto`. */
const VIRTUAL_ROOT = "/__dnscove_sea__";
const VIRTUAL_MAIN = `${VIRTUAL_ROOT}/dist/protocol/server.js`;
const VIRTUAL_PROTO_DIR = `${VIRTUAL_ROOT}/proto`;

function banner(protos) {
  // Runs before any bundled module: makes fs.readFileSync/accessSync/existsSync/statSync answer
  // for the inlined protos, so @grpc/proto-loader (protobufjs) loads them without touching disk.
  return `"use strict";
var __dnscoveSeaMetaUrl = ${JSON.stringify(`file://${VIRTUAL_MAIN}`)};
(function () {
  var fs = require("fs");
  var path = require("path");
  var dir = ${JSON.stringify(VIRTUAL_PROTO_DIR)};
  var files = ${JSON.stringify(protos)};
  function lookup(p) {
    if (typeof p !== "string" && !(p instanceof URL)) return undefined;
    var s = path.resolve(String(p instanceof URL ? p.pathname : p));
    if (path.dirname(s) !== dir) return undefined;
    var name = path.basename(s);
    return Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
  }
  var readFileSync = fs.readFileSync, accessSync = fs.accessSync, existsSync = fs.existsSync;
  fs.readFileSync = function (p, options) {
    var text = lookup(p);
    if (text === undefined) return readFileSync.apply(fs, arguments);
    var encoding = typeof options === "string" ? options : options && options.encoding;
    return encoding ? text : Buffer.from(text, "utf8");
  };
  fs.accessSync = function (p) {
    if (lookup(p) === undefined) return accessSync.apply(fs, arguments);
  };
  fs.existsSync = function (p) {
    return lookup(p) !== undefined || existsSync.apply(fs, arguments);
  };
})();
`;
}

export async function buildExecutable(outFile = path.join(packageDir, "dist", "terraform-provider-dnscove")) {
  const mainJs = path.join(packageDir, "dist", "main.js");
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run the build first`);
  const workDir = path.join(packageDir, "dist", "sea");
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  const protoDir = path.join(packageDir, "proto");
  const protos = Object.fromEntries(
    readdirSync(protoDir)
      .filter((f) => f.endsWith(".proto"))
      .map((f) => [f, readFileSync(path.join(protoDir, f), "utf8")]),
  );

  // 1. One CommonJS file (SEA runs CommonJS only and its require() only loads built-ins).
  const esbuild = await import("esbuild");
  const { bundleOptions } = await import("./bundle.mjs");
  const bundle = path.join(workDir, "bundle.cjs");
  const options = await bundleOptions(bundle);
  const result = await esbuild.build({
    ...options,
    define: { ...options.define, "import.meta.url": "__dnscoveSeaMetaUrl" },
    banner: { js: banner(protos) },
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
