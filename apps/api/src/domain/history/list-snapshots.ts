import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { SnapshotList } from "./schemas.js";

/**
 * `GET /zones/{id}/snapshots`: the zone's published serials, newest first, a page at a time. The
 * cursor is the serial the next page starts below (keyset pagination on the primary key, so a
 * page costs the same however long the history, and publishes meanwhile never shift a page).
 */
export async function listSnapshots(
  services: Services,
  actor: Actor,
  zoneId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<SnapshotList> {
  authorize(actor, "zone-records", zoneId);
  const { db } = services;
  await findTenantZone(db, actor.tenantId, zoneId);
  const rows = await db.zonePublish.findMany({
    where: { zoneId, ...(query.cursor ? { serial: { lt: Number(query.cursor) } } : {}) },
    orderBy: { serial: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    snapshots: page.map((row) => ({
      serial: row.serial,
      published_at: row.publishedAt.toISOString(),
      actor: row.actor,
      rrset_count: row.rrsetCount,
    })),
    next_cursor: rows.length > query.limit && last ? String(last.serial) : null,
  };
}
