import { encodeSnapshot, readZoneAt } from "@dnscove/db";
import { waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishZoneById } from "../src/domain/publish/publish-zone.js";
import { compactDueZones } from "../src/jobs/compact-zones.js";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

/**
 * Issue 14: publish ships the change journal; full snapshots are written off the publish path once
 * the journal outgrows the zone (at least 1,000 rows). Compaction must not change what any
 * published serial is, must keep the previous snapshot with the journal after it (edges and IXFR
 * clients since then still catch up by difference), and must bound what is kept.
 */
describe.each(PROVIDERS)("history compaction (%s)", (provider) => {
  let api: TestApi;
  beforeAll(async () => {
    // Retention 0: only what edges and IXFR clients need is kept, the bound this test is about
    // (history-retention.test.ts covers what a retention window keeps beyond it).
    api = await startTestApi(provider, { history: { retentionDays: 0 } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("compacts after the journal outgrows the zone, keeping every published serial's content", {
    timeout: 120_000,
  }, async () => {
    const client = api.client(await api.signIn());
    const { data: zone } = await client.POST("/api/zones", {
      body: { origin: `compact-${provider}.example` },
    });
    const zoneId = zone?.id ?? "";
    const { db } = api.services;
    const published = new Map<number, string>(); // serial → content when first published
    const publishRound = async (round: number) => {
      const changes = Array.from({ length: 300 }, (_, i) => ({
        action: i % 7 === 0 && round > 0 ? ("DELETE" as const) : ("UPSERT" as const),
        name: `n${i}`,
        type: "TXT" as const,
        ttl: 60,
        records: [`"round ${round} name ${i}"`],
      }));
      const { response } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: { changes },
      });
      expect(response.status).toBe(200);
      const serial = (await publishZoneById(api.services, zoneId)) ?? 0;
      published.set(
        serial,
        encodeSnapshot((await readZoneAt(db, zoneId, serial)) ?? { origin: "", serial, rrsets: [] }),
      );
    };
    const history = () =>
      db.zone.findUniqueOrThrow({
        where: { id: zoneId },
        select: { historyFrom: true, changesSinceSnapshot: true },
      });

    for (let round = 0; round < 3; round++) await publishRound(round);
    // 900 rows published since the creation snapshot: not due yet.
    expect(await compactDueZones(api.services)).toBe(0);
    // The publish that makes the zone due schedules the compaction, off its own path.
    for (let round = 3; round < 5; round++) await publishRound(round);
    await waitFor("the first compaction", async () => (await db.snapshot.count({ where: { zoneId } })) === 2);
    // The creation snapshot stays, with the journal after it.
    expect((await history()).historyFrom).toBe(1);

    for (let round = 5; round < 10; round++) await publishRound(round);
    await waitFor("the second compaction", async () => (await history()).historyFrom > 1);
    // Nothing left for the auto-publisher's pass.
    expect(await compactDueZones(api.services)).toBe(0);
    const second = await history();
    // The previous snapshot (the first compaction's) is kept with the journal after it.
    const snapshots = await db.snapshot.findMany({ where: { zoneId }, select: { serial: true } });
    const kept = snapshots.map((s) => s.serial).sort((a, b) => a - b);
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe(second.historyFrom);
    expect(published.has(kept[1] as number)).toBe(true);
    expect(await db.zoneChange.count({ where: { zoneId, serial: { lte: second.historyFrom } } })).toBe(0);

    // Every serial still reachable reads exactly as when it was published; older ones are gone.
    for (const [serial, content] of published) {
      const now = await readZoneAt(db, zoneId, serial);
      if (serial < second.historyFrom) expect(now).toBeNull();
      else expect(now && encodeSnapshot(now), `serial ${serial}`).toBe(content);
    }
    // And the newest equals what the API lists.
    const { data: listed } = await client.GET("/api/zones/{id}/rrsets", { params: { path: { id: zoneId } } });
    const newest = await readZoneAt(db, zoneId, Math.max(...published.keys()));
    const names = (rrsets: { name: string; type: string }[]) =>
      rrsets.map((r) => `${r.name} ${r.type}`).sort();
    expect(names(newest?.rrsets ?? [])).toEqual(names(listed?.rrsets ?? []));
  });
});
