import { type Actor, authorize } from "../actor.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { TokenView } from "./schemas.js";
import { toTokenView } from "./token-view.js";

/** The tenant's tokens, or only those bound to `zoneId` when given. Newest first. */
export async function listTokens(services: Services, actor: Actor, zoneId?: string): Promise<TokenView[]> {
  authorize(actor, "tenant");
  if (zoneId !== undefined) {
    const zone = await services.db.zone.findFirst({ where: { id: zoneId, tenantId: actor.tenantId } });
    if (!zone) throw new NotFoundError("Zone");
  }
  const rows = await services.db.token.findMany({
    where: { tenantId: actor.tenantId, ...(zoneId !== undefined ? { zoneId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map(toTokenView);
}
