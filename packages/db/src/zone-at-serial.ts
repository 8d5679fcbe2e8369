import type { Db } from "./open-database.js";
import type { SnapshotContent, SnapshotRRset } from "./snapshot.js";
import { decodeSnapshotSliced, yieldToEventLoop } from "./snapshot-sliced.js";
import { netChangesSliced, readZoneChanges } from "./zone-changes.js";

/** Rrsets indexed or changes applied between two turns of the event loop. */
const APPLY_SLICE = 5000;

/**
 * The published zone at `serial`, rebuilt the way an edge does: the newest snapshot at or below it,
 * then the journal after that snapshot (issue 14). The SOA's serial field is `serial`. Null when the
 * history no longer reaches back to `serial` (compaction pruned it) or nothing is stored yet.
 * For inspection and tests; an edge applies the same rows to its packed index instead.
 */
export async function readZoneAt(db: Db, zoneId: string, serial: number): Promise<SnapshotContent | null> {
  const base = await db.snapshot.findFirst({
    where: { zoneId, serial: { lte: serial } },
    orderBy: { serial: "desc" },
    select: { serial: true, content: true },
  });
  if (!base) return null;
  const rows = await readZoneChanges(db, zoneId, base.serial, serial);
  const zone = await db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } });
  if (!zone || (base.serial < serial && zone.historyFrom > base.serial)) return null;
  // Sliced, like an edge's load: the API compacts and checks parity of zones of a million rrsets
  // with this, and one JSON.parse or one pass over them would stall every other request.
  const content = await decodeSnapshotSliced(base.content);
  const byKey = new Map<string, SnapshotRRset>();
  for (const [i, r] of content.rrsets.entries()) {
    if (i % APPLY_SLICE === APPLY_SLICE - 1) await yieldToEventLoop();
    byKey.set(`${r.name} ${r.type}`, r);
  }
  for (const [i, change] of (await netChangesSliced(rows)).entries()) {
    if (i % APPLY_SLICE === APPLY_SLICE - 1) await yieldToEventLoop();
    const key = `${change.name} ${change.type}`;
    if (change.after === null) byKey.delete(key);
    else
      byKey.set(key, {
        name: change.name,
        type: change.type,
        ttl: change.after.ttl,
        records: JSON.parse(change.after.records) as string[],
      });
  }
  const rrsets = [...byKey.values()].map((r) =>
    r.type === "SOA" && r.name === content.origin
      ? { ...r, records: r.records.map((soa) => withSerial(soa, serial)) }
      : r,
  );
  return { origin: content.origin, serial, rrsets };
}

/** RFC 1035 section 3.3.13: SERIAL is the SOA's third field. */
function withSerial(soa: string, serial: number): string {
  const fields = soa.trim().split(/\s+/);
  fields[2] = String(serial);
  return fields.join(" ");
}
