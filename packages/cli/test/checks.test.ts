import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, run } from "./helpers.js";
import { type Knot, startKnot } from "./knot.js";

const apiMain = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../apps/api/dist/src/main.js",
);
const work = mkdtempSync(path.join(tmpdir(), "dnscove-cli-checks-"));
const tag = randomBytes(4).toString("hex");
/** A zone the parent "test." delegates to our nameservers (the API's default ns1/ns2.dnscove.com). */
const delegated = `deleg-${tag}.test`;
/** A zone still at the old provider (the same Knot), whose copy there differs in one record. */
const moved = `moved-${tag}.test`;

let knot: Knot;
let api: ApiProcess;
let token: string;

/** The CLI against this file's API (its resolver is the Knot hierarchy). */
function cli(args: string[]) {
  return run(args, { env: { DNSCOVE_API: api.url, DNSCOVE_TOKEN: token } });
}

beforeAll(async () => {
  knot = await startKnot(path.join(work, "knot"), [
    {
      origin: "test.",
      lines: [
        "test. SOA ns1.nic.test. hostmaster.nic.test. 1 3600 600 86400 300",
        "test. NS ns1.nic.test.",
        "ns1.nic.test. A 127.0.0.1",
        "ns-old.nic.test. A 127.0.0.1",
        `${delegated}. NS ns1.dnscove.com.`,
        `${delegated}. NS ns2.dnscove.com.`,
        `${moved}. NS ns-old.nic.test.`,
      ],
    },
    {
      origin: `${moved}.`,
      lines: [
        `${moved}. SOA ns-old.nic.test. hostmaster.nic.test. 7 3600 600 86400 300`,
        `${moved}. NS ns-old.nic.test.`,
        `www.${moved}. A 192.0.2.1`,
        `mail.${moved}. A 192.0.2.99`,
      ],
    },
  ]);
  // The checks ask the resolver with RD set and the parent's servers on the same port: Knot answers both.
  api = await startApiProcess(apiMain, {
    DNSCOVE_RESOLVER: `127.0.0.1:${knot.port}`,
    DNSCOVE_AUTHORITATIVE_PORT: String(knot.port),
  });
  const post = async (p: string, body: unknown) =>
    (await (
      await fetch(`${api.url}${p}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json()) as Record<string, string>;
  const link = await post("/api/auth/magic-link", { email: `checks-${tag}@example.com` });
  token = (await post("/api/auth/exchange", { token: link.dev_token })).token ?? "";
});

afterAll(async () => {
  await api?.stop();
  await knot?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("zones delegation", () => {
  it("shows the parent's referral and the verdict as a table, and the raw answer with --json", async () => {
    ok(await cli(["zones", "create", delegated]));
    const table = ok(await cli(["zones", "delegation", delegated]));
    expect(table.stdout).toMatch(new RegExp(`^zone:\\s+${delegated.replace(/\./g, "\\.")}$`, "m"));
    expect(table.stdout).toMatch(/^delegated:\s+yes$/m);
    expect(table.stdout).toMatch(/^status:\s+ACTIVE$/m);
    expect(table.stdout).toMatch(/^found at parent:\s+ns1\.dnscove\.com, ns2\.dnscove\.com$/m);
    expect(table.stdout).toMatch(/^PARENT SERVER\s+ADDRESS\s+ANSWERED\s+ERROR$/m);
    expect(table.stdout).toMatch(/^ns1\.nic\.test\s+127\.0\.0\.1\s+yes\s+-$/m);

    const json = JSON.parse(ok(await cli(["zones", "delegation", delegated, "--json"])).stdout);
    expect(json).toMatchObject({ status: "ACTIVE", delegation: { delegated: true, missing: [] } });
  });

  it("says NO for a zone the parent does not delegate to us", async () => {
    const other = `elsewhere-${tag}.test`;
    ok(await cli(["zones", "create", other]));
    const table = ok(await cli(["zones", "delegation", other]));
    expect(table.stdout).toMatch(/^delegated:\s+NO$/m);
    expect(table.stdout).toMatch(/^status:\s+PENDING_VERIFICATION$/m);
    expect(table.stdout).toMatch(/^missing:\s+ns1\.dnscove\.com, ns2\.dnscove\.com$/m);
  });
});

describe("zones parity", () => {
  it("lists each difference between the old provider and our edge", async () => {
    const file = path.join(work, "route53.json");
    const rrset = (Name: string, Type: string, values: string[]) => ({
      Name,
      Type,
      TTL: 300,
      ResourceRecords: values.map((Value) => ({ Value })),
    });
    writeFileSync(
      file,
      JSON.stringify({
        ResourceRecordSets: [
          rrset(`${moved}.`, "NS", ["ns-old.nic.test."]),
          rrset(`${moved}.`, "SOA", ["ns-old.nic.test. hostmaster.nic.test. 7 3600 600 86400 300"]),
          rrset(`www.${moved}.`, "A", ["192.0.2.1"]),
          rrset(`mail.${moved}.`, "A", ["192.0.2.2"]),
        ],
      }),
    );
    ok(await cli(["route53", "import", file, "--origin", moved]));

    const table = ok(await cli(["zones", "parity", moved]));
    expect(table.stdout).toMatch(/^matches:\s+NO$/m);
    expect(table.stdout).toMatch(/^safe to delete:\s+no$/m);
    expect(table.stdout).toMatch(/^NAME\s+TYPE\s+DIFFERENCE\s+OURS\s+THEIRS$/m);
    expect(table.stdout).toMatch(
      new RegExp(
        `^mail\\.${moved.replace(/\./g, "\\.")}\\.\\s+A\\s+records\\s+192\\.0\\.2\\.2\\s+192\\.0\\.2\\.99$`,
        "m",
      ),
    );
    expect(table.stdout).not.toMatch(/^www\./m);

    const json = JSON.parse(ok(await cli(["zones", "parity", moved, "--json"])).stdout);
    expect(json).toMatchObject({ safe_to_delete: false, parity: { matches: false, mismatched: 1 } });
    expect(json.parity.their_servers.length).toBeGreaterThan(0);
  });

  it("an error answer from the API (a zone with no previous nameservers) exits 1 with the problem", async () => {
    const result = await cli(["zones", "parity", delegated]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: 409 NO_PREVIOUS_NAMESERVERS: /);
  });
});
