import { type DbTransaction, providerOf } from "@dnscove/db";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";

/**
 * Locks the tenant's zone row for the rest of `tx` (the same lock writers and the publisher take)
 * and reads its DNSSEC state; 404 for another tenant's zone or none.
 */
export async function lockTenantZone(
  services: Services,
  tx: DbTransaction,
  tenantId: string,
  zoneId: string,
) {
  if (providerOf(services.db) === "postgres") {
    await tx.$queryRaw`SELECT "id" FROM "zones" WHERE "id" = ${zoneId} FOR UPDATE`;
  } else {
    await tx.$executeRaw`UPDATE "zones" SET "published_serial" = "published_serial" WHERE "id" = ${zoneId}`;
  }
  const zone = await tx.zone.findFirst({ where: { id: zoneId, tenantId } });
  if (!zone) throw new NotFoundError("Zone");
  return zone;
}

/** Takes the next serial for a DNSSEC change (the publish that follows signs at it). */
export async function bumpZoneSerial(tx: DbTransaction, zoneId: string, now: Date): Promise<number> {
  const zone = await tx.zone.update({
    where: { id: zoneId },
    data: { serial: { increment: 1 }, updatedAt: now },
    select: { serial: true },
  });
  return zone.serial;
}
