import type { Db, DbTransaction } from "@dnscove/db";
import { NotFoundError } from "../errors.js";

/** A zone of the tenant, or 404: another tenant's zone is indistinguishable from none. */
export async function findTenantZone(db: Db | DbTransaction, tenantId: string, zoneId: string) {
  const zone = await db.zone.findFirst({ where: { id: zoneId, tenantId } });
  if (!zone) throw new NotFoundError("Zone");
  return zone;
}
