import { randomBytes } from "node:crypto";
import type { ZoneBoundScope } from "@dnscove/dns";
import { newTokenId } from "../../lib/ids.js";
import { type Actor, authorize } from "../actor.js";
import { tsigKeyCreated } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { NotFoundError } from "../errors.js";
import type { Services } from "../services.js";
import type { CreatedTsigKey } from "./schemas.js";
import { sealSecret } from "./seal-secret.js";
import { toTsigKeyView } from "./tsig-key-view.js";

/**
 * Creates a zone-bound TSIG key (same rule as minting a zone-bound token: tenant permission).
 * The name is `<label>.<8 random hex>.tsig.`: the random label keeps names unique across tenants
 * without revealing which names exist. The secret is in this answer and, sealed, in the database.
 */
export async function createTsigKey(
  services: Services,
  actor: Actor,
  zoneId: string,
  input: { name?: string | undefined; scope: ZoneBoundScope },
): Promise<CreatedTsigKey> {
  authorize(actor, "tenant");
  const { db, clock, settings } = services;
  const zone = await db.zone.findFirst({
    where: { id: zoneId, tenantId: actor.tenantId },
    select: { id: true, origin: true },
  });
  if (!zone) throw new NotFoundError("Zone");
  const secret = randomBytes(32);
  const keyName = `${(input.name ?? input.scope).toLowerCase()}.${randomBytes(4).toString("hex")}.tsig.`;
  const row = await db.$transaction(async (tx) => {
    const row = await tx.tsigKey.create({
      data: {
        id: newTokenId(),
        tenantId: actor.tenantId,
        zoneId: zone.id,
        keyName,
        scope: input.scope,
        algorithm: "hmac-sha256",
        sealedSecret: sealSecret(settings.sessionSecret, secret),
        createdAt: clock.now(),
      },
    });
    await recordAudit(tx, clock, actor, tsigKeyCreated(row, zone));
    return row;
  });
  return { ...toTsigKeyView(row), secret: secret.toString("base64") };
}
