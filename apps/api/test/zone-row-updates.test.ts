import { waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./harness.js";

const CHANGES = 40;

/**
 * Issue 14: every rrset change updates its zone's row twice (the serial bump, then the rrset
 * count), so a busy zone's row is the hottest in the database. PostgreSQL makes such an update HOT
 * (a new row version on the same page, no new index entries) only when no column an index uses
 * changes, partial indexes' predicates included (migration 0016). Counted from PostgreSQL's own
 * statistics for the table; SQLite has no such distinction.
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
    client = api.client(await api.signIn());
    const { data } = await client.POST("/api/zones", { body: { origin: "hot-updates.example" } });
    if (!data) throw new Error("zone creation failed");
    zoneId = data.id;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("adds no index entries for the serial bump or the rrset count", async () => {
    for (let i = 0; i < CHANGES; i++) {
      const { response } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: { action: "CREATE", name: `host${i}`, type: "A", ttl: 300, records: ["192.0.2.2"] },
      });
      expect(response.status).toBe(200);
    }
    // Two updates per change: the serial bump and the rrset count. Only the first change's bump
    // changes an indexed value (it makes the zone due a publish: "publish_due"); every other update
    // must be heap-only. Before migration 0016 none was (both columns were in the predicates of
    // partial indexes). Each backend sends its statistics within seconds of going idle (PostgreSQL's
    // PGSTAT_IDLE_INTERVAL), so the count is waited for, not read once.
    const expected = 2 * CHANGES - 1;
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
