import {
  type DbTransaction,
  encodeSnapshotFromRows,
  type SnapshotRRset,
  type StoredRRsetRow,
} from "@dnscove/db";
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
  /** Further rrsets not in the rrsets table: a signed zone's DNSSEC records. */
  extra: readonly SnapshotRRset[] = [],
): Promise<void> {
  const serial = zone.publishedSerial;
  const content = encodeSnapshotFromRows(
    `${zone.origin}.`,
    serial,
    [...apexRRsets(zone.origin, serial, defaults), ...extra],
    rows,
  );
  // Raw: the model layer copies and maps a megabytes-long value (a 100,000-rrset zone's first
  // snapshot cost twice as long through `snapshot.create`; issue 14's import target).
  await tx.$executeRaw`
    INSERT INTO "snapshots" ("zone_id", "serial", "origin", "content", "created_at")
    VALUES (${zone.id}, ${serial}, ${zone.origin}, ${content}, ${now})
    ON CONFLICT ("zone_id", "serial") DO NOTHING`;
}
