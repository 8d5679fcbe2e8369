#!/usr/bin/env node
// Lays the built provider out as a Terraform/OpenTofu filesystem_mirror (unpacked layout) and
// writes a CLI config that installs dnscove/dnscove from it, so `terraform init` works offline.
//
//   node scripts/make-mirror.mjs [outDir]     (default: <package>/mirror)
//
// Then: export TF_CLI_CONFIG_FILE=<outDir>/terraformrc
// The mirror holds the provider under both registry.terraform.io and registry.opentofu.org, so
// `source = "dnscove/dnscove"` resolves with either tool.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const VERSION = "0.1.0";
export const HOSTS = ["registry.terraform.io", "registry.opentofu.org"];

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function platform() {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386" }[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

export function makeMirror(outDir = path.join(packageDir, "mirror")) {
  const mainJs = path.join(packageDir, "dist", "main.js");
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run the build first`);
  const mirrorDir = path.join(outDir, "providers");
  rmSync(mirrorDir, { recursive: true, force: true });
  const launcherText = `#!/bin/sh\nexec "${process.execPath}" "${mainJs}" "$@"\n`;
  for (const host of HOSTS) {
    const dir = path.join(mirrorDir, host, "dnscove", "dnscove", VERSION, platform());
    mkdirSync(dir, { recursive: true });
    const launcher = path.join(dir, `terraform-provider-dnscove_v${VERSION}`);
    writeFileSync(launcher, launcherText);
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
  const { mirrorDir, cliConfig } = makeMirror(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`mirror: ${mirrorDir}\nexport TF_CLI_CONFIG_FILE=${cliConfig}\n`);
}
