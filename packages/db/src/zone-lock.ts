import type { Provider } from "./database-url.js";
import type { Db, DbTransaction } from "./open-database.js";

const providers = new WeakMap<object, Provider>();

/** Recorded by openDatabase, so code above this package never has to carry the provider around. */
export function rememberProvider(db: Db, provider: Provider): void {
  providers.set(db, provider);
}

export function providerOf(db: Db): Provider {
  return providers.get(db) ?? "sqlite";
}

export interface LockedZone {
  id: string;
  tenantId: string;
  origin: string;
  serial: number;
  publishedSerial: number;
  rrsetCount: number;
  historyFrom: number;
  changesSinceSnapshot: number;
}

/**
 * Locks the zone row for the rest of `tx` and reads it, so what `tx` reads next is the zone exactly
 * at the returned serial. Every writer takes the same row lock first in its own transaction (and
 * moves `zones.serial` before it commits), so once the lock is held no writer is half-way: the
 * rrsets read after it are the content of `serial`, no more and no less — a point-in-time snapshot
 * under READ COMMITTED without raising the isolation level.
 *
 * PostgreSQL: `SELECT … FOR UPDATE` (with `skipLocked`, `SKIP LOCKED`: a zone another process is
 * writing or publishing is skipped, answering null, instead of waited for). SQLite has no row
 * locks: a no-op UPDATE takes the database's write lock first, which also avoids the deferred
 * read-then-write upgrade that fails with SQLITE_BUSY between connections.
 */
export async function lockZone(
  tx: DbTransaction,
  provider: Provider,
  zoneId: string,
  options: { skipLocked?: boolean } = {},
): Promise<LockedZone | null> {
  if (provider === "postgres") {
    const rows = options.skipLocked
      ? await tx.$queryRaw<LockedZone[]>`
          SELECT "id", "tenant_id" AS "tenantId", "origin", "serial", "published_serial" AS "publishedSerial",
            "rrset_count" AS "rrsetCount", "history_from" AS "historyFrom",
            "changes_since_snapshot" AS "changesSinceSnapshot"
          FROM "zones" WHERE "id" = ${zoneId} FOR UPDATE SKIP LOCKED`
      : await tx.$queryRaw<LockedZone[]>`
          SELECT "id", "tenant_id" AS "tenantId", "origin", "serial", "published_serial" AS "publishedSerial",
            "rrset_count" AS "rrsetCount", "history_from" AS "historyFrom",
            "changes_since_snapshot" AS "changesSinceSnapshot"
          FROM "zones" WHERE "id" = ${zoneId} FOR UPDATE`;
    return rows[0] ?? null;
  }
  await tx.$executeRaw`UPDATE "zones" SET "published_serial" = "published_serial" WHERE "id" = ${zoneId}`;
  return tx.zone.findUnique({
    where: { id: zoneId },
    select: {
      id: true,
      tenantId: true,
      origin: true,
      serial: true,
      publishedSerial: true,
      rrsetCount: true,
      historyFrom: true,
      changesSinceSnapshot: true,
    },
  });
}
