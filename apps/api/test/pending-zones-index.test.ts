import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPACT_AFTER_MIN_CHANGES, compactionDue } from "../src/domain/publish/compact-history.js";
import { startAutoPublisher } from "../src/jobs/auto-publisher.js";
import { COMPACTION_DUE_SQL } from "../src/jobs/compact-zones.js";
import { PENDING_ZONES_SQL } from "../src/jobs/find-pending-zones.js";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

const IDLE_ZONES = 2_000;
const PENDING_ZONES = 3;

/**
 * Issue 14: the auto-publisher's work grows with the zones that changed, not with all zones. With
 * 2,000 idle zones and 3 pending, the pending lookup and the ACME expiry query are answered from
 * indexes (no full scan of zones or challenges), and a tick publishes exactly the 3 pending zones.
 */
describe.each(PROVIDERS)("pending-zone lookup is index-backed (%s)", (provider) => {
  let api: TestApi;
  const pendingIds: string[] = [];
  const idleIds: string[] = [];

  /** The plan's lines (SQLite: EXPLAIN QUERY PLAN details; PostgreSQL: EXPLAIN text). */
  const plan = async (sql: string, ...params: unknown[]): Promise<string> => {
    const explain = provider === "sqlite" ? `EXPLAIN QUERY PLAN ${sql}` : `EXPLAIN ${sql}`;
    const rows = await api.services.db.$queryRawUnsafe<Record<string, unknown>[]>(explain, ...params);
    return rows.map((row) => String(provider === "sqlite" ? row.detail : row["QUERY PLAN"])).join("\n");
  };

  beforeAll(async () => {
    api = await startTestApi(provider);
    const client = api.client(await api.signIn());
    for (let i = 0; i < PENDING_ZONES; i++) {
      const { data } = await client.POST("/api/zones", {
        body: { origin: `pending${i}-${provider}.example` },
      });
      if (!data) throw new Error("zone creation failed");
      pendingIds.push(data.id);
    }
    const { tenantId } = await api.services.db.zone.findUniqueOrThrow({ where: { id: pendingIds[0] } });
    // Idle zones straight into the table: creating 2,000 through the API would only slow the test.
    for (let i = 0; i < IDLE_ZONES; i++) idleIds.push(`idle-${randomBytes(8).toString("hex")}`);
    await api.services.db.zone.createMany({
      data: idleIds.map((id, i) => ({
        id,
        tenantId,
        origin: `idle${i}-${provider}.example`,
        status: "active",
        serial: 7,
        publishedSerial: 7,
      })),
    });
    // Unexpired challenge values, so the expiry query has a table worth indexing.
    const future = new Date(Date.now() + 86_400_000);
    await api.services.db.acmeChallenge.createMany({
      data: idleIds.map((zoneId) => ({
        zoneId,
        name: `_acme-challenge.${zoneId}.example.`,
        value: randomBytes(16).toString("base64url"),
        expiresAt: future,
      })),
    });
    // The writes that make the 3 zones pending.
    for (const id of pendingIds) {
      const { response } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id } },
        body: { action: "UPSERT", name: "www", type: "A", ttl: 300, records: ["192.0.2.1"] },
      });
      expect(response.status).toBe(200);
    }
    // PostgreSQL plans from statistics; autovacuum keeps them in production, the test cannot wait for it.
    if (provider === "postgres") await api.services.db.$executeRawUnsafe("ANALYZE");
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it("answers the pending lookup from the partial index, not a scan of zones", async () => {
    const lines = await plan(PENDING_ZONES_SQL);
    expect(lines).toContain("zones_publish_due_idx");
    if (provider === "sqlite") expect(lines).not.toMatch(/SCAN zones$/m);
    else expect(lines).not.toContain("Seq Scan on zones");
  });

  it("answers the compaction lookup from its partial index, not a scan of zones", async () => {
    const lines = await plan(COMPACTION_DUE_SQL);
    expect(lines).toContain("zones_compaction_due_idx");
    if (provider === "sqlite") expect(lines).not.toMatch(/SCAN zones$/m);
    else expect(lines).not.toContain("Seq Scan on zones");
  });

  it("finds a zone due compaction exactly when compactionDue says it is", async () => {
    // The generated column "compaction_due" (migration 0016) repeats compactionDue's rule in SQL.
    const id = idleIds[0] as string;
    const cases: [changes: number, rrsets: number][] = [
      [COMPACT_AFTER_MIN_CHANGES, 0],
      [COMPACT_AFTER_MIN_CHANGES + 1, 0],
      [COMPACT_AFTER_MIN_CHANGES + 1, COMPACT_AFTER_MIN_CHANGES + 1],
      [5_000, 4_999],
    ];
    try {
      for (const [changes, rrsets] of cases) {
        await api.services.db.zone.update({
          where: { id },
          data: { changesSinceSnapshot: changes, rrsetCount: rrsets },
        });
        const due = (await api.services.db.$queryRawUnsafe<{ id: string }[]>(COMPACTION_DUE_SQL)).map(
          (row) => row.id,
        );
        expect({ changes, rrsets, due: due.includes(id) }).toEqual({
          changes,
          rrsets,
          due: compactionDue(changes, rrsets),
        });
      }
    } finally {
      await api.services.db.zone.update({ where: { id }, data: { changesSinceSnapshot: 0, rrsetCount: 0 } });
    }
  });

  it("answers the ACME expiry query from the expires_at index", async () => {
    // The statement Prisma sends for expireAcmeChallenges' findMany (expiresAt <= now, take 500).
    const sql =
      provider === "sqlite"
        ? 'SELECT "zone_id", "name", "value", "expires_at" FROM "acme_challenges" WHERE "expires_at" <= ? LIMIT 500'
        : 'SELECT "zone_id", "name", "value", "expires_at" FROM "acme_challenges" WHERE "expires_at" <= $1 LIMIT 500';
    const lines = await plan(sql, new Date());
    expect(lines).toContain("acme_challenges_expires_at_idx");
    if (provider === "sqlite") expect(lines).not.toMatch(/SCAN acme_challenges$/m);
    else expect(lines).not.toContain("Seq Scan on acme_challenges");
  });

  it("publishes exactly the pending zones in one tick", async () => {
    const lookedUp = (await api.services.db.$queryRawUnsafe<{ id: string }[]>(PENDING_ZONES_SQL)).map(
      (r) => r.id,
    );
    expect(lookedUp.sort()).toEqual([...pendingIds].sort());

    const publisher = startAutoPublisher(api.services, 3_600_000); // ticks only when asked
    try {
      expect(await publisher.runOnce()).toBe(PENDING_ZONES);
      expect(await publisher.runOnce()).toBe(0);
    } finally {
      await publisher.stop();
    }
    for (const id of pendingIds) {
      const zone = await api.services.db.zone.findUniqueOrThrow({ where: { id } });
      expect(zone.publishedSerial).toBe(zone.serial);
    }
    const idleSnapshots = await api.services.db.snapshot.count({
      where: { zoneId: { startsWith: "idle-" } },
    });
    expect(idleSnapshots).toBe(0);
  });
});
