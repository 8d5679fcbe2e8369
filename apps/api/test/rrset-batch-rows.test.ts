/**
 * The raw row statements of an rrset change (rrset-rows.ts, and the journal's multi-row INSERT in
 * packages/db) on SQLite and PostgreSQL: a 1,000-rrset batch of new rrsets, then one batch that
 * replaces, deletes and creates, must leave exactly the rows, the rrset count and the journal the
 * changes describe. Journal rows of new or removed rrsets carry NULL columns, which a multi-row
 * VALUES list must store as NULL on both databases.
 */
import { readZoneChanges } from "@dnscove/db";
import type { DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

describe.each(PROVIDERS)("rrset batches as raw row statements (%s)", (provider) => {
  let api: TestApi;
  let client: DnscoveClient;

  beforeAll(async () => {
    api = await startTestApi(provider);
    client = api.client(await api.signIn());
  });
  afterAll(() => api.close());

  it("stores a 1,000-rrset batch, then a mixed batch, exactly, with its rrset count and journal", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "rows.example" } });
    const id = zone?.id ?? "";
    const path = { params: { path: { id } } };
    const txt = (i: number, version: string) => [`"rrset ${i} ${version}"`, `"second ${i}"`];

    const first = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: Array.from({ length: 1000 }, (_, i) => ({
          action: "CREATE" as const,
          name: `h${i}`,
          type: "TXT",
          ttl: 300,
          records: txt(i, "v1"),
        })),
      },
    });
    expect(first.error).toBeUndefined();
    const serial1 = first.data?.serial ?? 0;

    // 0-399 replaced (new TTL and records), 400-799 deleted, 800-999 untouched, plus deletes of
    // absent rrsets (no row, no journal entry) and 100 new A rrsets.
    const second = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          ...Array.from({ length: 400 }, (_, i) => ({
            action: "UPSERT" as const,
            name: `h${i}`,
            type: "TXT",
            ttl: 600,
            records: txt(i, "v2"),
          })),
          ...Array.from({ length: 400 }, (_, i) => ({
            action: "DELETE" as const,
            name: `h${400 + i}`,
            type: "TXT",
          })),
          ...Array.from({ length: 10 }, (_, i) => ({
            action: "DELETE" as const,
            name: `gone${i}`,
            type: "A",
          })),
          ...Array.from({ length: 100 }, (_, i) => ({
            action: "UPSERT" as const,
            name: `a${i}`,
            type: "A",
            ttl: 60,
            records: [`192.0.2.${i}`],
          })),
        ],
        // 400 of 1,000 rrsets deleted: beyond the brake on mass deletes (issue 15), so confirmed.
        confirm_mass_delete: true,
      },
    });
    expect(second.error).toBeUndefined();
    const serial2 = second.data?.serial ?? 0;
    expect(serial2).toBe(serial1 + 1);

    const { data: listed } = await client.GET("/api/zones/{id}/rrsets", path);
    const stored = new Map(
      (listed?.rrsets ?? [])
        .filter((r) => r.type !== "SOA" && r.type !== "NS")
        .map((r) => [`${r.name} ${r.type}`, { ttl: r.ttl, records: r.records }]),
    );
    const expected = new Map<string, { ttl: number; records: string[] }>();
    for (let i = 0; i < 400; i++)
      expected.set(`h${i}.rows.example. TXT`, { ttl: 600, records: txt(i, "v2").sort() });
    for (let i = 800; i < 1000; i++)
      expected.set(`h${i}.rows.example. TXT`, { ttl: 300, records: txt(i, "v1").sort() });
    for (let i = 0; i < 100; i++)
      expected.set(`a${i}.rows.example. A`, { ttl: 60, records: [`192.0.2.${i}`] });
    expect(stored).toEqual(expected);

    const row = await api.services.db.zone.findUniqueOrThrow({
      where: { id },
      select: { serial: true, rrsetCount: true },
    });
    expect(row).toEqual({ serial: serial2, rrsetCount: 700 });

    const journal = await readZoneChanges(api.services.db, id, serial1, serial2);
    expect(journal).toHaveLength(900);
    const byKey = new Map(journal.map((entry) => [`${entry.name} ${entry.type}`, entry]));
    expect(byKey.get("h0.rows.example. TXT")).toMatchObject({
      serial: serial2,
      before: { ttl: 300, records: JSON.stringify(txt(0, "v1").sort()) },
      after: { ttl: 600, records: JSON.stringify(txt(0, "v2").sort()) },
    });
    expect(byKey.get("h400.rows.example. TXT")).toMatchObject({
      before: { ttl: 300, records: JSON.stringify(txt(400, "v1").sort()) },
      after: null,
    });
    expect(byKey.get("a7.rows.example. A")).toEqual({
      serial: serial2,
      name: "a7.rows.example.",
      type: "A",
      before: null,
      after: { ttl: 60, records: JSON.stringify(["192.0.2.7"]) },
    });
    expect(byKey.has("gone0.rows.example. A")).toBe(false);
  });
});
