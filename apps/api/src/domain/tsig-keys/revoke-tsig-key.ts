import { type Actor, authorize } from "../actor.js";
import { tsigKeyRevoked } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { TsigKeyView } from "./schemas.js";
import { toTsigKeyView } from "./tsig-key-view.js";

/**
 * Revokes a TSIG key of the zone: UPDATEs signed with it answer NOTAUTH/BADKEY from then on.
 * Revoking again changes nothing, answers the same and writes no audit entry (like tokens).
 */
export async function revokeTsigKey(
  services: Services,
  actor: Actor,
  zoneId: string,
  keyId: string,
): Promise<TsigKeyView> {
  authorize(actor, "tenant");
  const { db, clock } = services;
  const key = await db.tsigKey.findFirst({
    where: { id: keyId, zoneId, tenantId: actor.tenantId },
    include: { zone: { select: { id: true, origin: true } } },
  });
  if (!key) throw new NotFoundError("TSIG key");
  if (key.revokedAt) return toTsigKeyView(key);
  const revoked = await db.$transaction(async (tx) => {
    const done = await tx.tsigKey.updateMany({
      where: { id: key.id, revokedAt: null },
      data: { revokedAt: clock.now() },
    });
    const revoked = await tx.tsigKey.findUniqueOrThrow({ where: { id: key.id } });
    if (done.count === 1) await recordAudit(tx, clock, actor, tsigKeyRevoked(revoked, key.zone));
    return revoked;
  });
  return toTsigKeyView(revoked);
}
