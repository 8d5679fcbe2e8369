import { tmpdir } from "node:os";
import { runCommand } from "@dnscove/testkit";
import { inject } from "vitest";

/** Helpers shared by the acceptance test files: run the real terraform binary against the test API. */
export const TERRAFORM = process.env.TERRAFORM_BIN ?? "/usr/local/bin/terraform";

export interface Run {
  code: number | null;
  out: string;
}

export interface TerraformOptions {
  /** DNSCOVE_TOKEN for this run (default: the global tenant-admin token). */
  token?: string;
  timeoutMs?: number;
}

/**
 * Runs the real terraform asynchronously: the test process holds pooled keep-alive connections to
 * the API, and blocking its event loop for a whole apply (spawnSync) let the server close them
 * under the next request ("fetch failed: other side closed").
 */
export async function terraform(
  dir: string,
  args: string[],
  options: TerraformOptions | number = {},
): Promise<Run> {
  const { token = inject("apiToken"), timeoutMs = 90_000 } =
    typeof options === "number" ? { timeoutMs: options } : options;
  const interactive = ["init", "plan", "apply", "destroy"].includes(args[0] ?? "");
  const result = await runCommand(
    TERRAFORM,
    [...args, "-no-color", ...(interactive ? ["-input=false"] : [])],
    {
      cwd: dir,
      timeoutMs,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? tmpdir(),
        TF_CLI_CONFIG_FILE: inject("cliConfig"),
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        DNSCOVE_API: inject("apiUrl"),
        DNSCOVE_TOKEN: token,
      },
    },
  );
  return { code: result.code, out: `${result.stdout}\n${result.stderr}` };
}

/** The output of a run that must have succeeded. */
export async function ok(run: Run | Promise<Run>, what: string): Promise<string> {
  const { code, out } = await run;
  if (code !== 0) throw new Error(`${what} exited ${code}:\n${out}`);
  return out;
}

export const header = `terraform {
  required_providers {
    dnscove = { source = "dnscove/dnscove", version = "0.1.0" }
  }
}
provider "dnscove" {}
`;
