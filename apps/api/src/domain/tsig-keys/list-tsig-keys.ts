import { type Actor, authorize } from "../actor.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { TsigKeyView } from "./schemas.js";
import { toTsigKeyView } from "./tsig-key-view.js";

/** The zone's TSIG keys, revoked ones included, newest first; never a secret. */
export async function listTsigKeys(services: Services, actor: Actor, zoneId: string): Promise<TsigKeyView[]> {
  authorize(actor, "tenant");
  const zone = await services.db.zone.findFirst({ where: { id: zoneId, tenantId: actor.tenantId } });
  if (!zone) throw new NotFoundError("Zone");
  const rows = await services.db.tsigKey.findMany({
    where: { tenantId: actor.tenantId, zoneId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map(toTsigKeyView);
}
