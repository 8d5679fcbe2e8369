/**
 * NSEC3 per RFC 5155 with the RFC 9276 parameters: hash algorithm 1 (SHA-1), flags 0 (no opt-out),
 * 0 additional iterations, empty salt. With these parameters the hashed owner is simply
 * base32hex(SHA-1(canonical wire name)).
 */
import { createHash } from "node:crypto";
import { nameToWire } from "@dnscove/dns";
import { base32hex, base32hexDecode, concat, typeBitmap } from "./encoding.js";
import { typeMnemonic } from "./records.js";

export const NSEC3_HASH_SHA1 = 1;
export const NSEC3_ITERATIONS = 0;
export const NSEC3PARAM_TEXT = "1 0 0 -";
export const NSEC3PARAM_WIRE = Uint8Array.of(1, 0, 0, 0, 0);

/** The NSEC3 hash label of a name (lower-case base32hex, 32 characters). */
export function nsec3Hash(name: string): string {
  return base32hex(createHash("sha1").update(nameToWire(name)).digest());
}

/** NSEC3 RDATA (RFC 5155 section 3.2): algorithm, flags, iterations, salt, next hashed owner, type bitmap. */
export function nsec3Rdata(nextHash: string, types: readonly number[]): { wire: Uint8Array; text: string } {
  const next = base32hexDecode(nextHash);
  const wire = concat([
    Uint8Array.of(NSEC3_HASH_SHA1, 0, 0, NSEC3_ITERATIONS, 0, next.length),
    next,
    typeBitmap(types),
  ]);
  const sorted = [...new Set(types)].sort((a, b) => a - b).map(typeMnemonic);
  const text = `${NSEC3_HASH_SHA1} 0 ${NSEC3_ITERATIONS} - ${nextHash}${sorted.length ? ` ${sorted.join(" ")}` : ""}`;
  return { wire, text };
}
