import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

/** The command names listed under "Commands:" in a help text. */
function subcommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1];
  if (!section) return [];
  return section
    .split("\n")
    .map((line) => /^ {2}([a-z0-9-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== "help");
}

const EXPECTED = [
  "login",
  "logout",
  "zones list",
  "zones create",
  "zones get",
  "zones delete",
  "zones publish",
  "zones servers",
  "zones delegation",
  "zones parity",
  "zones export",
  "zones import-file",
  "rrsets list",
  "rrsets upsert",
  "rrsets delete",
  "rrsets apply",
  "tokens list",
  "tokens mint",
  "tokens revoke",
  "dnssec status",
  "dnssec enable",
  "dnssec disable",
  "dnssec ksk-rollover",
  "route53 import",
  "audit list",
  "audit show",
  "audit verify",
  "history",
  "diff",
  "rollback",
  "present",
  "cleanup",
  "certbot-auth",
  "certbot-cleanup",
];

describe("--help", () => {
  it("works for every command and subcommand (exit 0, usage on stdout)", async () => {
    const seen: string[] = [];
    const visit = async (path: string[]) => {
      const result = await run([...path, "--help"], { env: { DNSCOVE_API: undefined } });
      expect({ path, code: result.code, stderr: result.stderr }).toEqual({ path, code: 0, stderr: "" });
      expect(result.stdout).toMatch(new RegExp(`^Usage: dnscove${path.length ? ` ${path.join(" ")}` : ""} `));
      if (path.length > 0) seen.push(path.join(" "));
      for (const name of subcommands(result.stdout)) await visit([...path, name]);
    };
    await visit([]);
    expect(seen).toEqual(expect.arrayContaining(EXPECTED));
  });

  it("lists the change actions under rrsets apply", async () => {
    const help = (await run(["rrsets", "apply", "--help"])).stdout;
    for (const action of ["UPSERT", "CREATE", "DELETE"])
      expect(help).toMatch(new RegExp(`^ {2}${action} `, "m"));
    expect(help).toContain("409 RRSET_EXISTS");
  });

  it("offers --dry-run on every write the API can preview, and --confirm-mass-delete where it can delete", async () => {
    for (const path of [
      ["rrsets", "upsert"],
      ["rrsets", "delete"],
      ["rrsets", "apply"],
      ["route53", "import"],
      ["zones", "import-file"],
      ["rollback"],
    ]) {
      const help = (await run([...path, "--help"])).stdout;
      expect({ path, dryRun: /^ {2}--dry-run /m.test(help) }).toEqual({ path, dryRun: true });
      if (path[0] !== "route53" && path[1] !== "import-file")
        expect({ path, confirm: /^ {2}--confirm-mass-delete /m.test(help) }).toEqual({ path, confirm: true });
    }
  });

  it("documents the lego and certbot hook forms", async () => {
    expect((await run(["present", "--help"])).stdout).toContain("-- <domain> <token> <keyAuth>");
    expect((await run(["certbot-auth", "--help"])).stdout).toContain("--manual-auth-hook");
    expect((await run(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
