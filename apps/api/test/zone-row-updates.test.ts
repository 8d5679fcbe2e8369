import { waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./harness.js";

const CHANGES = 40;

/**
 * Issue 14: every rrset change updates its zone's row (serial and rrset count), so a busy zone's
 * row is the hottest in the database. On PostgreSQL a change locks the row first and writes it
 * once, at its end: one new version of the row per change. PostgreSQL makes such an update HOT (a
 * new row version on the same page, no new index entries) only when no column an index uses
 * changes, partial indexes' predicates included (migration 0016). Counted from PostgreSQL's own
 * statistics for the table, and by a trigger this test adds; SQLite has no such distinction.
 */
describe("a change's updates of its zone's row are heap-only (postgres)", () => {
  let api: TestApi;
  let client: ReturnType<TestApi["client"]>;
  let zoneId: string;

  /** Heap-only updates of the zones table so far (this test's database has only this test's). */
  const heapOnlyUpdates = async (): Promise<number> => {
    const [row] = await api.services.db.$queryRawUnsafe<{ hot: number }[]>(
      `SELECT "n_tup_hot_upd"::int AS "hot" FROM "pg_stat_user_tables" WHERE "relname" = 'zones'`,
    );
    if (!row) throw new Error("no statistics for zones");
    return row.hot;
  };

  beforeAll(async () => {
    api = await startTestApi("postgres");
    // Counts every row update of zones, as it happens (the statistics arrive seconds later).
    for (const statement of [
      `CREATE TABLE "test_zone_updates" ("zone_id" TEXT NOT NULL)`,
      `CREATE FUNCTION "test_count_zone_update"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO "test_zone_updates" VALUES (NEW."id"); RETURN NULL; END $$`,
      `CREATE TRIGGER "test_count_zone_update" AFTER UPDATE ON "zones"
       FOR EACH ROW EXECUTE FUNCTION "test_count_zone_update"()`,
    ]) {
      await api.services.db.$executeRawUnsafe(statement);
    }
    client = api.client(await api.signIn());
    const { data } = await client.POST("/api/zones", { body: { origin: "hot-updates.example" } });
    if (!data) throw new Error("zone creation failed");
    zoneId = data.id;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("writes the zone's row once per change, adding no index entries", async () => {
    for (let i = 0; i < CHANGES; i++) {
      const { response } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: { action: "CREATE", name: `host${i}`, type: "A", ttl: 300, records: ["192.0.2.2"] },
      });
      expect(response.status).toBe(200);
    }
    // One update per change (a serial bump and a count update after it made two).
    const [written] = await api.services.db.$queryRawUnsafe<{ updates: number }[]>(
      `SELECT COUNT(*)::int AS "updates" FROM "test_zone_updates" WHERE "zone_id" = $1`,
      zoneId,
    );
    expect(written?.updates).toBe(CHANGES);
    // Only the first change's update changes an indexed value (it makes the zone due a publish:
    // "publish_due"); every other update must be heap-only. Before migration 0016 none was (serial
    // and rrset_count were in the predicates of partial indexes). Each backend sends its statistics
    // within seconds of going idle (PostgreSQL's PGSTAT_IDLE_INTERVAL), so the count is waited for,
    // not read once.
    const expected = CHANGES - 1;
    let counted = 0;
    await waitFor(
      `${expected} heap-only updates of zones`,
      async () => {
        counted = await heapOnlyUpdates();
        return counted >= expected;
      },
      30_000,
    );
    expect(counted).toBeGreaterThanOrEqual(expected);
  }, 90_000);
});
