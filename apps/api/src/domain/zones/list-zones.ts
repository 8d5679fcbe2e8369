import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import type { ZoneView } from "./schemas.js";
import { toZoneView } from "./zone-view.js";

export async function listZones(services: Services, actor: Actor): Promise<ZoneView[]> {
  authorize(actor, "tenant");
  const rows = await services.db.zone.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: { origin: "asc" },
  });
  return rows.map((row) => toZoneView(row, services.settings.zone));
}
