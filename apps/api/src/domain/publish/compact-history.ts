import {
  type DbTransaction,
  encodeSnapshotSliced,
  type LockedZone,
  lockZone,
  providerOf,
  readZoneAt,
  type SnapshotRRset,
  type StoredRRsetRow,
} from "@dnscove/db";
import type { ZoneDefaults } from "../domain-settings.js";
import type { Services } from "../services.js";
import { apexRRsets } from "../zones/apex.js";
import { storeSnapshot } from "../zones/store-snapshot.js";

/**
 * Journal rows published since the newest snapshot before the zone is due a new full snapshot:
 * the zone's own size (so a snapshot costs at most one row written per change, amortised), and at
 * least this many, so small zones keep hundreds of changes of IXFR history (issue 14). The generated
 * column "compaction_due" (migration 0016) spells the same rule in SQL, the number included.
 */
export const COMPACT_AFTER_MIN_CHANGES = 1000;

/** Whether a zone holding `rrsetCount` rrsets is due compaction (the index's predicate). */
export function compactionDue(changesSinceSnapshot: number, rrsetCount: number): boolean {
  return changesSinceSnapshot > COMPACT_AFTER_MIN_CHANGES && changesSinceSnapshot > rrsetCount;
}

const DAY_MS = 86_400_000;

/** Zones being compacted now, each with whether a publish asked again meanwhile. */
const compacting = new Map<string, boolean>();

/**
 * Compacts the zone soon, after the publish that made it due has answered: never on the publish
 * path. A failure is logged; the auto-publisher's compaction pass (jobs/compact-zones.ts) retries.
 * A publish that asks while the zone is being compacted gets one more run after it, if the zone
 * is still due then: the running one may have found the zone locked by that very publish and
 * given up (`skipLocked`), and nothing else would ask again until the next publish.
 */
export function compactSoon(services: Services, zoneId: string): void {
  if (compacting.has(zoneId)) {
    compacting.set(zoneId, true);
    return;
  }
  compacting.set(zoneId, false);
  const run = (work: () => Promise<unknown>) =>
    setImmediate(() => {
      work()
        .catch((error: unknown) =>
          services.logger.warn({ err: error, zoneId }, "compaction failed; retried later"),
        )
        .finally(() => {
          if (compacting.get(zoneId)) {
            compacting.set(zoneId, false);
            run(() => compactIfDue(services, zoneId));
          } else {
            compacting.delete(zoneId);
          }
        });
    });
  run(() => compactZoneHistory(services, zoneId));
}

/** compactZoneHistory, if the zone is still due (the compaction before may have caught it up). */
async function compactIfDue(services: Services, zoneId: string): Promise<boolean> {
  const zone = await services.db.zone.findUnique({
    where: { id: zoneId },
    select: { changesSinceSnapshot: true, rrsetCount: true },
  });
  return zone !== null && compactionDue(zone.changesSinceSnapshot, zone.rrsetCount)
    ? compactZoneHistory(services, zoneId)
    : false;
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
 * For a publish whose zone has no snapshot an edge can catch up from (zones from before the
 * journal, migration 0009): writes the full snapshot at `serial` from the rrsets (the zone is
 * locked, so they are exactly that serial), starts the journal there and drops older history.
 */
export async function restartHistoryAt(
  tx: DbTransaction,
  zone: LockedZone,
  serial: number,
  defaults: ZoneDefaults,
  now: Date,
  /** A signed zone's DNSSEC rrsets at `serial` (the signer's): a snapshot of a signed zone holds them. */
  dnssec: readonly SnapshotRRset[] = [],
): Promise<void> {
  // Raw rows: the model layer's per-row mapping costs more than the query on large zones.
  const rows = await tx.$queryRaw<StoredRRsetRow[]>`
    SELECT "name", "type", "ttl", "records" FROM "rrsets" WHERE "zone_id" = ${zone.id}`;
  await storeSnapshot(tx, { ...zone, publishedSerial: serial }, rows, defaults, now, dnssec);
  await tx.snapshot.deleteMany({ where: { zoneId: zone.id, serial: { lt: serial } } });
  await tx.zoneChange.deleteMany({ where: { zoneId: zone.id, serial: { lte: serial } } });
  await tx.zonePublish.deleteMany({ where: { zoneId: zone.id, serial: { lt: serial } } });
}

/**
 * The oldest serial compaction must keep rebuildable: the previous snapshot (edges and IXFR clients
 * since then catch up by difference), and every serial published within the retention window
 * (DNSCOVE_HISTORY_RETENTION_DAYS: snapshots, diff and rollback reach back that far, issue 15).
 * Answers the newest snapshot at or below both, which is where the kept history then starts.
 */
async function historyBase(
  tx: DbTransaction,
  zoneId: string,
  previous: number,
  horizon: Date,
): Promise<number> {
  const firstRetained = await tx.zonePublish.findFirst({
    where: { zoneId, publishedAt: { gte: horizon } },
    orderBy: { serial: "asc" },
    select: { serial: true },
  });
  if (!firstRetained || firstRetained.serial >= previous) return previous;
  const base = await tx.snapshot.findFirst({
    where: { zoneId, serial: { lte: firstRetained.serial } },
    orderBy: { serial: "desc" },
    select: { serial: true },
  });
  return base?.serial ?? previous;
}

/**
 * Compacts one zone's history off the publish path (jobs/compact-zones.ts): builds the full
 * snapshot at the published serial from the newest snapshot and the journal (no lock held while
 * it does), then, under the zone lock, stores it and prunes. The previous snapshot stays with the
 * journal after it, so an edge or an IXFR client at any serial since then still catches up by
 * difference, and so does every serial published within the retention window (historyBase); older
 * snapshots, journal rows and publish records go, so what is kept stays bounded. Answers whether it compacted (false: nothing due, or
 * another process got there first).
 */
export async function compactZoneHistory(services: Services, zoneId: string): Promise<boolean> {
  const { db, clock, settings } = services;
  const seen = await db.zone.findUnique({
    where: { id: zoneId },
    select: { origin: true, publishedSerial: true, historyFrom: true },
  });
  if (!seen) return false;
  const serial = seen.publishedSerial;
  const content = await readZoneAt(db, zoneId, serial);
  if (!content) return false;
  const apex = `${seen.origin}.`;
  // Sliced: a 200,000-rrset zone's snapshot is ~20 MB of JSON, and this runs beside requests.
  const text = await encodeSnapshotSliced({
    origin: apex,
    serial,
    rrsets: [
      // The apex as the settings say now, like every snapshot the API writes (zones/apex.ts).
      ...apexRRsets(seen.origin, serial, settings.zone),
      ...content.rrsets.filter((r) => !(r.name === apex && (r.type === "SOA" || r.type === "NS"))),
    ],
  });
  return db.$transaction(async (tx) => {
    const zone = await lockZone(tx, providerOf(db), zoneId, { skipLocked: true });
    if (!zone || zone.historyFrom !== seen.historyFrom) return false;
    const previous = await newestSnapshotSerial(tx, zoneId);
    if (previous === null || previous >= serial || previous < zone.historyFrom) return false;
    await tx.snapshot.create({
      data: { zoneId, serial, origin: seen.origin, content: text, createdAt: clock.now() },
    });
    const horizon = new Date(clock.now().getTime() - settings.history.retentionDays * DAY_MS);
    const base = await historyBase(tx, zoneId, previous, horizon);
    await tx.snapshot.deleteMany({ where: { zoneId, serial: { lt: base } } });
    await tx.zoneChange.deleteMany({ where: { zoneId, serial: { lte: base } } });
    await tx.zonePublish.deleteMany({ where: { zoneId, serial: { lt: base } } });
    const since = await tx.zoneChange.count({
      where: { zoneId, serial: { gt: serial, lte: zone.publishedSerial } },
    });
    await tx.zone.update({
      where: { id: zoneId },
      data: { historyFrom: base, changesSinceSnapshot: since },
    });
    return true;
  });
}
