import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
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

export function terraform(dir: string, args: string[], options: TerraformOptions | number = {}): Run {
  const { token = inject("apiToken"), timeoutMs = 90_000 } =
    typeof options === "number" ? { timeoutMs: options } : options;
  const interactive = ["init", "plan", "apply", "destroy"].includes(args[0] ?? "");
  const result = spawnSync(TERRAFORM, [...args, "-no-color", ...(interactive ? ["-input=false"] : [])], {
    cwd: dir,
    timeout: timeoutMs,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      TF_CLI_CONFIG_FILE: inject("cliConfig"),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      DNSCOVE_API: inject("apiUrl"),
      DNSCOVE_TOKEN: token,
    },
  });
  if (result.error)
    throw new Error(
      `terraform ${args.join(" ")} failed to run: ${result.error.message}\n${result.stdout}${result.stderr}`,
    );
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

export function ok(run: Run, what: string): string {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.out}`);
  return run.out;
}

export const header = `terraform {
  required_providers {
    dnscove = { source = "dnscove/dnscove", version = "0.1.0" }
  }
}
provider "dnscove" {}
`;
