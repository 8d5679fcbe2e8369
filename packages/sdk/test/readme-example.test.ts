import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiProcess, runCommand, startApiProcess } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(sdkDir, "../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");

/** The README's example: the first ```ts block under "## Example", exactly as users read it. */
function readmeExample(): string {
  const readme = readFileSync(path.join(sdkDir, "README.md"), "utf8");
  const section = readme.split(/^## Example$/m)[1] ?? "";
  const code = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!code) throw new Error('README.md has no ```ts block under "## Example"');
  return code;
}

async function must(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const result = await runCommand(command, args, { cwd, timeoutMs: 240_000, ...(env ? { env } : {}) });
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** tsc alone takes a minute on a loaded 2-core machine. */
const COMPILE_AND_RUN_MS = 300_000;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    types: ["node"],
    outDir: "out",
  },
  files: ["example.ts"],
};

describe("the README example, from the packed tarball in a plain TypeScript project", () => {
  // Outside the workspace, so nothing resolves through pnpm's links.
  const project = mkdtempSync(path.join(tmpdir(), "dnscove-sdk-user-"));
  let api: ApiProcess | undefined;
  let tarball: string;

  beforeAll(async () => {
    if (!existsSync(path.join(sdkDir, "dist/index.js"))) throw new Error("build the SDK first (pnpm build)");
    if (!existsSync(apiMain)) throw new Error(`build the API first: ${apiMain} is missing`);
    const packed = await must("pnpm", ["pack", "--pack-destination", project], sdkDir);
    tarball = path.join(project, readdirSync(project).find((f) => f.endsWith(".tgz")) ?? "");
    expect(packed.code).toBe(0);
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "sdk-user", private: true, type: "module" }),
    );
    await must(
      "npm",
      ["install", "--no-audit", "--no-fund", tarball, "typescript@5.9.3", "@types/node@20"],
      project,
    );
    writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TSCONFIG));
    api = await startApiProcess(apiMain);
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(project, { recursive: true, force: true });
  });

  it("ships the README and no sourcemap that points at unshipped files", async () => {
    const listing = await must("tar", ["-tzf", tarball], project);
    const files = listing.stdout.split("\n").filter(Boolean);
    expect(files).toContain("package/README.md");
    expect(files).toContain("package/dist/index.d.ts");
    for (const map of files.filter((f) => f.endsWith(".map"))) {
      const { sources } = JSON.parse(
        readFileSync(path.join(project, "node_modules/@dnscove/sdk", map.slice(8)), "utf8"),
      );
      for (const source of sources as string[]) {
        expect(files).toContain(path.posix.join(path.posix.dirname(map), source));
      }
    }
  });

  it(
    "compiles under tsc --strict and runs against a real API",
    async () => {
      writeFileSync(path.join(project, "example.ts"), readmeExample());
      await must("node", ["node_modules/typescript/bin/tsc", "-p", "."], project);

      // A session for a fresh tenant, through the development mailer.
      const post = async (p: string, body: unknown) =>
        (await (
          await fetch(`${api?.url}${p}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).json()) as Record<string, string>;
      const link = await post("/api/auth/magic-link", { email: "readme@example.com" });
      const session = await post("/api/auth/exchange", { token: link.dev_token });
      const env = { ...process.env, DNSCOVE_API: api?.url ?? "", DNSCOVE_TOKEN: session.token ?? "" };

      const run = await must("node", ["out/example.js", "readme-example.com"], project, env);
      const lines = run.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^created readme-example\.com \(Z[0-9a-f]{14}\); delegate it to /);
      expect(lines[1]).toBe(
        'stored [{"name":"www.readme-example.com.","type":"A","ttl":300,"records":["192.0.2.1"]}] at serial 2',
      );
      expect(lines[2]).toMatch(/^published: true at serial \d+$/);
      expect(lines[3]).toMatch(/^already hosted: .*readme-example\.com/);
      expect(lines[4]).toBe("cannot reach the DNSCove API at http://127.0.0.1:2 (ECONNREFUSED)");
      expect(lines).toHaveLength(5);
    },
    COMPILE_AND_RUN_MS,
  );

  it(
    "rejects a misspelt error code at compile time (code is the API's union, not string)",
    async () => {
      const misspelt = readmeExample().replace('err.code === "ZONE_EXISTS"', 'err.code === "ZONE_EXIST"');
      expect(misspelt).not.toBe(readmeExample());
      writeFileSync(path.join(project, "example.ts"), misspelt);
      const result = await runCommand("node", ["node_modules/typescript/bin/tsc", "-p", "."], {
        cwd: project,
        timeoutMs: 240_000,
      });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain("TS2367");
    },
    COMPILE_AND_RUN_MS,
  );
});
