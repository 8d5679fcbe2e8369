// Bundles the Lambda entry (src/lambda.ts, with @dnscove/sdk and openapi-fetch inlined) into a
// single ES module, index.mjs, and zips it as dist/lambda.zip: upload that zip and set the
// function's handler to `index.handler` (runtime nodejs20.x).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zipSync } from "fflate";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sdkSource = path.resolve(packageDir, "../../sdk/src/index.ts");

// Bundle the SDK from its TypeScript source, so that bundling needs no prior build of the SDK.
const sdkFromSource = {
  name: "dnscove-sdk-source",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@dnscove\/sdk$/ }, () => ({ path: sdkSource }));
  },
};
const outDir = path.join(packageDir, "dist");

const result = await build({
  entryPoints: [path.join(packageDir, "src/lambda.ts")],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  write: false,
  minify: false,
  legalComments: "none",
  logLevel: "warning",
  plugins: [sdkFromSource],
});
const code = result.outputFiles[0]?.contents;
if (!code) throw new Error("esbuild produced no output");

mkdirSync(outDir, { recursive: true });
// A fixed timestamp keeps the zip byte-identical for identical code (stable S3 keys, no spurious
// CloudFormation updates). 1980-01-01 is the earliest date the zip format can hold.
const zip = zipSync({ "index.mjs": [code, { mtime: new Date("1980-01-01T00:00:00Z"), level: 9 }] });
writeFileSync(path.join(outDir, "lambda.zip"), zip);
writeFileSync(path.join(outDir, "index.mjs"), code);
console.log(`dist/lambda.zip: index.mjs ${code.length} bytes, zip ${zip.length} bytes`);
