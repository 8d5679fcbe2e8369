import { type Actor, authorize } from "../actor.js";
import { tokenRevoked } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { TokenView } from "./schemas.js";
import { toTokenView } from "./token-view.js";

/**
 * Revokes a token of the caller's tenant; revoking it again changes nothing, answers the same and
 * writes no audit entry.
 */
export async function revokeToken(services: Services, actor: Actor, tokenId: string): Promise<TokenView> {
  authorize(actor, "tenant");
  const { db, clock } = services;
  const token = await db.token.findFirst({
    where: { id: tokenId, tenantId: actor.tenantId },
    include: { zone: { select: { id: true, origin: true } } },
  });
  if (!token) throw new NotFoundError("Token");
  if (token.revokedAt) return toTokenView(token);
  const revoked = await db.$transaction(async (tx) => {
    // Conditional, so of two racing revocations only one writes (and audits) the revocation.
    const done = await tx.token.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt: clock.now() },
    });
    const revoked = await tx.token.findUniqueOrThrow({ where: { id: token.id } });
    if (done.count === 1) await recordAudit(tx, clock, actor, tokenRevoked(revoked, token.zone));
    return revoked;
  });
  return toTokenView(revoked);
}
