#!/usr/bin/env node
// Generates the CDKTF bindings in src/gen/ (and the provider schema snapshot schema/dnscove.json)
// from the schema of the real provider:
//   1. builds @dnscove/terraform-provider and lays it out as a filesystem mirror (its make-mirror.mjs),
//   2. `terraform init` + `terraform providers schema -json` in a temp dir,
//   3. `@cdktf/provider-generator` generateProviderBindingsFromSchema() into src/gen/.
//
//   node scripts/generate.mjs            regenerate src/gen/ and schema/dnscove.json
//   node scripts/generate.mjs --check    generate into a temp dir and diff against the committed files
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const providerDir = path.dirname(require.resolve("@dnscove/terraform-provider/package.json"));
const TERRAFORM = process.env.TERRAFORM_BIN ?? "terraform";

/** Builds the provider, mirrors it and returns `terraform providers schema -json` (parsed). */
export async function providerSchemaJson() {
  execFileSync(
    process.execPath,
    [path.join(providerDir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
    {
      cwd: providerDir,
      stdio: "inherit",
    },
  );
  const work = mkdtempSync(path.join(tmpdir(), "dnscove-cdktf-schema-"));
  try {
    const { makeMirror } = await import(path.join(providerDir, "scripts/make-mirror.mjs"));
    const { cliConfig } = await makeMirror(path.join(work, "mirror"));
    const tf = path.join(work, "tf");
    mkdirSync(tf);
    writeFileSync(
      path.join(tf, "main.tf"),
      'terraform {\n  required_providers {\n    dnscove = { source = "dnscove/dnscove" }\n  }\n}\n',
    );
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
    };
    const run = (args) => {
      try {
        return execFileSync(TERRAFORM, args, { cwd: tf, env, encoding: "utf8", maxBuffer: 64 << 20 });
      } catch (error) {
        throw new Error(`terraform ${args.join(" ")} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
      }
    };
    run(["init", "-input=false", "-no-color"]);
    return JSON.parse(run(["providers", "schema", "-json"]));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes the bindings for `schema` into `outDir` (replaced). */
export async function generateBindings(schema, outDir) {
  // The generator runs `terraform version` when loaded and reads the CLI config: keep it quiet.
  process.env.TF_CLI_CONFIG_FILE = "/dev/null";
  process.env.CHECKPOINT_DISABLE = "1";
  const { generateProviderBindingsFromSchema } = require("@cdktf/provider-generator");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await generateProviderBindingsFromSchema(outDir, schema);
}

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file, base) : [path.relative(base, file)];
  });
}

async function main() {
  const check = process.argv.includes("--check");
  const schema = await providerSchemaJson();
  const schemaText = `${JSON.stringify(schema, null, 2)}\n`;
  const out = check ? mkdtempSync(path.join(tmpdir(), "dnscove-cdktf-gen-")) : packageDir;
  const genDir = path.join(out, "src/gen");
  await generateBindings(schema, genDir);
  mkdirSync(path.join(out, "schema"), { recursive: true });
  writeFileSync(path.join(out, "schema/dnscove.json"), schemaText);
  if (!check) {
    process.stdout.write(`generated ${listFiles(genDir).length} files in src/gen/ and schema/dnscove.json\n`);
    return;
  }
  try {
    let stale = 0;
    const committed = path.join(packageDir, "src/gen");
    const fresh = listFiles(genDir).map((f) => path.join("src/gen", f));
    let old = [];
    try {
      old = listFiles(committed).map((f) => path.join("src/gen", f));
    } catch {}
    for (const file of new Set([...fresh, ...old, "schema/dnscove.json"])) {
      let a = null;
      let b = null;
      try {
        a = readFileSync(path.join(packageDir, file), "utf8");
      } catch {}
      try {
        b = readFileSync(path.join(out, file), "utf8");
      } catch {}
      if (a !== b) {
        stale++;
        process.stderr.write(
          `stale: ${file} (${a === null ? "missing" : b === null ? "extra" : "differs"})\n`,
        );
      }
    }
    if (stale > 0) {
      process.stderr.write(
        "The CDKTF bindings are out of date: run `pnpm --filter @dnscove/cdktf generate`.\n",
      );
      process.exitCode = 1;
    } else process.stdout.write("CDKTF bindings are up to date\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
