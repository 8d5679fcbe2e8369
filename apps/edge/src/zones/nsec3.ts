/**
 * What the edge needs to read of the DNSSEC records it serves (it never signs, docs/dnssec.md):
 * the NSEC3 hash of a name (RFC 5155 section 5), the NSEC3PARAM parameters, and two RRSIG fields.
 */
import { createHash } from "node:crypto";
import { typeCodeOf } from "@dnscove/dns";
import { keyToWire } from "../wire/names.js";

export interface Nsec3Params {
  algorithm: number;
  iterations: number;
  salt: Uint8Array;
}

/** NSEC3PARAM RDATA (RFC 5155 section 4.2): algorithm, flags, iterations, salt length, salt. */
export function nsec3ParamsOf(rdata: Uint8Array | undefined): Nsec3Params | undefined {
  if (!rdata || rdata.length < 5) return undefined;
  const saltLength = rdata[4] as number;
  return {
    algorithm: rdata[0] as number,
    iterations: ((rdata[2] as number) << 8) | (rdata[3] as number),
    salt: rdata.slice(5, 5 + saltLength),
  };
}

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

function base32hex(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The hashed owner label of a name key: IH(salt, x, k) of RFC 5155 section 5 with SHA-1 (the only
 * hash algorithm defined), in lower-case base32hex as the owner names of the zone's NSEC3 records.
 */
export function nsec3HashKey(key: string, params: Nsec3Params): string {
  let digest: Uint8Array = createHash("sha1").update(keyToWire(key)).update(params.salt).digest();
  for (let i = 0; i < params.iterations; i++) {
    digest = createHash("sha1").update(digest).update(params.salt).digest();
  }
  return base32hex(digest);
}

/** The original-TTL field of the RRSIG RDATA at `offset` (RFC 4034 section 3.1: octets 4 to 7). */
export function rrsigOriginalTtl(buf: Uint8Array, offset: number): number {
  return (
    (((buf[offset + 4] as number) << 24) |
      ((buf[offset + 5] as number) << 16) |
      ((buf[offset + 6] as number) << 8) |
      (buf[offset + 7] as number)) >>>
    0
  );
}

/** The type-covered field of an RRSIG in presentation form (its first token); -1 if unreadable. */
export function coveredTypeOfText(record: string): number {
  const end = record.indexOf(" ");
  return typeCodeOf(end < 0 ? record : record.slice(0, end)) ?? -1;
}
