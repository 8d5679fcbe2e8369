import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "@dnscove/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { header, TERRAFORM } from "./terraform.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The single-file executable (node:sea): built from dist/ (turbo builds dist/ before `test`), copied
 * into a temp dir outside the repo, laid out as a filesystem_mirror and launched by Terraform
 * with no node on PATH and no node_modules or proto/ anywhere near it.
 */
describe("single-file executable", () => {
  const root = mkdtempSync(path.join(tmpdir(), "dnscove-tf-sea-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is launched by terraform from a mirror and serves the provider schema", async () => {
    const { buildExecutable } = (await import(path.join(packageDir, "scripts/build-executable.mjs"))) as {
      buildExecutable: (out?: string) => Promise<string>;
    };
    const { makeMirror } = (await import(path.join(packageDir, "scripts/make-mirror.mjs"))) as {
      makeMirror: (
        out: string,
        options: { executable: string },
      ) => Promise<{ mirrorDir: string; cliConfig: string }>;
    };
    const built = await buildExecutable();

    const lonely = path.join(root, "bin", "terraform-provider-dnscove");
    mkdirSync(path.dirname(lonely));
    copyFileSync(built, lonely);
    expect(readdirSync(path.dirname(lonely))).toEqual(["terraform-provider-dnscove"]);
    expect(statSync(lonely).size).toBeGreaterThan(10_000_000);

    const { mirrorDir, cliConfig } = await makeMirror(path.join(root, "mirror"), { executable: lonely });
    expect(mirrorDir.startsWith(root)).toBe(true);

    const work = path.join(root, "work");
    mkdirSync(work);
    writeFileSync(path.join(work, "main.tf"), header);
    const empty = path.join(root, "empty-path");
    mkdirSync(empty);
    const run = async (args: string[]) => {
      const result = await runCommand(TERRAFORM, args, {
        cwd: work,
        timeoutMs: 120_000,
        // No node reachable: the provider binary must be self-contained.
        env: {
          PATH: empty,
          HOME: root,
          TF_CLI_CONFIG_FILE: cliConfig,
          CHECKPOINT_DISABLE: "1",
          TF_IN_AUTOMATION: "1",
        },
      });
      if (result.code !== 0)
        throw new Error(
          `terraform ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`,
        );
      return result.stdout;
    };

    await run(["init", "-input=false", "-no-color"]);
    const schema = JSON.parse(await run(["providers", "schema", "-json"])) as {
      provider_schemas: Record<string, { resource_schemas: Record<string, unknown> }>;
    };
    const provider = Object.entries(schema.provider_schemas).find(([k]) =>
      k.endsWith("/dnscove/dnscove"),
    )?.[1];
    expect(provider).toBeDefined();
    expect(Object.keys(provider?.resource_schemas ?? {})).toEqual(
      expect.arrayContaining(["dnscove_zone", "dnscove_rrset"]),
    );
  }, 300_000);
});
