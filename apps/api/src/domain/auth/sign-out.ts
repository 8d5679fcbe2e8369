import type { Actor } from "../actor.js";
import { signedOut } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { ForbiddenError } from "../errors.js";
import type { Services } from "../services.js";

/**
 * Ends the calling console session: its row is deleted, so the token answers 401 from now on, on
 * every API process (they share the database). The user's other sessions are untouched. Machine
 * tokens are not sessions: they are revoked with `DELETE /tokens/{id}`.
 */
export async function signOut(services: Services, actor: Actor): Promise<void> {
  if (actor.kind !== "session") {
    throw new ForbiddenError("Only a console session can sign out; revoke a machine token instead.");
  }
  await services.db.$transaction(async (tx) => {
    const ended = await tx.session.deleteMany({ where: { id: actor.sessionId, userId: actor.userId } });
    // Two racing sign-outs of one session: one ends it (and is audited), the other changes nothing.
    if (ended.count === 1) await recordAudit(tx, services.clock, actor, signedOut());
  });
  await removeExpiredSessions(services);
}

/** Sessions past their expiry are dead anyway; their rows are removed at sign-in and sign-out. */
export async function removeExpiredSessions(services: Services): Promise<void> {
  await services.db.session.deleteMany({ where: { expiresAt: { lte: services.clock.now() } } });
}
