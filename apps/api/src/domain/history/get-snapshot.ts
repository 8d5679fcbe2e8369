import { type Db, readZoneAt, type SnapshotContent } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { isDnssecType } from "../dnssec/dnssec-types.js";
import { HistoryGoneError, NotFoundError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { SnapshotView } from "./schemas.js";

/** A serial in a path: a positive 32-bit integer (RFC 1982 serials), else 400 naming `serial`. */
export function parseSerial(text: string): number {
  const serial = /^[0-9]{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(serial >= 1 && serial <= 4_294_967_295)) {
    throw new ValidationError([{ path: "serial", message: "must be a serial number (1 to 4294967295)" }]);
  }
  return serial;
}

/**
 * `GET /zones/{id}/snapshots/{serial}`: the whole zone as published at `serial`, rebuilt from the
 * snapshots and the journal (readZoneAt). 404 for a serial that was never published; 410
 * HISTORY_GONE for one older than the kept history (compaction pruned it).
 */
export async function getSnapshot(
  services: Services,
  actor: Actor,
  zoneId: string,
  serialText: string,
): Promise<SnapshotView> {
  authorize(actor, "zone-records", zoneId);
  const { db } = services;
  const serial = parseSerial(serialText);
  const zone = await findTenantZone(db, actor.tenantId, zoneId);
  const { publish, content } = await readPublished(db, zone, serial);
  const apex = content.origin;
  const system = (r: { name: string; type: string }) =>
    r.name === apex && (r.type === "SOA" || r.type === "NS");
  const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
  return {
    serial,
    published_at: publish.publishedAt.toISOString(),
    actor: publish.actor,
    rrset_count: publish.rrsetCount,
    origin: apex,
    rrsets: [
      ...content.rrsets
        .filter((r) => system(r))
        .sort((a, b) => (a.type === "SOA" ? -1 : b.type === "SOA" ? 1 : 0)),
      // DNSSEC records (signatures, NSEC3 chain, keys) are left out: the signer's, not the user's content.
      ...content.rrsets
        .filter((r) => !system(r) && !isDnssecType(r.type))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    ],
  };
}

/**
 * A published serial's record and content, or 404 (never published) / 410 HISTORY_GONE (older
 * than the kept history). Shared by the snapshot view and the rollback.
 */
export async function readPublished(
  db: Db,
  zone: { id: string; historyFrom: number },
  serial: number,
): Promise<{ publish: { publishedAt: Date; actor: string; rrsetCount: number }; content: SnapshotContent }> {
  const zoneId = zone.id;
  // History starts at history_from (compaction prunes below it, publish records included), so an
  // older serial may well have been published: it is gone, not unknown.
  if (serial < zone.historyFrom) throw new HistoryGoneError(serial, zone.historyFrom);
  const publish = await db.zonePublish.findUnique({ where: { zoneId_serial: { zoneId, serial } } });
  if (!publish) throw new NotFoundError(`Snapshot ${serial}`);
  const content = await readZoneAt(db, zoneId, serial);
  if (!content) {
    const now = await db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } });
    throw new HistoryGoneError(serial, now?.historyFrom ?? zone.historyFrom);
  }
  return { publish, content };
}
