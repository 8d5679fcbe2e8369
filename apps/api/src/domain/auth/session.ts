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
}

export function signSession(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = hmacSha256(secret, payload).toString("base64url");
  return `${PREFIX}${payload}.${signature}`;
}

export function looksLikeSession(credential: string): boolean {
  return credential.startsWith(PREFIX);
}

/** The claims of a well-formed, correctly signed, unexpired session; otherwise null. */
export function verifySession(credential: string, secret: string, nowMs: number): SessionClaims | null {
  const body = credential.slice(PREFIX.length);
  const dot = body.indexOf(".");
  if (!credential.startsWith(PREFIX) || dot < 1) return null;
  const payload = body.slice(0, dot);
  const given = Buffer.from(body.slice(dot + 1), "base64url");
  const expected = hmacSha256(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!isClaims(claims) || claims.exp * 1000 <= nowMs) return null;
  return claims;
}

function isClaims(value: unknown): value is SessionClaims {
  const v = value as Partial<SessionClaims> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.sub === "string" &&
    typeof v.tid === "string" &&
    typeof v.exp === "number"
  );
}
