import { isZoneBoundScope } from "@dnscove/dns";
import { newTokenId } from "../../lib/ids.js";
import { newSecret, sha256Hex } from "../../lib/secrets.js";
import { type Actor, authorize, type TokenScope } from "../actor.js";
import { tokenCreated } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import type { MintedToken } from "./schemas.js";
import { formatMachineToken } from "./token-format.js";
import { toTokenView } from "./token-view.js";

export interface MintTokenInput {
  scope: TokenScope;
  /** Required for zone-bound scopes; ignored for tenant-admin. */
  zoneId?: string | undefined;
  name?: string | undefined;
  /** 0 or absent = never expires. */
  expiresInDays?: number | undefined;
}

/** Mints a machine token; the plaintext is in this answer and nowhere else, ever. */
export async function mintToken(
  services: Services,
  actor: Actor,
  input: MintTokenInput,
): Promise<MintedToken> {
  authorize(actor, "tenant");
  const { db, clock } = services;
  let zone: { id: string; origin: string } | null = null;
  if (isZoneBoundScope(input.scope)) {
    if (!input.zoneId)
      throw new ValidationError([{ path: "zone_id", message: `required for scope ${input.scope}` }]);
    zone = await db.zone.findFirst({
      where: { id: input.zoneId, tenantId: actor.tenantId },
      select: { id: true, origin: true },
    });
    if (!zone) throw new NotFoundError("Zone");
  }
  const now = clock.now();
  const id = newTokenId();
  const secret = newSecret();
  const days = input.expiresInDays ?? 0;
  const row = await db.$transaction(async (tx) => {
    const row = await tx.token.create({
      data: {
        id,
        tenantId: actor.tenantId,
        zoneId: zone?.id ?? null,
        scope: input.scope,
        name: input.name?.trim() || input.scope,
        secretHash: sha256Hex(secret),
        createdAt: now,
        expiresAt: days > 0 ? new Date(now.getTime() + days * 86_400_000) : null,
      },
    });
    // The entry names the token (id, name, scope, zone, expiry); the secret exists only in the answer.
    await recordAudit(tx, clock, actor, tokenCreated(row, zone));
    return row;
  });
  return { ...toTokenView(row), token: formatMachineToken(id, secret) };
}
