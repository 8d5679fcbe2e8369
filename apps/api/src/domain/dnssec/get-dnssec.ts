import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import { toDnssecView } from "./dnssec-view.js";
import type { DnssecView } from "./schemas.js";

/** `GET /zones/{id}/dnssec`: the zone's signing state, keys (public parts) and the DS for the parent. */
export async function getDnssec(services: Services, actor: Actor, zoneId: string): Promise<DnssecView> {
  authorize(actor, "tenant", zoneId);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  const rows = await services.db.dnssecKey.findMany({
    where: { zoneId },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  return toDnssecView(zone, rows);
}
