import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, runAs, signIn, uniqueEmail, uniqueOrigin } from "./helpers.js";

const work = mkdtempSync(path.join(tmpdir(), "dnscove-cli-zone-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("zones import-file and zones export", () => {
  let session: string;
  const origin = uniqueOrigin("cli-zone-file");
  const source = path.join(work, "source.zone");

  beforeAll(async () => {
    session = await signIn(uniqueEmail("zone-files"));
    writeFileSync(
      source,
      [
        "$TTL 1h",
        `@ IN SOA ns1.old.example. hostmaster ( 1 3600 900 604800 300 )`,
        "  NS ns1.old.example.",
        "www 300 A 192.0.2.1 ; a comment",
        "mail MX 10 www",
        "",
      ].join("\n"),
    );
  });

  it("previews with --dry-run, creating nothing, then imports", async () => {
    const dry = ok(await runAs(session, ["zones", "import-file", source, "--origin", origin, "--dry-run"]));
    expect(dry.stdout).toContain(`dry run: nothing was written; the import would create ${origin}`);
    expect(dry.stdout).toContain(`www.${origin}.`);
    const missing = await runAs(session, ["zones", "get", origin]);
    expect(missing.code).toBe(1);

    const done = ok(await runAs(session, ["zones", "import-file", source, "--origin", origin]));
    expect(done.stdout).toMatch(new RegExp(`imported 2 rrsets into ${origin.replaceAll(".", "\\.")}`));
    expect(done.stdout).toContain("apex SOA is managed by DNSCove");
  });

  it("exports to stdout and to a file that named-checkzone accepts", async () => {
    const printed = ok(await runAs(session, ["zones", "export", origin]));
    expect(printed.stdout).toContain(`www.${origin}.\t300\tIN\tA\t192.0.2.1`);
    expect(printed.stdout).toContain(`mail.${origin}.\t3600\tIN\tMX\t10 www.${origin}.`);
    const file = path.join(work, "exported.zone");
    ok(await runAs(session, ["zones", "export", origin, "-o", file]));
    expect(readFileSync(file, "utf8")).toBe(printed.stdout);
    const check = spawnSync("named-checkzone", ["-q", origin, file], { encoding: "utf8" });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: "" });
  });

  it("names the line of a malformed file and exits 1", async () => {
    const bad = path.join(work, "bad.zone");
    writeFileSync(bad, "$TTL 60\nwww A 192.0.2.1\n$INCLUDE other.zone\n");
    const result = await runAs(session, ["zones", "import-file", bad, "--origin", uniqueOrigin("bad")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: \$INCLUDE is not supported/);
  });
});
