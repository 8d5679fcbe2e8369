import { rawQuery, sql } from "@dnscove/db";
import { digestsEqual, sha256Hex } from "../../lib/secrets.js";
import type { Actor, RequestContext, TokenScope } from "../actor.js";
import { UnauthenticatedError } from "../errors.js";
import type { Services } from "../services.js";
import { parseMachineToken } from "../tokens/token-format.js";
import { looksLikeSession, verifySession } from "./session.js";

/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Compared against when the token id is unknown, so both paths do the same work. */
const DUMMY_HASH = sha256Hex("dnscove-no-such-token");

/**
 * Turns a bearer credential into an Actor making the `request`, or throws 401-class errors for
 * anything else.
 */
export async function authenticate(
  services: Services,
  credential: string | undefined,
  request: RequestContext,
): Promise<Actor> {
  if (!credential) throw new UnauthenticatedError();
  const now = services.clock.now();

  if (looksLikeSession(credential)) {
    const claims = verifySession(credential, services.settings.sessionSecret, now.getTime());
    if (!claims) throw new UnauthenticatedError("The session is invalid or expired.");
    // The signature proves we issued it; the row proves it was not signed out since (on any API
    // process: the row is in the shared database).
    const live = await liveSession(services, claims.jti);
    if (!live || live.userId !== claims.sub || live.expiresAt <= now) {
      throw new UnauthenticatedError("The session has ended; sign in again.");
    }
    return {
      kind: "session",
      tenantId: claims.tid,
      userId: claims.sub,
      email: live.email,
      sessionId: claims.jti,
      request,
    };
  }

  const parsed = parseMachineToken(credential);
  if (!parsed) throw new UnauthenticatedError("The credential is malformed.");
  const token = await tokenRow(services, parsed.id);
  const matches = digestsEqual(token?.secretHash ?? DUMMY_HASH, sha256Hex(parsed.secret));
  if (!token || !matches) throw new UnauthenticatedError("The token is unknown.");
  if (token.revokedAt) throw new UnauthenticatedError("The token has been revoked.");
  if (token.expiresAt && token.expiresAt <= now) throw new UnauthenticatedError("The token has expired.");

  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await services.db.token.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: "token",
    tenantId: token.tenantId,
    tokenId: token.id,
    name: token.name,
    scope: token.scope as TokenScope,
    zoneId: token.zoneId,
    request,
  };
}

/**
 * The session row, read with one raw statement: every request with a session pays for this
 * lookup, and a raw query costs about a third of the model query (issue 14); rawQuery runs it on
 * the driver directly (packages/db raw-transaction.ts), past Prisma altogether. Not cached, so a
 * sign-out on any API process takes effect on the next request everywhere.
 */
async function liveSession(
  services: Services,
  sessionId: string,
): Promise<{ userId: string; email: string; expiresAt: Date } | undefined> {
  // The user's email comes along (primary-key join) for the audit log's actor.
  const rows = await rawQuery<{ userId: string; email: string; expiresAt: Date }[]>(
    services.db,
    sql`SELECT s."user_id" AS "userId", u."email", s."expires_at" AS "expiresAt"
      FROM "sessions" s JOIN "users" u ON u."id" = s."user_id" WHERE s."id" = ${sessionId}`,
  );
  return rows[0];
}

interface TokenRow {
  id: string;
  tenantId: string;
  name: string;
  scope: string;
  zoneId: string | null;
  secretHash: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** The machine token's row, one raw SELECT like the session's (every automation request pays it). */
async function tokenRow(services: Services, tokenId: string): Promise<TokenRow | undefined> {
  const rows = await rawQuery<TokenRow[]>(
    services.db,
    sql`SELECT "id", "tenant_id" AS "tenantId", "name", "scope", "zone_id" AS "zoneId", "secret_hash" AS "secretHash",
      "revoked_at" AS "revokedAt", "expires_at" AS "expiresAt", "last_used_at" AS "lastUsedAt"
    FROM "tokens" WHERE "id" = ${tokenId}`,
  );
  return rows[0];
}
