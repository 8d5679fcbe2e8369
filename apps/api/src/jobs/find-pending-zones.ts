import type { Services } from "../domain/services.js";

/**
 * Zones with changes not yet published ("serial" > "published_serial", the generated column
 * "publish_due"). The predicate is exactly that of the partial index "zones_publish_due_idx"
 * (migration 0016), so both SQLite and PostgreSQL answer it from the index and the work grows with
 * the pending zones, not with all zones (issue 14). Exported for the query-plan test.
 */
export const PENDING_ZONES_SQL = 'SELECT "id" FROM "zones" WHERE "publish_due"';

export async function findPendingZoneIds(services: Services): Promise<string[]> {
  // A constant statement without parameters: nothing user-supplied reaches it.
  const rows = await services.db.$queryRawUnsafe<{ id: string }[]>(PENDING_ZONES_SQL);
  return rows.map((row) => row.id);
}

/** The same predicate counted (the metrics' pending-zones gauge); answered from the same index. */
export const PENDING_ZONES_COUNT_SQL = 'SELECT COUNT(*) AS "n" FROM "zones" WHERE "publish_due"';

export async function countPendingZones(services: Pick<Services, "db">): Promise<number> {
  const rows = await services.db.$queryRawUnsafe<{ n: number | bigint }[]>(PENDING_ZONES_COUNT_SQL);
  return Number(rows[0]?.n ?? 0);
}
