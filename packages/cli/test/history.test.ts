import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { route53Export } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiUrl,
  cliMain,
  ok,
  type Result,
  rrsets,
  run,
  runAs,
  signIn,
  testConfigHome,
  uniqueEmail,
  uniqueOrigin,
} from "./helpers.js";

/**
 * Issue 15 from the command line: history, diff, rollback, --dry-run on every write that has one,
 * and the mass-delete brake, against the real API of the run (global-setup.ts).
 */

const work = mkdtempSync(path.join(tmpdir(), "dnscove-cli-history-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Many CLI processes per test on a loaded 2-core machine. */
const SLOW = 180_000;

async function zoneSerial(token: string, zoneId: string): Promise<number> {
  const answer = await fetch(`${apiUrl()}/api/zones/${zoneId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!answer.ok) throw new Error(`zone: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { serial: number }).serial;
}

async function createZone(session: string, origin: string): Promise<string> {
  return (
    JSON.parse(ok(await runAs(session, ["zones", "create", origin, "--json"])).stdout) as { id: string }
  ).id;
}

/**
 * util-linux `script` (Debian's essential bsdutils) gives the CLI a terminal (a pty), so the
 * confirmation prompt can be answered. Missing, the terminal tests fail loudly rather than skip.
 */
const hasScript = spawnSync("script", ["--version"]).status === 0;

/** Runs the CLI on a pseudo-terminal, typing `typed` into it. */
function runOnTerminal(token: string, args: string[], typed: string): Promise<Result> {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const commandLine = [process.execPath, cliMain, ...args].map(quote).join(" ");
  const env = {
    ...process.env,
    DNSCOVE_API: apiUrl(),
    DNSCOVE_TOKEN: token,
    XDG_CONFIG_HOME: testConfigHome,
  };
  return new Promise((resolve, reject) => {
    // -e: script exits with the command's exit code; the typed input waits in the terminal's buffer.
    const child = spawn("script", ["-qec", commandLine, "/dev/null"], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.write(typed);
  });
}

/** The zone's rrsets without the apex SOA, whose serial moves with every change. */
function withoutSoa(list: { type: string }[]) {
  return list.filter((rr) => rr.type !== "SOA");
}

describe("history, diff and rollback", () => {
  let session: string;
  const origin = uniqueOrigin("cli-history");
  let zoneId: string;
  const base = { serial: 0 };
  const head = { serial: 0 };

  beforeAll(async () => {
    session = await signIn(uniqueEmail("history"));
    zoneId = await createZone(session, origin);
    ok(await runAs(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.1", "192.0.2.2"]));
    ok(await runAs(session, ["rrsets", "upsert", origin, "mail", "MX", "10 mx.example.net."]));
    base.serial = await zoneSerial(session, zoneId);
    ok(await runAs(session, ["zones", "publish", origin]));
    ok(await runAs(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.1", "192.0.2.3"]));
    ok(await runAs(session, ["rrsets", "delete", origin, "mail", "MX"]));
    ok(await runAs(session, ["rrsets", "upsert", origin, "txt", "TXT", '"v=1"', "--ttl", "60"]));
    head.serial = await zoneSerial(session, zoneId);
    ok(await runAs(session, ["zones", "publish", origin]));
  }, SLOW);

  it(
    "lists the published serials and shows the zone at one of them",
    async () => {
      const json = JSON.parse(ok(await runAs(session, ["history", origin, "--json"])).stdout) as {
        snapshots: { serial: number; actor: string; rrset_count: number }[];
        next_cursor: string | null;
      };
      const serials = json.snapshots.map((s) => s.serial);
      expect(serials).toEqual(expect.arrayContaining([head.serial, base.serial, 1]));
      expect(serials).toEqual([...serials].sort((a, b) => b - a));
      expect(json.next_cursor).toBeNull();

      const table = ok(await runAs(session, ["history", zoneId])).stdout;
      expect(table.split("\n")[0]).toMatch(/^SERIAL\s+PUBLISHED\s+ACTOR\s+RRSETS$/);
      // SOA, NS, www A, txt TXT at the head.
      expect(table).toMatch(
        new RegExp(`^${head.serial}\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+(user:\\S+|system)\\s+4$`, "m"),
      );

      // One serial a page, then --all follows the cursor.
      const paged = await runAs(session, ["history", origin, "--limit", "1"]);
      expect(ok(paged).stdout.trim().split("\n")).toHaveLength(2);
      expect(paged.stderr).toMatch(/older serials: add --all, or --cursor \d+/);
      const all = JSON.parse(
        ok(await runAs(session, ["history", origin, "--limit", "1", "--all", "--json"])).stdout,
      );
      expect(all.snapshots.map((s: { serial: number }) => s.serial)).toEqual(serials);

      const snapshot = ok(await runAs(session, ["history", origin, String(base.serial)])).stdout;
      expect(snapshot.split("\n")[0]).toMatch(
        new RegExp(
          `^${origin.replace(/\./g, "\\.")}\\. at serial ${base.serial}: published \\S+Z by (user:\\S+|system), 4 rrsets$`,
        ),
      );
      expect(snapshot).toMatch(/^mail\.\S+\s+MX\s+300\s+10 mx\.example\.net\.$/m);
      expect(snapshot).toMatch(/^www\.\S+\s+A\s+300\s+192\.0\.2\.1$/m);
      expect(snapshot).toMatch(/^\s+192\.0\.2\.2$/m);

      const never = await runAs(session, ["history", origin, "999999"]);
      expect(never.code).toBe(1);
      expect(never.stderr).toMatch(/^error: 404 NOT_FOUND: /);
    },
    SLOW,
  );

  it(
    "diffs two serials as unified-diff lines, in a stable order",
    async () => {
      const expected = [
        `--- serial ${base.serial}`,
        `+++ serial ${head.serial}`,
        `-mail.${origin}. 300 IN MX 10 mx.example.net.`,
        `+txt.${origin}. 60 IN TXT "v=1"`,
        ` www.${origin}. 300 IN A 192.0.2.1`,
        `-www.${origin}. 300 IN A 192.0.2.2`,
        `+www.${origin}. 300 IN A 192.0.2.3`,
        "(1 rrset added, 1 removed, 1 changed)",
        "",
      ].join("\n");
      expect(ok(await runAs(session, ["diff", origin, "--from", String(base.serial)])).stdout).toBe(expected);
      expect(
        ok(await runAs(session, ["diff", zoneId, "--from", String(base.serial), "--to", String(head.serial)]))
          .stdout,
      ).toBe(expected);

      const json = JSON.parse(
        ok(
          await runAs(session, [
            "diff",
            origin,
            "--from",
            String(head.serial),
            "--to",
            String(base.serial),
            "--json",
          ]),
        ).stdout,
      );
      expect(json).toMatchObject({ from: head.serial, to: base.serial });
      expect(json.added).toEqual([
        { name: `mail.${origin}.`, type: "MX", ttl: 300, records: ["10 mx.example.net."] },
      ]);

      const same = ok(await runAs(session, ["diff", origin, "--from", String(head.serial)])).stdout;
      expect(same).toBe(`--- serial ${head.serial}\n+++ serial ${head.serial}\n(no differences)\n`);

      const beyond = await runAs(session, ["diff", origin, "--from", "1", "--to", "999999"]);
      expect(beyond.code).toBe(1);
      expect(beyond.stderr).toMatch(/^error: 400 VALIDATION_FAILED: .*\bto\b/);
      const missingFrom = await runAs(session, ["diff", origin]);
      expect(missingFrom.code).toBe(2);
      expect(missingFrom.stderr).toContain("--from");
    },
    SLOW,
  );

  it(
    "previews a rollback with --dry-run, refuses one without --yes off a terminal, and applies it",
    async () => {
      const before = await rrsets(session, zoneId);
      const dry = ok(await runAs(session, ["rollback", origin, String(base.serial), "--dry-run"]));
      expect(dry.stdout).toBe(
        [
          `dry run: nothing was written; rolling back to serial ${base.serial} would take serial ${head.serial + 1}`,
          `+mail.${origin}. 300 IN MX 10 mx.example.net.`,
          `-txt.${origin}. 60 IN TXT "v=1"`,
          ` www.${origin}. 300 IN A 192.0.2.1`,
          `-www.${origin}. 300 IN A 192.0.2.3`,
          `+www.${origin}. 300 IN A 192.0.2.2`,
          "(1 rrset added, 1 removed, 1 changed)",
          "",
        ].join("\n"),
      );
      expect(await zoneSerial(session, zoneId)).toBe(head.serial);
      expect(await rrsets(session, zoneId)).toEqual(before);

      // The test's stdin is a pipe, not a terminal: no one to ask.
      const unconfirmed = await runAs(session, ["rollback", origin, String(base.serial)]);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain("without confirmation: pass --yes");
      expect(await zoneSerial(session, zoneId)).toBe(head.serial);

      const applied = ok(await runAs(session, ["rollback", origin, String(base.serial), "--yes"]));
      expect(applied.stdout.split("\n")[0]).toBe(
        `rolled back to serial ${base.serial} as serial ${head.serial + 1} (published within seconds, or now with \`dnscove zones publish\`)`,
      );
      expect(applied.stdout).toContain(`+mail.${origin}. 300 IN MX 10 mx.example.net.`);
      expect(await zoneSerial(session, zoneId)).toBe(head.serial + 1);
      const snapshot = JSON.parse(
        ok(await runAs(session, ["history", origin, String(base.serial), "--json"])).stdout,
      );
      expect(withoutSoa(await rrsets(session, zoneId))).toEqual(withoutSoa(snapshot.rrsets));

      // Once more: the zone already equals the snapshot.
      const again = ok(await runAs(session, ["rollback", zoneId, String(base.serial), "--yes", "--json"]));
      expect(JSON.parse(again.stdout)).toMatchObject({ status: "UNCHANGED", serial: head.serial + 1 });
      const text = ok(await runAs(session, ["rollback", zoneId, String(base.serial), "--yes"]));
      expect(text.stdout).toMatch(/^unchanged: the zone already equals serial \d+ .*nothing was written\n$/);
    },
    SLOW,
  );
});

describe("rollback on a terminal", () => {
  it("has util-linux `script` to give the CLI a terminal", () => {
    expect(hasScript, "`script` (Debian bsdutils) is missing: apt-get install bsdutils").toBe(true);
  });

  let session: string;
  const origin = uniqueOrigin("cli-tty");
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(uniqueEmail("tty"));
    zoneId = await createZone(session, origin);
    ok(await runAs(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.1"]));
  });

  it(
    'shows the diff and asks; only "yes" rolls back',
    async () => {
      const serial = await zoneSerial(session, zoneId);
      const declined = await runOnTerminal(session, ["rollback", origin, "1"], "no\n");
      expect(declined.code).toBe(2);
      // A terminal has one output: the preview, the question and the refusal, in that order.
      expect(declined.stdout).toMatch(
        new RegExp(
          `would take serial ${serial + 1}\\r?\\n-www\\.\\S+ 300 IN A 192\\.0\\.2\\.1\\r?\\n[^]*Type "yes" to confirm: [^]*error: not rolled back`,
        ),
      );
      expect(await zoneSerial(session, zoneId)).toBe(serial);

      const confirmed = await runOnTerminal(session, ["rollback", origin, "1"], "yes\n");
      expect({ code: confirmed.code, out: confirmed.stdout }).toMatchObject({
        code: 0,
        out: expect.stringContaining(`rolled back to serial 1 as serial ${serial + 1}`),
      });
      expect(withoutSoa(await rrsets(session, zoneId)).map((rr) => rr.type)).toEqual(["NS"]);
    },
    SLOW,
  );
});

describe("--dry-run on writes", () => {
  let session: string;
  const origin = uniqueOrigin("cli-dry");
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(uniqueEmail("dry"));
    zoneId = await createZone(session, origin);
    ok(await runAs(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.1"]));
  });

  it("prints the diff and the serial a change would take, and writes nothing", async () => {
    const serial = await zoneSerial(session, zoneId);
    const before = await rrsets(session, zoneId);

    const upsert = ok(
      await runAs(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.9", "--ttl", "60", "--dry-run"]),
    );
    expect(upsert.stdout).toBe(
      [
        `dry run: nothing was written; the change would take serial ${serial + 1}`,
        `-www.${origin}. 300 IN A 192.0.2.1`,
        `+www.${origin}. 60 IN A 192.0.2.9`,
        "(0 rrsets added, 0 removed, 1 changed)",
        "",
      ].join("\n"),
    );
    const deletion = ok(await runAs(session, ["rrsets", "delete", zoneId, "www", "A", "--dry-run"]));
    expect(deletion.stdout).toContain(
      `\n-www.${origin}. 300 IN A 192.0.2.1\n(0 rrsets added, 1 removed, 0 changed)\n`,
    );

    const file = path.join(work, "dry-changes.json");
    writeFileSync(
      file,
      JSON.stringify({ changes: [{ action: "CREATE", name: "new", type: "TXT", records: ['"hi"'] }] }),
    );
    const applied = ok(
      await runAs(session, ["rrsets", "apply", origin, "--file", file, "--dry-run", "--json"]),
    );
    expect(JSON.parse(applied.stdout)).toMatchObject({
      status: "DRY_RUN",
      dry_run: true,
      serial: serial + 1,
      diff: {
        added: [{ name: `new.${origin}.`, type: "TXT", ttl: 300, records: ['"hi"'] }],
        removed: [],
        changed: [],
      },
    });
    // A dry run meets the same checks: CREATE of an existing rrset is refused.
    writeFileSync(
      file,
      JSON.stringify([{ action: "CREATE", name: "www", type: "A", records: ["192.0.2.5"] }]),
    );
    const conflict = await runAs(session, ["rrsets", "apply", origin, "--file", file, "--dry-run"]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: 409 RRSET_EXISTS: /);

    expect(await zoneSerial(session, zoneId)).toBe(serial);
    expect(await rrsets(session, zoneId)).toEqual(before);
  });

  it("previews a Route 53 import without creating the zone", async () => {
    const imported = uniqueOrigin("cli-dry-r53");
    const file = path.join(work, "route53-dry.json");
    writeFileSync(file, route53Export(imported, 3));
    const dry = ok(await runAs(session, ["route53", "import", file, "--dry-run"]));
    const lines = dry.stdout.split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^dry run: nothing was written; the import would create ${imported.replace(/\./g, "\\.")} at serial \\d+ with 3 rrsets$`,
      ),
    );
    expect(lines).toContain(`+host0.${imported}. 300 IN A 10.0.0.0`);
    expect(lines).toContain(`+host2.${imported}. 300 IN TXT "v=verify-2"`);
    const zones = JSON.parse(ok(await runAs(session, ["zones", "list", "--json"])).stdout) as {
      zones: { origin: string }[];
    };
    expect(zones.zones.map((z) => z.origin)).not.toContain(imported);
    const json = JSON.parse(
      ok(await runAs(session, ["route53", "import", file, "--dry-run", "--json"])).stdout,
    );
    expect(json).toMatchObject({ dry_run: true, imported: 3 });
  });
});

describe("the mass-delete brake", () => {
  let session: string;
  const origin = uniqueOrigin("cli-brake");
  let zoneId: string;
  const names = Array.from({ length: 12 }, (_, i) => `host${String(i).padStart(2, "0")}`);

  beforeAll(async () => {
    session = await signIn(uniqueEmail("brake"));
    zoneId = await createZone(session, origin);
  });

  it(
    "refuses a rollback or a batch that deletes most of the zone unless --confirm-mass-delete",
    async () => {
      const file = path.join(work, "brake.json");
      writeFileSync(file, JSON.stringify(names.map((name) => ({ name, type: "A", records: ["192.0.2.1"] }))));
      ok(await runAs(session, ["rrsets", "apply", origin, "--file", file]));
      const full = await zoneSerial(session, zoneId);
      ok(await runAs(session, ["zones", "publish", origin]));

      // Back to serial 1 (SOA and NS only) would delete all 12.
      const refused = await runAs(session, ["rollback", origin, "1", "--yes"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error: 409 MASS_DELETE: The change would delete 12 of the zone's 12 rrsets/,
      );
      expect(refused.stderr).toContain(
        "hint: nothing was written; re-run with --confirm-mass-delete to go ahead",
      );
      expect(await zoneSerial(session, zoneId)).toBe(full);
      // A dry run is braked the same way: it shows what the real call would answer.
      expect((await runAs(session, ["rollback", origin, "1", "--dry-run"])).stderr).toContain(
        "409 MASS_DELETE",
      );

      ok(await runAs(session, ["rollback", origin, "1", "--yes", "--confirm-mass-delete"]));
      expect(withoutSoa(await rrsets(session, zoneId)).map((rr) => rr.type)).toEqual(["NS"]);

      // The 12 back (a rollback that deletes nothing), then a batch deleting 10 of them.
      ok(await runAs(session, ["rollback", origin, String(full), "--yes"]));
      const restored = await zoneSerial(session, zoneId);
      writeFileSync(
        file,
        JSON.stringify({
          changes: names.slice(0, 10).map((name) => ({ action: "DELETE", name, type: "A" })),
        }),
      );
      const batch = await runAs(session, ["rrsets", "apply", origin, "--file", file]);
      expect(batch.code).toBe(1);
      expect(batch.stderr).toMatch(
        /^error: 409 MASS_DELETE: The change would delete 10 of the zone's 12 rrsets/,
      );
      expect(batch.stderr).toContain("re-run with --confirm-mass-delete");
      expect(await zoneSerial(session, zoneId)).toBe(restored);
      const deleted = ok(
        await runAs(session, ["rrsets", "apply", origin, "--file", file, "--confirm-mass-delete"]),
      );
      expect(deleted.stdout).toContain("10 changes applied");
      expect(withoutSoa(await rrsets(session, zoneId))).toHaveLength(3);
    },
    SLOW,
  );

  it("does not ask for --yes on a dry run, nor accept a serial that is not a number", async () => {
    const bad = await run(["rollback", origin, "latest", "--dry-run"], { env: { DNSCOVE_TOKEN: session } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("must be a whole number");
  });
});
