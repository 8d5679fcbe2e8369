import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { findTenantZone } from "./find-zone.js";
import { toZoneView, type ZoneView } from "./zone-view.js";

export async function getZone(services: Services, actor: Actor, zoneId: string): Promise<ZoneView> {
  authorize(actor, "zone-records", zoneId);
  return toZoneView(await findTenantZone(services.db, actor.tenantId, zoneId), services.settings.zone);
}
