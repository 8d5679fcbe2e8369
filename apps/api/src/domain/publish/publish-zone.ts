import { lockZone, providerOf, type StoredRRsetRow } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import { storeSnapshot } from "../zones/store-snapshot.js";
import { toZoneView } from "../zones/zone-view.js";
import type { PublishResult } from "./schemas.js";

export interface PublishOptions {
  /**
   * Skip a zone another transaction holds (PostgreSQL: a writer, or a publisher in another API
   * process) instead of waiting for it; answers null. The auto-publisher uses this so several API
   * processes never publish the same zone twice; the skipped zone is published on a later tick.
   */
  skipLocked?: boolean;
}

/**
 * Publishes the zone's current content as an immutable snapshot at its current serial and moves
 * `published_serial` there. Nothing pending: nothing written. Returns the published serial.
 *
 * The zone row is locked before the rrsets are read (lockZone): writers bump the serial under the
 * same lock, so snapshot S holds exactly the writes acknowledged with serials ≤ S — a secondary
 * following by IXFR (RFC 1995) sees the same zone at S as every edge.
 */
export async function publishZoneById(
  services: Services,
  zoneId: string,
  options: PublishOptions = {},
): Promise<number | null> {
  const { db, clock, settings } = services;
  const provider = providerOf(db);
  const serial = await db.$transaction(async (tx) => {
    const zone = await lockZone(tx, provider, zoneId, options);
    if (!zone) return null;
    if (zone.publishedSerial >= zone.serial) return zone.publishedSerial;
    // Raw rows: the model layer's per-row mapping costs more than the query on large zones.
    const rows = await tx.$queryRaw<StoredRRsetRow[]>`
      SELECT "name", "type", "ttl", "records" FROM "rrsets" WHERE "zone_id" = ${zoneId}`;
    const now = clock.now();
    await tx.zone.update({ where: { id: zoneId }, data: { publishedSerial: zone.serial } });
    await storeSnapshot(tx, { ...zone, publishedSerial: zone.serial }, rows, settings.zone, now);
    return zone.serial;
  });
  if (serial !== null) await services.edges.snapshotsChanged();
  return serial;
}
/** `POST /zones/{id}/publish`: publish now; answers once the edge serves the serial. */
export async function publishZone(services: Services, actor: Actor, zoneId: string): Promise<PublishResult> {
  authorize(actor, "tenant", zoneId);
  await findTenantZone(services.db, actor.tenantId, zoneId);
  const serial = (await publishZoneById(services, zoneId)) ?? 0;
  const publishError = await services.edges.awaitServing(zoneId, serial);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  return {
    zone: toZoneView(zone, services.settings.zone),
    published: publishError === null,
    serial,
    ...(publishError !== null ? { publish_error: publishError } : {}),
  };
}
