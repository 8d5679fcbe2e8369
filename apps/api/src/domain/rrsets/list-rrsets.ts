import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { apexRRsets } from "../zones/apex.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { RRsetView } from "./schemas.js";

/**
 * The zone's current rrsets, unpublished changes included, with the system-managed SOA and apex NS
 * first so a reader sees the whole zone as it will be served.
 */
export async function listRRsets(services: Services, actor: Actor, zoneId: string): Promise<RRsetView[]> {
  authorize(actor, "zone-records", zoneId);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  const rows = await services.db.rRset.findMany({
    where: { zoneId },
    orderBy: [{ name: "asc" }, { type: "asc" }],
  });
  return [
    ...apexRRsets(zone.origin, zone.serial, services.settings.zone),
    ...rows.map((row) => ({
      name: row.name,
      type: row.type,
      ttl: row.ttl,
      records: JSON.parse(row.records) as string[],
    })),
  ];
}
