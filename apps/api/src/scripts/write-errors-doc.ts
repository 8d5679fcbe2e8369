import { readFileSync, writeFileSync } from "node:fs";
import { problemKinds } from "../http/problem.js";

/**
 * Writes docs/errors.md from the one error table (http/problem.ts), or with --check fails when the
 * committed copy differs from it, so the page can never again lag behind the codes the API sends.
 */
const args = process.argv.slice(2);
const check = args.includes("--check");
const file = args.find((arg) => !arg.startsWith("--")) ?? "../../docs/errors.md";

const rows = problemKinds().map(([code, kind]) => [`\`${code}\``, String(kind.status), kind.when]);
const header = ["code", "status", "when"];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;

const text = `<!-- Generated from apps/api/src/http/problem.ts by \`pnpm generate\`; do not edit by hand. -->

# Error codes

Every non-2xx answer is \`application/problem+json\`:
\`{type, title, status, detail, code, request_id, errors?: [{path, message}]}\`. Branch on \`code\`; it
is stable. \`request_id\` is also in the \`X-Request-Id\` header; quote it when reporting a problem.
A 500 never carries internals: the cause is logged with the request id.

${line(header)}
${line(widths.map((width) => "-".repeat(width)))}
${rows.map(line).join("\n")}
`;

if (check) {
  const committed = readFileSync(file, "utf8");
  if (committed !== text) {
    console.error(`${file} is stale: run \`pnpm generate\`.`);
    process.exit(1);
  }
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
