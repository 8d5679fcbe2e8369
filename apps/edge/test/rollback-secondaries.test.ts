/**
 * Issue 15: a rollback is an ordinary new serial, so the edge serves it and an IXFR-fed secondary
 * follows it. The real API process (embedded edge; SQLite, then PostgreSQL) takes a seeded random
 * sequence of changes, publishing at random points; then rollbacks to random earlier published
 * serials, each published. After each, the API's rrsets equal that serial's snapshot, the edge's
 * AXFR equals the API's listing at the new serial, and a real Knot (NOTIFY + IXFR) ends with exactly
 * that content. The seed is in every failure message (ROLLBACK_SEED=<n> replays).
 */
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApiProcess,
  freePort,
  type PostgresServer,
  seededRandom,
  signIn,
  startApiProcess,
  startPostgres,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axfrRecords, type DigRecord, recordLines } from "./helpers/dig.js";
import { type Secondary, startKnot } from "./helpers/secondaries.js";
import { waitForSerial } from "./helpers/soa-probe.js";

const SEED = Number(process.env.ROLLBACK_SEED ?? randomInt(2 ** 31));
const FOLLOW_MS = 60_000;
const why = (extra = "") => `seed ${SEED} (ROLLBACK_SEED=${SEED} replays)${extra ? `\n${extra}` : ""}`;

interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

/** `owner ttl type rdata` lines, sorted, the SOA left out (its serial is the only difference). */
function contentLines(records: DigRecord[]): string[] {
  return recordLines(records.filter((r) => r.type !== "SOA"));
}

function rrsetLines(rrsets: readonly RRset[]): string[] {
  return contentLines(
    rrsets.flatMap((r) => r.records.map((rdata) => ({ owner: r.name, ttl: r.ttl, type: r.type, rdata }))),
  );
}

/** The zone by AXFR from `port` (kdig), without the SOA. */
async function axfrLines(port: number, origin: string): Promise<string[]> {
  return contentLines(await axfrRecords(port, origin));
}

describe.each(["sqlite", "postgres"] as const)(
  `rollback reaches the edge and Knot (%s, seed ${SEED})`,
  (provider) => {
    const origin = `rollback-${randomBytes(3).toString("hex")}.example`;
    let dir: string;
    let dnsPort: number;
    let knot: Secondary;
    let postgres: PostgresServer | undefined;
    let api: ApiProcess;
    let token: string;
    let zoneId: string;

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
    const listing = async () =>
      ((await call("GET", `/api/zones/${zoneId}/rrsets`)) as { rrsets: RRset[] }).rrsets;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "dnscove-rollback-"));
      dnsPort = await freePort();
      knot = await startKnot(dir, [{ origin, primaryPort: dnsPort }], { serveTransfers: true });
      let databaseUrl: Record<string, string> = {};
      if (provider === "postgres") {
        postgres = await startPostgres();
        await postgres.createDatabase("dnscove");
        databaseUrl = { DATABASE_URL: postgres.databaseUrl("dnscove") };
      }
      api = await startApiProcess(undefined, {
        DNS_PORT: String(dnsPort),
        DNSCOVE_DATA_DIR: join(dir, "api"),
        DNSCOVE_SECONDARIES: `127.0.0.1:${knot.port}`,
        // Publishing is the test's.
        DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
        EDGE_RRL_RATE: "0",
        ...databaseUrl,
      });
      token = await signIn(api.url, { label: "rollback" });
      zoneId = (await call("POST", "/api/zones", { origin })).id as string;
    }, 180_000);

    afterAll(async () => {
      await api?.stop();
      await knot?.stop();
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("serves each rollback at its new serial, on the edge and on Knot by IXFR", async () => {
      const rand = seededRandom(SEED);
      const names = Array.from({ length: 15 }, (_, i) => `h${i}.${origin}.`);
      const published = new Map<number, string[]>();
      for (let round = 0; round < 40; round++) {
        const count = rand() < 0.3 ? 2 + Math.floor(rand() * 4) : 1;
        const picked = [
          ...new Set(Array.from({ length: count }, () => names[Math.floor(rand() * names.length)] as string)),
        ];
        const changes = picked.map((name) =>
          rand() < 0.3
            ? { action: "DELETE", name, type: "TXT" }
            : {
                action: "UPSERT",
                name,
                type: "TXT",
                ttl: [60, 300][Math.floor(rand() * 2)],
                records: [`"r${round}"`, `"x${Math.floor(rand() * 5)}"`],
              },
        );
        await call("POST", `/api/zones/${zoneId}/rrsets`, { changes });
        if (rand() < 0.3 || round === 39) {
          const serial = await publish();
          published.set(serial, rrsetLines(await listing()));
        }
      }
      const serials = [...published.keys()];
      const last = Math.max(...serials);
      expect(
        await waitForSerial(knot.port, origin, last, FOLLOW_MS),
        why(knot.log().slice(-2000)),
      ).toBeDefined();

      for (let i = 0; i < 3; i++) {
        const target = serials[Math.floor(rand() * serials.length)] as number;
        const answer = await call("POST", `/api/zones/${zoneId}/rollback`, {
          serial: target,
          confirm_mass_delete: true,
        });
        const want = published.get(target) ?? [];
        expect(rrsetLines(await listing()), why(`rollback to ${target}`)).toEqual(want);
        const serial = await publish();
        if (answer.status !== "UNCHANGED") expect(serial, why()).toBe(answer.serial);
        // The edge serves it (publish answered once it did) and Knot follows by IXFR.
        expect(await axfrLines(dnsPort, origin), why(`edge after rollback to ${target}`)).toEqual(want);
        expect(
          await waitForSerial(knot.port, origin, serial, FOLLOW_MS),
          why(`Knot never served ${serial}:\n${knot.log().slice(-3000)}`),
        ).toBeDefined();
        expect(await axfrLines(knot.port, origin), why(`Knot after rollback to ${target}`)).toEqual(want);
      }
      // Knot took the changes as differences (after its one bootstrap AXFR).
      expect(knot.log(), why()).toMatch(/IXFR, incoming/);
    }, 600_000);
  },
);
