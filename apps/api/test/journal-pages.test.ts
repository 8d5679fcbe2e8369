/**
 * The change journal is read in pages sized by bytes (packages/db zone-changes.ts): a page of big
 * TXT rows holds few rows, a page of one-record rows many, so no page converts much more than
 * JOURNAL_PAGE_BYTES in one turn of an edge's event loop. Whatever the page size, the rows read
 * must be exactly the journal's, in (serial, name, type) order — the keyset pagination crosses
 * page boundaries inside one serial — on SQLite and PostgreSQL.
 */
import { JOURNAL_PAGE_BYTES, nextPageRows, readZoneChanges } from "@dnscove/db";
import type { DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

describe("journal page size", () => {
  it("follows the rows' size, within bounds", () => {
    // ~3.4 kB rows (a 40-record TXT rrset): a few dozen per page; ~100-byte rows: many more.
    expect(nextPageRows(100, 100 * 3400)).toBe(Math.floor(JOURNAL_PAGE_BYTES / 3400));
    expect(nextPageRows(100, 100 * 100)).toBe(Math.floor(JOURNAL_PAGE_BYTES / 100));
    expect(nextPageRows(10, 10 * 1_000_000)).toBe(8); // huge rows: still a few per query
    expect(nextPageRows(100, 100)).toBe(2000); // tiny rows: capped
  });
});

describe.each(PROVIDERS)("journal read in byte-sized pages (%s)", (provider) => {
  let api: TestApi;
  let client: DnscoveClient;

  beforeAll(async () => {
    api = await startTestApi(provider);
    client = api.client(await api.signIn());
  });
  afterAll(() => api.close());

  it("returns every row, in order, whatever the page size", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "pages.example" } });
    const id = zone?.id ?? "";
    const path = { params: { path: { id } } };
    const start = zone?.serial ?? 0;
    // Three serials: big TXT rrsets, then small A rrsets, then a mix that replaces and deletes.
    const big = (i: number) =>
      Array.from({ length: 40 }, (_, k) => `"record ${k} of rrset ${i} ${"x".repeat(60)}"`);
    const writes = [
      Array.from({ length: 120 }, (_, i) => ({
        action: "UPSERT" as const,
        name: `t${i}`,
        type: "TXT",
        ttl: 300,
        records: big(i),
      })),
      Array.from({ length: 700 }, (_, i) => ({
        action: "UPSERT" as const,
        name: `a${i}`,
        type: "A",
        ttl: 60,
        records: [`192.0.2.${i % 250}`],
      })),
      [
        ...Array.from({ length: 60 }, (_, i) => ({ action: "DELETE" as const, name: `t${i}`, type: "TXT" })),
        ...Array.from({ length: 300 }, (_, i) => ({
          action: "UPSERT" as const,
          name: `a${i}`,
          type: "A",
          ttl: 120,
          records: ["198.51.100.1"],
        })),
      ],
    ];
    let end = start;
    for (const changes of writes) {
      const written = await client.POST("/api/zones/{id}/rrsets", { ...path, body: { changes } });
      expect(written.error).toBeUndefined();
      end = written.data?.serial ?? 0;
    }

    const db = api.services.db;
    const all = await db.zoneChange.findMany({
      where: { zoneId: id, serial: { gt: start, lte: end } },
      orderBy: [{ serial: "asc" }, { name: "asc" }, { type: "asc" }],
      select: { serial: true, name: true, type: true },
    });
    expect(all).toHaveLength(120 + 700 + 360);
    const keys = (rows: { serial: number; name: string; type: string }[]) =>
      rows.map((r) => `${r.serial} ${r.name} ${r.type}`);
    for (const pageBytes of [1, 2048, 50_000, JOURNAL_PAGE_BYTES, 1 << 30]) {
      const read = await readZoneChanges(db, id, start, end, pageBytes);
      expect(keys(read), `pageBytes ${pageBytes}`).toEqual(keys(all));
    }
    // A range that starts inside the journal.
    const tail = await readZoneChanges(db, id, start + 1, end, 2048);
    expect(keys(tail)).toEqual(keys(all.filter((r) => r.serial > start + 1)));
    const replaced = tail.find((r) => r.name === "a5.pages.example." && r.serial === end);
    expect(replaced).toMatchObject({
      before: { ttl: 60, records: JSON.stringify(["192.0.2.5"]) },
      after: { ttl: 120, records: JSON.stringify(["198.51.100.1"]) },
    });
  });
});
