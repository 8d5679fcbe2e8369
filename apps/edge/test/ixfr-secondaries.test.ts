/**
 * IXFR-fed secondaries stay exact (issue 14, RFC 1995): the real API (embedded default: SQLite, its
 * edge) takes a long random sequence of rrset changes, single and batch, publishing every few
 * rounds; a real Knot and a real NSD follow the edge by NOTIFY and IXFR. At checkpoints each
 * secondary's AXFR content (kdig against the secondary) equals exactly what the API lists. The
 * edge's transfer log proves the transfers were differences: after the two bootstrap AXFRs, every
 * IXFR was answered as a difference (or the SOA alone), never in AXFR form.
 *
 * Then a secondary older than the journal: Knot is stopped (it keeps its zone in its journal),
 * enough changes are published for two compactions to prune the history past Knot's serial, and
 * the restarted Knot's IXFR is answered in AXFR form ("history does not reach back") and it ends
 * exact again.
 *
 * The PRNG is seeded (IXFR_SEED to replay); the seed is in every failure message.
 */
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { type ApiProcess, freePort, seededRandom, signIn, startApiProcess, waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransferReport } from "../src/transfer/zone-transfer.js";
import { axfrRecords, recordLines } from "./helpers/dig.js";
import { type Secondary, startKnot, startNsd } from "./helpers/secondaries.js";
import { waitForSerial } from "./helpers/soa-probe.js";

const SEED = Number(process.env.IXFR_SEED ?? randomInt(2 ** 31));
const ROUNDS = 300;
const CHECKPOINTS = new Set([100, 200, 300]);
/** Generous bound for a secondary to serve a published serial (stated bound: 5 s after NOTIFY). */
const FOLLOW_MS = 60_000;

interface Change {
  action: "UPSERT" | "DELETE";
  name: string;
  type: string;
  ttl?: number;
  records?: string[];
}

/** Random valid changes against a model of the zone (CNAMEs on names of their own, RFC 1034 3.6.2). */
class ChangeMaker {
  private readonly held = new Map<string, { name: string; type: string }>();
  constructor(
    private readonly rand: () => number,
    private readonly origin: string,
  ) {}

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)] as T;
  }

  private records(type: string): string[] {
    const n = 1 + Math.floor(this.rand() * 3);
    const one = (): string => {
      const x = Math.floor(this.rand() * 250) + 1;
      if (type === "A") return `192.0.2.${x}`;
      if (type === "AAAA") return `2001:db8::${x.toString(16)}`;
      if (type === "TXT") return `"t${x}"`;
      if (type === "MX") return `${x} mx${x % 7}.example.net.`;
      return `target${x}.example.net.`;
    };
    if (type === "CNAME") return [one()];
    return [...new Set(Array.from({ length: n }, one))];
  }

  /** Up to `count` changes on distinct rrsets. */
  next(count: number): Change[] {
    const out: Change[] = [];
    const used = new Set<string>();
    while (out.length < count) {
      const existing = [...this.held.values()];
      if (existing.length > 0 && this.rand() < 0.3) {
        const victim = this.pick(existing);
        const key = `${victim.name} ${victim.type}`;
        if (used.has(key)) continue;
        used.add(key);
        this.held.delete(key);
        out.push({ action: "DELETE", name: victim.name, type: victim.type });
        continue;
      }
      const type = this.pick(["A", "AAAA", "TXT", "MX", "CNAME"]);
      const name =
        type === "CNAME"
          ? `c${Math.floor(this.rand() * 8)}.${this.origin}.`
          : `h${Math.floor(this.rand() * 25)}.${this.origin}.`;
      const key = `${name} ${type}`;
      if (used.has(key)) continue;
      used.add(key);
      this.held.set(key, { name, type });
      out.push({
        action: "UPSERT",
        name,
        type,
        ttl: this.pick([60, 300, 3600]),
        records: this.records(type),
      });
    }
    return out;
  }
}

/** The zone as kdig receives it by AXFR from `port`, as comparable lines. */
async function axfrContent(port: number, origin: string): Promise<string[]> {
  return recordLines(await axfrRecords(port, origin));
}

describe(`IXFR-fed Knot and NSD follow the API exactly (seed ${SEED})`, () => {
  const origin = `ixfr-${randomBytes(3).toString("hex")}.example`;
  let dir: string;
  let dnsPort: number;
  let knot: Secondary;
  let nsd: Secondary;
  let api: ApiProcess;
  let token: string;
  let zoneId: string;
  const rand = seededRandom(SEED);
  const why = (extra = "") => `seed ${SEED} (IXFR_SEED=${SEED} replays)${extra ? `\n${extra}` : ""}`;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, path, { bearer: token, ...(body !== undefined ? { body } : {}) });
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)} ${why()}`);
    return res.body as Record<string, unknown>;
  };
  const publish = async () => {
    const res = await call("POST", `/api/zones/${zoneId}/publish`);
    expect(res.published, why(JSON.stringify(res))).toBe(true);
    return res.serial as number;
  };
  const apiContent = async () => {
    const { rrsets } = (await call("GET", `/api/zones/${zoneId}/rrsets`)) as {
      rrsets: { name: string; type: string; ttl: number; records: string[] }[];
    };
    return recordLines(
      rrsets.flatMap((r) => r.records.map((rdata) => ({ owner: r.name, ttl: r.ttl, type: r.type, rdata }))),
    );
  };
  /** The edge's transfer reports for this zone, from the API process's log. */
  const reports = (): TransferReport[] =>
    api
      .output()
      .split("\n")
      .filter((l) => l.includes('"zone transfer answered"'))
      .map((l) => (JSON.parse(l) as { transfer: TransferReport }).transfer)
      .filter((r) => r.zone === `${origin}.`);
  const expectExact = async (secondary: Secondary, serial: number) => {
    expect(
      await waitForSerial(secondary.port, origin, serial, FOLLOW_MS),
      why(`${secondary.kind} never served ${serial}:\n${secondary.log().slice(-3000)}`),
    ).toBeDefined();
    const want = await apiContent();
    expect(
      want.some((l) => l.includes(" SOA ") && l.includes(` ${serial} `)),
      why(),
    ).toBe(true);
    expect(await axfrContent(secondary.port, origin), why(`${secondary.kind} content`)).toEqual(want);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dnscove-ixfr-"));
    dnsPort = await freePort();
    const zones = [{ origin, primaryPort: dnsPort }];
    // Both let the test AXFR their copy; NSD asks for IXFR by default once it holds the zone
    // (request-xfr without the AXFR keyword), Knot too.
    knot = await startKnot(dir, zones, { journalContent: "all", serveTransfers: true });
    nsd = await startNsd(dir, zones, ["rrl-ratelimit: 0"], ["provide-xfr: 127.0.0.0/8 NOKEY"]);
    api = await startApiProcess(undefined, {
      DNS_PORT: String(dnsPort),
      DNSCOVE_DATA_DIR: join(dir, "api"),
      DNSCOVE_SECONDARIES: `127.0.0.1:${knot.port},127.0.0.1:${nsd.port}`,
      // Publishing is (mostly) the test's: every few rounds, by the publish call.
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
      // Compaction must prune past the stopped Knot's serial: no retention window beyond what
      // edges and IXFR clients need (the default keeps 30 days of published serials).
      DNSCOVE_HISTORY_RETENTION_DAYS: "0",
      EDGE_RRL_RATE: "0",
      // The edge logs each transfer at info ("zone transfer answered").
      LOG_LEVEL: "info",
    });
    token = await signIn(api.url, { label: "ixfr" });
    const zone = await call("POST", "/api/zones", { origin });
    zoneId = zone.id as string;
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await Promise.all([knot?.stop(), nsd?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps both secondaries exact through 300 random rounds, by IXFR differences", async () => {
    const maker = new ChangeMaker(rand, origin);
    // A base the random rounds do not touch: a few publishes' differences stay smaller than the
    // zone, so none of them may be answered in AXFR form for its size.
    await call("POST", `/api/zones/${zoneId}/rrsets`, {
      changes: Array.from({ length: 200 }, (_, i) => ({
        action: "UPSERT",
        name: `base${i}.${origin}.`,
        type: "A",
        ttl: 300,
        records: [`198.51.100.${i % 250}`],
      })),
    });
    let serial = await publish();
    await expectExact(knot, serial);
    await expectExact(nsd, serial);
    let untilPublish = 1 + Math.floor(rand() * 4);
    const published: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const batch = rand() < 0.3;
      const changes = maker.next(batch ? 2 + Math.floor(rand() * 5) : 1);
      await call("POST", `/api/zones/${zoneId}/rrsets`, batch ? { changes } : changes[0]);
      if (--untilPublish === 0 || CHECKPOINTS.has(round)) {
        serial = await publish();
        published.push(serial);
        untilPublish = 1 + Math.floor(rand() * 4);
        // Each secondary serves it before the next publish: NSD, sent transfers faster than its
        // reload applies them, restarts with an AXFR ("soa serial … update failed"), which would
        // hide whether our IXFRs were differences.
        for (const secondary of [knot, nsd])
          expect(
            await waitForSerial(secondary.port, origin, serial, FOLLOW_MS),
            why(`${secondary.kind} never served ${serial}:\n${secondary.log().slice(-3000)}`),
          ).toBeDefined();
      }
      if (CHECKPOINTS.has(round)) {
        await expectExact(knot, serial);
        await expectExact(nsd, serial);
      }
    }
    const seen = reports();
    const ixfr = seen.filter((r) => r.qtype === "IXFR");
    const differences = ixfr.filter((r) => r.form === "difference");
    // Each secondary bootstraps with one AXFR; everything after is IXFR.
    expect(
      seen.filter((r) => r.qtype === "AXFR").length,
      why(
        `${JSON.stringify(seen.filter((r) => r.qtype === "AXFR"))}\n${knot
          .log()
          .split("\n")
          .filter((l) => /AXFR|fallback/.test(l))
          .join("\n")}\n${nsd
          .log()
          .split("\n")
          .filter((l) => /AXFR|axfr|fall/.test(l))
          .slice(-30)
          .join("\n")}`,
      ),
    ).toBeLessThanOrEqual(2);
    expect(
      ixfr.filter((r) => r.form === "axfr"),
      why(),
    ).toEqual([]);
    // Every published serial reached each secondary (it served it before the next publish) as a
    // difference ending at that serial: at least two per serial, one per secondary.
    expect(published.length, why()).toBeGreaterThan(60);
    const short = published.filter((s) => differences.filter((r) => r.serial === s).length < 2);
    expect(short, why(JSON.stringify(seen.slice(-6)))).toEqual([]);
    // Condensed: some differences span several serials (publishes every few rounds).
    expect(
      differences.some((r) => r.serial - (r.clientSerial ?? r.serial) > 1),
      why(),
    ).toBe(true);
    expect(knot.log(), why()).toMatch(/IXFR, incoming/);
    expect(knot.log(), why()).not.toMatch(/AXFR-style IXFR/);
  }, 900_000);

  it("answers a secondary older than the journal in AXFR form, and it ends exact", async () => {
    const before = (await call("GET", `/api/zones/${zoneId}`)).published_serial as number;
    await expectExact(knot, before);
    await knot.stop();
    // 5 × 700 journal rows on the same 700 names: compaction runs past 1,000 rows since the last
    // snapshot (compact-history.ts), at least twice here, which prunes the journal past `before`.
    let serial = before;
    for (let i = 0; i < 5; i++) {
      const changes = Array.from({ length: 700 }, (_, n) => ({
        action: "UPSERT",
        name: `bulk${n}.${origin}.`,
        type: "TXT",
        ttl: 300,
        records: [`"pass ${i}"`],
      }));
      await call("POST", `/api/zones/${zoneId}/rrsets`, { changes });
      serial = await publish();
    }
    // Compaction follows the publish that made the zone due, off its path: wait until it pruned
    // past `before`, read from the API's own database file.
    const inspector = await openDatabase(parseDatabaseUrl(`file:${join(dir, "api", "dnscove.db")}`, dir), {
      migrate: false,
    });
    try {
      await waitFor(
        "compaction to prune the history past Knot's serial",
        async () =>
          ((await inspector.db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } }))
            ?.historyFrom ?? 0) > before,
        60_000,
      );
    } finally {
      await inspector.close();
    }
    // Same port (the edge NOTIFYs it) and storage: Knot loads its old serial from its journal.
    knot = await startKnot(dir, [{ origin, primaryPort: dnsPort }], {
      port: knot.port,
      journalContent: "all",
      serveTransfers: true,
    });
    // The NOTIFYs of the publishes above went to a stopped Knot (3 tries in 2 s, then given up,
    // like any primary), and the restarted Knot plans its next refresh from the SOA refresh
    // interval (an hour): without a new NOTIFY it would only ask if one of those retransmissions
    // happened to reach it after the restart. One more publish NOTIFYs it, and it asks by IXFR
    // from the serial it kept, which the history no longer reaches.
    await call("POST", `/api/zones/${zoneId}/rrsets`, {
      changes: [
        { action: "UPSERT", name: `after-restart.${origin}.`, type: "TXT", ttl: 300, records: ['"back"'] },
      ],
    });
    serial = await publish();
    await expectExact(knot, serial);
    await expectExact(nsd, serial);
    const fallback = reports().filter((r) => r.qtype === "IXFR" && r.clientSerial === before);
    expect(fallback, why(JSON.stringify(reports().slice(-8)))).toContainEqual(
      expect.objectContaining({ form: "axfr", fallback: "history does not reach back", serial }),
    );
  }, 600_000);
});
