import type { DbTransaction, LockedZone, StoredRRsetRow } from "@dnscove/db";
import type { ZoneDefaults } from "../domain-settings.js";
import { storeSnapshot } from "../zones/store-snapshot.js";

/**
 * Journal rows published since the newest snapshot before a publish writes a new full snapshot:
 * the zone's own size (so a snapshot costs at most one row written per change, amortised), and at
 * least this many, so small zones keep hundreds of changes of IXFR history (issue 14).
 */
export const COMPACT_AFTER_MIN_CHANGES = 1000;

export function compactionDue(zone: LockedZone, changesSinceSnapshot: number): boolean {
  return changesSinceSnapshot > Math.max(COMPACT_AFTER_MIN_CHANGES, zone.rrsetCount);
}

/** The newest snapshot's serial, or null when the zone has none. */
export async function newestSnapshotSerial(tx: DbTransaction, zoneId: string): Promise<number | null> {
  const row = await tx.snapshot.findFirst({
    where: { zoneId },
    orderBy: { serial: "desc" },
    select: { serial: true },
  });
  return row?.serial ?? null;
}

/**
 * Writes the full snapshot of `zone` at `serial` (the zone is locked, so the rrsets read are exactly
 * that serial) and prunes history: the previous snapshot stays, with the journal after it, so an
 * edge or a secondary at any serial since that snapshot still catches up by difference; anything
 * older goes. `previous` is null when the previous snapshot cannot be caught up from (no journal
 * since it); then only the new snapshot is kept. Returns the zone's new `historyFrom`.
 */
export async function compactHistory(
  tx: DbTransaction,
  zone: LockedZone,
  serial: number,
  previous: number | null,
  defaults: ZoneDefaults,
  now: Date,
): Promise<number> {
  // Raw rows: the model layer's per-row mapping costs more than the query on large zones.
  const rows = await tx.$queryRaw<StoredRRsetRow[]>`
    SELECT "name", "type", "ttl", "records" FROM "rrsets" WHERE "zone_id" = ${zone.id}`;
  await storeSnapshot(tx, { ...zone, publishedSerial: serial }, rows, defaults, now);
  const keepFrom = previous ?? serial;
  await tx.snapshot.deleteMany({ where: { zoneId: zone.id, serial: { lt: keepFrom } } });
  const historyFrom = Math.max(zone.historyFrom, keepFrom);
  await tx.zoneChange.deleteMany({ where: { zoneId: zone.id, serial: { lte: historyFrom } } });
  return historyFrom;
}
