import { newId } from "../../lib/ids.js";
import { sha256Hex } from "../../lib/secrets.js";
import type { RequestContext } from "../actor.js";
import { signedIn } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { DomainError } from "../errors.js";
import type { Services } from "../services.js";
import type { Session } from "./schemas.js";
import { signSession } from "./session.js";
import { removeExpiredSessions } from "./sign-out.js";

/**
 * Trades a magic-link token for a session. The link is consumed by one conditional update, so two
 * racing exchanges of the same link cannot both succeed. First sign-in creates the tenant. The
 * session gets a row of its own (its id is the token's `jti`) so sign-out can end it server-side.
 * The sign-in is audited in the user's tenant, made by the user from `request`'s address.
 */
export async function exchangeMagicLink(
  services: Services,
  token: string,
  request: RequestContext,
): Promise<Session> {
  const { db, clock, settings } = services;
  const now = clock.now();
  const tokenHash = sha256Hex(token);
  const invalid = new DomainError("INVALID_MAGIC_LINK", "The sign-in link is invalid, used or expired.");

  const exp = Math.floor(now.getTime() / 1000) + settings.sessionTtlSeconds;
  const sessionId = newId("ses");
  const user = await db.$transaction(async (tx) => {
    const consumed = await tx.magicLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (consumed.count !== 1) throw invalid;
    const link = await tx.magicLink.findUniqueOrThrow({ where: { tokenHash } });
    const known = await tx.user.findUnique({ where: { email: link.email } });
    const user =
      known ??
      (await tx.user.create({
        data: {
          id: newId("usr"),
          email: link.email,
          tenantId: (await tx.tenant.create({ data: { id: newId("tnt"), createdAt: now } })).id,
          createdAt: now,
        },
      }));
    await tx.session.create({
      data: { id: sessionId, userId: user.id, createdAt: now, expiresAt: new Date(exp * 1000) },
    });
    const by = {
      tenantId: user.tenantId,
      kind: "session",
      id: user.id,
      name: user.email,
      scope: null,
      request,
    } as const;
    await recordAudit(tx, clock, by, signedIn(known === null));
    return user;
  });
  // Housekeeping only: the sign-in has committed, so a failure here must not fail it; the next
  // sign-in or sign-out removes the expired rows.
  await removeExpiredSessions(services).catch(() => undefined);

  return {
    token: signSession({ sub: user.id, tid: user.tenantId, exp, jti: sessionId }, settings.sessionSecret),
    expires_at: new Date(exp * 1000).toISOString(),
  };
}
