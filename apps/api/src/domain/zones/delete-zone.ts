import { announceRemoved } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { zoneDeleted } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import type { Services } from "../services.js";
import { findTenantZone } from "./find-zone.js";

/**
 * Deletes a zone with its rrsets, snapshots and zone-bound tokens (they can do nothing once the
 * zone is gone). The edge stops answering for it: the removal goes on the publish feed, and the edge drops it.
 */
export async function deleteZone(services: Services, actor: Actor, zoneId: string): Promise<void> {
  authorize(actor, "tenant");
  const { db } = services;
  await db.$transaction(async (tx) => {
    const zone = await findTenantZone(tx, actor.tenantId, zoneId);
    await tx.rRset.deleteMany({ where: { zoneId: zone.id } });
    await tx.snapshot.deleteMany({ where: { zoneId: zone.id } });
    await tx.zoneChange.deleteMany({ where: { zoneId: zone.id } });
    await tx.token.deleteMany({ where: { zoneId: zone.id } });
    await tx.zone.delete({ where: { id: zone.id } });
    await recordAudit(tx, services.clock, actor, zoneDeleted(zone, zone));
    await announceRemoved(tx, zone.id);
  });
  await services.edges.snapshotsChanged();
}
