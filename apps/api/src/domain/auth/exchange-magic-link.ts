import { newId } from "../../lib/ids.js";
import { sha256Hex } from "../../lib/secrets.js";
import { DomainError } from "../errors.js";
import type { Services } from "../services.js";
import { signSession } from "./session.js";

export interface SessionGrant {
  token: string;
  expires_at: string;
}

/**
 * Trades a magic-link token for a session. The link is consumed by one conditional update, so two
 * racing exchanges of the same link cannot both succeed. First sign-in creates the tenant.
 */
export async function exchangeMagicLink(services: Services, token: string): Promise<SessionGrant> {
  const { db, clock, settings } = services;
  const now = clock.now();
  const tokenHash = sha256Hex(token);
  const invalid = new DomainError("INVALID_MAGIC_LINK", "The sign-in link is invalid, used or expired.");

  const user = await db.$transaction(async (tx) => {
    const consumed = await tx.magicLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (consumed.count !== 1) throw invalid;
    const link = await tx.magicLink.findUniqueOrThrow({ where: { tokenHash } });
    const existing = await tx.user.findUnique({ where: { email: link.email } });
    if (existing) return existing;
    const tenant = await tx.tenant.create({ data: { id: newId("tnt"), createdAt: now } });
    return tx.user.create({
      data: { id: newId("usr"), email: link.email, tenantId: tenant.id, createdAt: now },
    });
  });

  const exp = Math.floor(now.getTime() / 1000) + settings.sessionTtlSeconds;
  return {
    token: signSession({ sub: user.id, tid: user.tenantId, exp }, settings.sessionSecret),
    expires_at: new Date(exp * 1000).toISOString(),
  };
}
