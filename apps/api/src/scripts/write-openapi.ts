import { readFileSync, writeFileSync } from "node:fs";
import { openApiDocument } from "../app.js";

/**
 * Writes the OpenAPI document built from the route table, or with --check fails when the
 * committed copy differs from it (the SDK is generated from the committed copy).
 */
const args = process.argv.slice(2);
const check = args.includes("--check");
const file = args.find((arg) => !arg.startsWith("--")) ?? "openapi.json";
const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
if (check) {
  const committed = readFileSync(file, "utf8");
  if (committed !== text) {
    console.error(`${file} is stale: run \`pnpm --filter @dnscove/api openapi\` and regenerate the SDK.`);
    process.exit(1);
  }
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
