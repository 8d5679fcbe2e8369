import { type DbTransaction, encodeSnapshotFromRows, type StoredRRsetRow } from "@dnscove/db";
import type { ZoneDefaults } from "../domain-settings.js";
import { apexRRsets } from "./apex.js";

interface ZoneAtSerial {
  id: string;
  origin: string;
  publishedSerial: number;
}

/**
 * Writes the immutable snapshot of `zone` at `zone.publishedSerial` from the given rrsets (at zone
 * creation, and when a publish compacts the journal). A snapshot already stored at that serial
 * (another API process published first) is left alone.
 */
export async function storeSnapshot(
  tx: DbTransaction,
  zone: ZoneAtSerial,
  rows: readonly StoredRRsetRow[],
  defaults: ZoneDefaults,
  now: Date,
): Promise<void> {
  const serial = zone.publishedSerial;
  const exists = await tx.snapshot.findUnique({ where: { zoneId_serial: { zoneId: zone.id, serial } } });
  if (exists) return;
  const content = encodeSnapshotFromRows(
    `${zone.origin}.`,
    serial,
    apexRRsets(zone.origin, serial, defaults),
    rows,
  );
  await tx.snapshot.create({
    data: { zoneId: zone.id, serial, origin: zone.origin, content, createdAt: now },
  });
}
