import { decodeSnapshot, encodeSnapshot, readZoneAt } from "@dnscove/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishZoneById } from "../src/domain/publish/publish-zone.js";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

const WRITES = 200;
const WRITERS = 4;
const PUBLISHERS = 3;

/**
 * Point-in-time snapshots under concurrency (api-contract.md: a write acknowledged with serial S
 * is in the snapshot published at S and in none before). Writers and publishers race on one zone;
 * every snapshot seen is checked against every acknowledged serial. Before the publisher locked the
 * zone row, PostgreSQL let a write acknowledged as S+1 into snapshot S.
 */
describe.each(PROVIDERS)("point-in-time snapshots under concurrent writes and publishes (%s)", (provider) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(provider);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("snapshot S holds exactly the writes acknowledged with serials up to S", {
    timeout: 180_000,
  }, async () => {
    const client = api.client(await api.signIn());
    const { data: zone } = await client.POST("/api/zones", { body: { origin: `pit-${provider}.example` } });
    const zoneId = zone?.id ?? "";
    const path = { params: { path: { id: zoneId } } };
    const acknowledged = new Map<string, number>(); // rrset name → serial its write was acknowledged with
    const snapshots = new Map<number, string>(); // published serial → its content, as first seen

    // Publish stores snapshots rarely and the change journal always (issue 14): the published
    // zone at S is what an edge rebuilds from them, and it must never change once published.
    const collect = async () => {
      const published = await api.services.db.zone.findUniqueOrThrow({
        where: { id: zoneId },
        select: { publishedSerial: true },
      });
      const zoneAt = await readZoneAt(api.services.db, zoneId, published.publishedSerial);
      if (!zoneAt) throw new Error(`serial ${published.publishedSerial} cannot be rebuilt`);
      const content = encodeSnapshot(zoneAt);
      const seen = snapshots.get(zoneAt.serial);
      if (seen !== undefined) expect(content, `published zone ${zoneAt.serial} changed`).toBe(seen);
      else snapshots.set(zoneAt.serial, content);
    };

    let next = 0;
    const writer = async () => {
      try {
        await writeAll();
      } catch (error) {
        throw new Error(`${String(error)}\n${api.logs.filter((line) => /"level":50/.test(line)).join("\n")}`);
      }
    };
    const writeAll = async () => {
      for (let i = next++; i < WRITES; i = next++) {
        const { data, response } = await client.POST("/api/zones/{id}/rrsets", {
          ...path,
          body: { action: "UPSERT", name: `d${i}`, type: "TXT", ttl: 60, records: [`"v${i}"`] },
        });
        expect(response.status, `write d${i}`).toBe(200);
        acknowledged.set(`d${i}.pit-${provider}.example.`, data?.serial ?? -1);
      }
    };
    let writing = true;
    const publisher = async (viaHttp: boolean) => {
      while (writing) {
        if (viaHttp) {
          const { response } = await client.POST("/api/zones/{id}/publish", path);
          expect(response.status).toBe(200);
        } else {
          await publishZoneById(api.services, zoneId, { skipLocked: true });
        }
        await collect();
        // Yield to I/O: SQLite calls complete without it, and a tight loop would starve the server.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const publishers = Array.from({ length: PUBLISHERS }, (_, n) => publisher(n % 2 === 0));
    const writers = Array.from({ length: WRITERS }, writer);
    try {
      await Promise.all(writers);
    } finally {
      writing = false;
      await Promise.allSettled(publishers);
    }
    await Promise.all(publishers).catch((error: unknown) => {
      // Name the server-side cause of a 5xx (the answer itself only carries a request id).
      throw new Error(`${String(error)}\n${api.logs.filter((line) => /"level":50/.test(line)).join("\n")}`);
    });
    await publishZoneById(api.services, zoneId);
    await collect();

    // Every accepted write bumped the serial by exactly one: 2..WRITES+1, no gaps, no repeats.
    expect([...acknowledged.values()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: WRITES }, (_, i) => i + 2),
    );
    expect(snapshots.has(WRITES + 1)).toBe(true);
    expect(snapshots.size).toBeGreaterThan(3);
    const violations: string[] = [];
    for (const [serial, content] of snapshots) {
      const decoded = decodeSnapshot(content);
      expect(decoded.serial).toBe(serial);
      const names = new Set(decoded.rrsets.map((rrset) => rrset.name));
      for (const [name, ackSerial] of acknowledged) {
        if (names.has(name) !== ackSerial <= serial) {
          violations.push(
            `snapshot ${serial} ${names.has(name) ? "holds" : "lacks"} ${name} (acknowledged as serial ${ackSerial})`,
          );
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
