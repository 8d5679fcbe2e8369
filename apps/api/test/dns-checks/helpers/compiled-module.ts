/**
 * The vitest worker runs outside the test's network namespace, and a process cannot move itself
 * into one (setns is not reachable from Node), so the checks run in a child `node` inside it.
 * This transpiles apps/api/src/dns-checks/*.ts with TypeScript (types stripped, nothing else
 * changed) into a temporary directory whose node_modules links to apps/api's, so `dns-packet`
 * and `@dnscove/dns` resolve exactly as they do for the API.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const API_DIR = fileURLToPath(new URL("../../../", import.meta.url));
const SOURCE_DIR = path.join(API_DIR, "src", "dns-checks");

export interface CompiledModule {
  /** Directory holding index.js and the other transpiled files. */
  dir: string;
  remove(): void;
}

export function compileDnsChecks(): CompiledModule {
  const root = mkdtempSync(path.join(os.tmpdir(), "dnscove-dns-checks-"));
  const dir = path.join(root, "dns-checks");
  mkdirSync(dir);
  writeFileSync(path.join(root, "package.json"), '{ "type": "module" }\n');
  symlinkSync(path.join(API_DIR, "node_modules"), path.join(root, "node_modules"), "dir");
  for (const file of readdirSync(SOURCE_DIR)) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
    const source = readFileSync(path.join(SOURCE_DIR, file), "utf8");
    const out = ts.transpileModule(source, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      throw new Error(
        `${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`,
      );
    }
    writeFileSync(path.join(dir, file.replace(/\.ts$/, ".js")), out.outputText);
  }
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
