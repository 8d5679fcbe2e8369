import { type Db, decodeSnapshotSliced, type JournalEntry, netChanges, readZoneChanges } from "@dnscove/db";
import type { RRsetChange } from "../zones/loaded-zone.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { readSnapshotText } from "./read-snapshot.js";
import type { SnapshotCache } from "./snapshot-cache.js";

/** A zone as the sync reads it: where it is published, and since when its journal is whole. */
export interface PublishedZone {
  id: string;
  publishedSerial: number;
  historyFrom: number;
}

/** How the zone reached its published serial, or why it did not (yet). */
export type CatchUp = "diff" | "snapshot" | "not-yet";

/**
 * Brings the served copy of `zone` to its published serial. An edge serving serial C applies the
 * journal rows after C (issue 14: a publish costs what changed); one with nothing, or with C from
 * before the journal's start, loads the newest snapshot and the journal after it. "not-yet" when
 * the rows it needs were pruned or are not visible yet: the next poll tries again.
 *
 * Point in time without a transaction: snapshot and journal rows at or below a published serial
 * are immutable, and committed before `published_serial` moves to it (the publisher and every
 * writer lock the zone row; see lockZone). Pruning is the only thing that removes them, and it
 * moves `history_from` in the same transaction, so re-reading `history_from` after the rows
 * tells whether they were whole.
 */
export async function catchUpZone(
  db: Db,
  zones: ZoneSet,
  zone: PublishedZone,
  cache?: SnapshotCache,
): Promise<CatchUp> {
  const served = zones.serialOf(zone.id);
  const target = zone.publishedSerial;
  if (served !== undefined && served >= zone.historyFrom && served < target) {
    const rows = await readZoneChanges(db, zone.id, served, target);
    if (await historyStillFrom(db, zone.id, served)) {
      const entries = netChanges(rows);
      await zones.applyCooperative(zone.id, target, await toRRsetChanges(entries));
      cache?.append(zone.id, target, entries);
      return "diff";
    }
  }
  const base = await db.snapshot.findFirst({
    where: { zoneId: zone.id, serial: { lte: target } },
    orderBy: { serial: "desc" },
    select: { serial: true },
  });
  if (!base) return "not-yet";
  const text = await readSnapshotText(db, zone.id, base.serial);
  if (text === null) return "not-yet";
  const rows = base.serial < target ? await readZoneChanges(db, zone.id, base.serial, target) : [];
  if (base.serial < target && !(await historyStillFrom(db, zone.id, base.serial))) return "not-yet";
  const entries = netChanges(rows);
  await zones.load(
    zone.id,
    await decodeSnapshotSliced(text),
    base.serial < target ? { serial: target, changes: await toRRsetChanges(entries) } : undefined,
  );
  cache?.save(zone.id, text);
  if (base.serial < target) cache?.append(zone.id, target, entries);
  return "snapshot";
}

/** Whether the journal still holds every change after `serial` (nothing was pruned meanwhile). */
async function historyStillFrom(db: Db, zoneId: string, serial: number): Promise<boolean> {
  const row = await db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } });
  return row !== null && row.historyFrom <= serial;
}

/** Parsed in slices: a 3 MB batch is one JSON.parse per rrset, tens of milliseconds in all. */
async function toRRsetChanges(entries: readonly JournalEntry[], sliceMs = 4): Promise<RRsetChange[]> {
  const out: RRsetChange[] = [];
  let sliceStart = performance.now();
  for (const entry of entries) {
    out.push(
      entry.after
        ? {
            name: entry.name,
            type: entry.type,
            ttl: entry.after.ttl,
            records: JSON.parse(entry.after.records) as string[],
          }
        : { name: entry.name, type: entry.type },
    );
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return out;
}
