#!/usr/bin/env node
// Lays the built provider out as a Terraform/OpenTofu filesystem_mirror (unpacked layout) and
// writes a CLI config that installs dnscove/dnscove from it, so `terraform init` works offline.
//
//   node scripts/make-mirror.mjs [outDir]     (default: <package>/mirror)
//   node scripts/make-mirror.mjs --executable[=<file>] [outDir]
//
// By default each mirror entry is a small shell launcher that execs this node on the provider
// bundled into one file (dist/bundle/provider.cjs, re-bundled from dist/ here: scripts/bundle.mjs).
// With --executable (or DNSCOVE_TF_EXECUTABLE=1 / =<file>) the single-file
// executable from `pnpm executable` (default dist/terraform-provider-dnscove) is copied in
// instead, so the mirror is self-contained and can be moved to a machine without node.
//
// Then: export TF_CLI_CONFIG_FILE=<outDir>/terraformrc
// The mirror holds the provider under both registry.terraform.io and registry.opentofu.org, so
// `source = "dnscove/dnscove"` resolves with either tool.
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleProvider } from "./bundle.mjs";

export const VERSION = "0.1.0";
export const HOSTS = ["registry.terraform.io", "registry.opentofu.org"];

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function platform() {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386" }[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

export const DEFAULT_EXECUTABLE = path.join(packageDir, "dist", "terraform-provider-dnscove");

/**
 * @param {string} [outDir]
 * @param {{ executable?: string | boolean }} [options] executable: place this single-file
 *   executable (true: DEFAULT_EXECUTABLE) in the mirror instead of the shell launcher.
 */
export async function makeMirror(outDir = path.join(packageDir, "mirror"), options = {}) {
  const executable =
    options.executable === true
      ? DEFAULT_EXECUTABLE
      : options.executable
        ? path.resolve(options.executable)
        : undefined;
  const mainJs = path.join(packageDir, "dist", "main.js");
  if (executable) {
    if (!existsSync(executable)) throw new Error(`${executable} is missing: run \`pnpm executable\` first`);
  } else if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run the build first`);
  const bundle = executable ? undefined : await bundleProvider();
  const mirrorDir = path.join(outDir, "providers");
  rmSync(mirrorDir, { recursive: true, force: true });
  const launcherText = `#!/bin/sh\nexec "${process.execPath}" "${bundle}" "$@"\n`;
  for (const host of HOSTS) {
    const dir = path.join(mirrorDir, host, "dnscove", "dnscove", VERSION, platform());
    mkdirSync(dir, { recursive: true });
    const launcher = path.join(dir, `terraform-provider-dnscove_v${VERSION}`);
    if (executable) copyFileSync(executable, launcher);
    else writeFileSync(launcher, launcherText);
    chmodSync(launcher, 0o755);
  }
  const cliConfig = path.join(outDir, "terraformrc");
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir)}\n    include = [${HOSTS.map((h) => JSON.stringify(`${h}/dnscove/*`)).join(", ")}]\n  }\n  direct {\n    exclude = [${HOSTS.map((h) => JSON.stringify(`${h}/dnscove/*`)).join(", ")}]\n  }\n}\n`,
  );
  return { mirrorDir, cliConfig };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const env = process.env.DNSCOVE_TF_EXECUTABLE;
  /** @type {string | boolean | undefined} */
  let executable =
    env && env !== "0" && env !== "false" ? (env === "1" || env === "true" ? true : env) : undefined;
  const positional = [];
  for (const arg of args) {
    if (arg === "--executable") executable = true;
    else if (arg.startsWith("--executable=")) executable = arg.slice("--executable=".length);
    else positional.push(arg);
  }
  const { mirrorDir, cliConfig } = await makeMirror(positional[0] ? path.resolve(positional[0]) : undefined, {
    executable,
  });
  process.stdout.write(`mirror: ${mirrorDir}\nexport TF_CLI_CONFIG_FILE=${cliConfig}\n`);
}
