import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ApiProcess, mintToken, signIn, startApiProcess } from "@dnscove/testkit";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, type RunOptions, run, uniqueEmail, uniqueOrigin } from "./helpers.js";

/**
 * `dnscove audit`: "who changed this record, when, and from where?" (issue 15). This file starts its
 * own API with its own data directory, so that it may damage the audit log's SQLite file and see
 * `audit verify` name the entry, without touching the API the other test files share.
 */

interface Entry {
  seq: number;
  tenant_id: string;
  operation: string;
  actor: { kind: string; id: string; name: string | null };
  client_address: string | null;
  request_id: string | null;
  detail: { changes?: { name: string }[] };
}

const dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-cli-audit-"));
let api: ApiProcess;

beforeAll(async () => {
  api = await startApiProcess(undefined, { DNSCOVE_DATA_DIR: dataDir, DATABASE_URL: "file:audit.db" });
});
afterAll(async () => {
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The CLI against this file's API, with a token. */
function cli(token: string, args: string[], options: RunOptions = {}) {
  return run(args, { ...options, env: { DNSCOVE_API: api.url, DNSCOVE_TOKEN: token, ...options.env } });
}

const SLOW = 180_000;

describe("dnscove audit", () => {
  const email = uniqueEmail("audit");
  const origin = uniqueOrigin("cli-audit");
  let session: string;
  let token: string;
  let tokenId: string;
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(api.url, { email });
    zoneId = JSON.parse(ok(await cli(session, ["zones", "create", origin, "--json"])).stdout).id;
    ok(await cli(session, ["rrsets", "upsert", origin, "www", "A", "192.0.2.1"]));
    token = await mintToken(api.url, session, { scope: "tenant-admin", name: "deployer" });
    tokenId = /^dnsc_([0-9a-f]{16})_/.exec(token)?.[1] ?? "";
    ok(await cli(token, ["rrsets", "upsert", zoneId, "api", "A", "192.0.2.7"]));
    ok(await cli(token, ["rrsets", "delete", zoneId, "www", "A"]));
    // Published now (by this or by the auto-publisher, whichever comes first), so the auto-publisher
    // has nothing left to do: no `zone.publish` entry lands between two listings a test compares.
    ok(await cli(session, ["zones", "publish", origin]));
  }, SLOW);

  it(
    "lists who changed the zone's records, when and from where",
    async () => {
      const json = JSON.parse(ok(await cli(session, ["audit", "--zone", origin, "--json"])).stdout) as {
        entries: Entry[];
        next_cursor: string | null;
      };
      expect(json.next_cursor).toBeNull();
      const changes = json.entries.filter((e) => e.operation === "rrsets.change");
      // Newest first: the token's delete, the token's upsert, the session's upsert.
      expect(changes.map((e) => [e.actor.kind, e.actor.id, e.detail.changes?.[0]?.name])).toEqual([
        ["token", tokenId, `www.${origin}.`],
        ["token", tokenId, `api.${origin}.`],
        ["session", expect.any(String), `www.${origin}.`],
      ]);
      expect(json.entries.map((e) => e.operation)).toContain("zone.create");
      expect(json.entries.map((e) => e.operation)).not.toContain("token.create"); // not about the zone

      const table = ok(await cli(session, ["audit", "--zone", zoneId])).stdout.split("\n");
      expect(table[0]).toMatch(/^SEQ\s+TIME\s+ACTOR\s+OPERATION\s+ZONE\s+CLIENT\s+REQUEST\s+WHAT$/);
      const row = (seq: number) => table.find((line) => line.startsWith(`${seq} `)) ?? "";
      const [deletion, upsert, first] = changes as [Entry, Entry, Entry];
      const at = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
      const zone = origin.replace(/\./g, "\\.");
      expect(row(deletion.seq)).toMatch(
        new RegExp(
          `^${deletion.seq}\\s+${at}\\s+token ${tokenId} \\(deployer\\)\\s+rrsets\\.change\\s+${zone}\\s+127\\.0\\.0\\.1\\s+${deletion.request_id}\\s+-www\\.${zone}\\. A$`,
        ),
      );
      expect(row(upsert.seq)).toContain(`+api.${origin}. A`);
      expect(row(first.seq)).toMatch(
        new RegExp(`^${first.seq}\\s+${at}\\s+${email.replace(/\./g, "\\.")}\\s+rrsets\\.change\\s`),
      );

      // --actor by email: only the session's entries, of every zone and none.
      const mine = JSON.parse(ok(await cli(session, ["audit", "--actor", email, "--json"])).stdout) as {
        entries: Entry[];
      };
      expect(mine.entries.length).toBeGreaterThan(0);
      expect(new Set(mine.entries.map((e) => e.actor.kind))).toEqual(new Set(["session"]));
      const theirs = JSON.parse(ok(await cli(token, ["audit", "--actor", tokenId, "--json"])).stdout);
      expect(theirs.entries.map((e: Entry) => e.seq)).toEqual([deletion.seq, upsert.seq]);

      // Time filters: nothing before the log began, everything since then.
      expect(ok(await cli(session, ["audit", "--until", "2020-01-01"])).stdout).toBe("(no entries)\n");
      const recent = JSON.parse(
        ok(await cli(session, ["audit", "--zone", origin, "--since", "1d", "--json"])).stdout,
      );
      expect(recent.entries).toHaveLength(json.entries.length);
      const badTime = await cli(session, ["audit", "--since", "yesterday"]);
      expect(badTime.code).toBe(2);
      expect(badTime.stderr).toContain("--since");
    },
    SLOW,
  );

  it(
    "pages with --limit and follows the cursor with --all",
    async () => {
      const everything = JSON.parse(ok(await cli(session, ["audit", "--json"])).stdout) as {
        entries: Entry[];
      };
      const one = await cli(session, ["audit", "--limit", "1"]);
      expect(ok(one).stdout.trim().split("\n")).toHaveLength(2);
      const cursor = /older entries: add --all, or --cursor (\d+)/.exec(one.stderr)?.[1];
      expect(cursor).toBeDefined();
      const next = JSON.parse(
        ok(await cli(session, ["audit", "--limit", "1", "--cursor", cursor ?? "", "--json"])).stdout,
      );
      expect(next.entries.map((e: Entry) => e.seq)).toEqual([everything.entries[1]?.seq]);
      const all = JSON.parse(ok(await cli(session, ["audit", "--limit", "2", "--all", "--json"])).stdout);
      expect(all.entries.map((e: Entry) => e.seq)).toEqual(everything.entries.map((e) => e.seq));
      expect(all.next_cursor).toBeNull();
    },
    SLOW,
  );

  it(
    "shows one entry with the rrsets before and after",
    async () => {
      const json = JSON.parse(
        ok(await cli(session, ["audit", "--zone", zoneId, "--actor", tokenId, "--json"])).stdout,
      );
      const deletion = json.entries[0] as Entry;
      const shown = ok(await cli(session, ["audit", "show", String(deletion.seq)])).stdout;
      expect(shown).toMatch(new RegExp(`^seq:\\s+${deletion.seq}$`, "m"));
      expect(shown).toMatch(new RegExp(`^actor:\\s+token ${tokenId} \\(deployer\\)$`, "m"));
      expect(shown).toMatch(/^scope:\s+tenant-admin$/m);
      expect(shown).toMatch(new RegExp(`^zone:\\s+${origin.replace(/\./g, "\\.")} \\(${zoneId}\\)$`, "m"));
      expect(shown).toMatch(/^client address:\s+127\.0\.0\.1$/m);
      expect(shown).toMatch(new RegExp(`^request id:\\s+${deletion.request_id}$`, "m"));
      expect(shown).toMatch(/^detail: \{"serial":\d+\}$/m);
      expect(shown.trimEnd().split("\n").at(-1)).toBe(`-www.${origin}. 300 IN A 192.0.2.1`);
      expect(
        JSON.parse(ok(await cli(session, ["audit", "show", String(deletion.seq), "--json"])).stdout),
      ).toEqual(deletion);
      const missing = await cli(session, ["audit", "show", "999999"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe("error: no audit entry 999999 in this tenant\n");
    },
    SLOW,
  );

  it(
    "verifies the chain, and names the first entry someone changed in the database",
    async () => {
      const verified = ok(await cli(session, ["audit", "verify"]));
      expect(verified.stdout).toMatch(/^ok: the chain of \d+ entries is intact\n$/);
      expect(JSON.parse(ok(await cli(session, ["audit", "verify", "--json"])).stdout)).toMatchObject({
        ok: true,
      });

      const json = JSON.parse(
        ok(await cli(session, ["audit", "--zone", zoneId, "--actor", email, "--json"])).stdout,
      );
      const victim = (json.entries as Entry[]).find((e) => e.operation === "rrsets.change") as Entry;
      const db = new Database(path.join(dataDir, "audit.db"));
      try {
        db.pragma("busy_timeout = 30000");
        const changed = db
          .prepare(
            `UPDATE audit_entries SET detail = replace(detail, '192.0.2.1', '192.0.2.66') WHERE tenant_id = ? AND seq = ?`,
          )
          .run(victim.tenant_id, victim.seq);
        expect(changed.changes).toBe(1);
      } finally {
        db.close();
      }

      const broken = await cli(session, ["audit", "verify"]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toBe("");
      expect(broken.stderr).toMatch(
        new RegExp(
          `^error: audit log BROKEN at entry ${victim.seq} \\(rrsets\\.change, \\S+Z\\): hash_mismatch: `,
        ),
      );
      const brokenJson = await cli(session, ["audit", "verify", "--json"]);
      expect(brokenJson.code).toBe(1);
      expect(JSON.parse(brokenJson.stdout)).toMatchObject({
        ok: false,
        first_broken: { seq: victim.seq, operation: "rrsets.change" },
        reason: "hash_mismatch",
      });
    },
    SLOW,
  );
});
