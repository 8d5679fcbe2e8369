import { type Actor, authorize } from "../actor.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { TokenView } from "./schemas.js";
import { toTokenView } from "./token-view.js";

/** Revokes a token of the caller's tenant; revoking it again changes nothing and answers the same. */
export async function revokeToken(services: Services, actor: Actor, tokenId: string): Promise<TokenView> {
  authorize(actor, "tenant");
  const { db, clock } = services;
  const token = await db.token.findFirst({ where: { id: tokenId, tenantId: actor.tenantId } });
  if (!token) throw new NotFoundError("Token");
  if (token.revokedAt) return toTokenView(token);
  return toTokenView(await db.token.update({ where: { id: token.id }, data: { revokedAt: clock.now() } }));
}
