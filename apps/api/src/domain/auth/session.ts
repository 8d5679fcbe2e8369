import { timingSafeEqual } from "node:crypto";
import { hmacSha256 } from "../../lib/secrets.js";

/** Sessions are `dnss_<payload>.<signature>`: base64url JSON signed with HMAC-SHA256. */
const PREFIX = "dnss_";

export interface SessionClaims {
  /** user id */
  sub: string;
  /** tenant id */
  tid: string;
  /** expiry, seconds since the epoch */
  exp: number;
  /** session id: the row in `sessions` that keeps the session alive (sign-out deletes it) */
  jti: string;
}

export function signSession(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = hmacSha256(secret, payload).toString("base64url");
  return `${PREFIX}${payload}.${signature}`;
}

export function looksLikeSession(credential: string): boolean {
  return credential.startsWith(PREFIX);
}

/**
 * Whether `text` is base64url exactly as we write it: no padding, and unused low bits of the last
 * character zero (RFC 4648 §3.5, §5). Node's decoder ignores those bits, so without this check
 * several spellings decode to the same bytes and one session would have several valid spellings.
 */
function isCanonicalBase64url(text: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(text) && Buffer.from(text, "base64url").toString("base64url") === text;
}

/**
 * The claims of a well-formed, correctly signed, unexpired session in its one canonical spelling;
 * otherwise null. Whether the session is still live (not signed out) is for the caller to ask the
 * database (see authenticate.ts).
 */
export function verifySession(credential: string, secret: string, nowMs: number): SessionClaims | null {
  const known = verified.get(credential);
  const claims = known?.secret === secret ? known.claims : verifySignature(credential, secret);
  if (!claims || claims.exp * 1000 <= nowMs) return null;
  if (known?.secret !== secret) remember(credential, secret, claims);
  return claims;
}

/**
 * Sessions whose spelling and signature were checked already, by credential. A session client
 * sends the same credential on every request, and checking it again (two base64url round trips,
 * an HMAC, a JSON parse) was ~6% of a single-rrset change's CPU (issue 14). Only what the
 * signature proves is kept: expiry is checked on every request, and liveness (sign-out) is the
 * database's answer on every request (authenticate.ts). Bounded; the oldest entry goes first.
 */
const verified = new Map<string, { secret: string; claims: SessionClaims }>();
const VERIFIED_SESSIONS_KEPT = 4096;

function remember(credential: string, secret: string, claims: SessionClaims): void {
  if (verified.size >= VERIFIED_SESSIONS_KEPT) verified.delete(verified.keys().next().value as string);
  verified.set(credential, { secret, claims });
}

function verifySignature(credential: string, secret: string): SessionClaims | null {
  const body = credential.slice(PREFIX.length);
  const dot = body.indexOf(".");
  if (!credential.startsWith(PREFIX) || dot < 1) return null;
  const payload = body.slice(0, dot);
  const signature = body.slice(dot + 1);
  if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = hmacSha256(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  return isClaims(claims) ? claims : null;
}

function isClaims(value: unknown): value is SessionClaims {
  const v = value as Partial<SessionClaims> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.sub === "string" &&
    typeof v.tid === "string" &&
    typeof v.exp === "number" &&
    typeof v.jti === "string"
  );
}
