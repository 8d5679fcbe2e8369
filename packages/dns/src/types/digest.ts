/**
 * Numeric fields followed by hex data: DS (RFC 4034), SSHFP (RFC 4255/6594), TLSA (RFC 6698).
 * The hex may be split by whitespace in the input (zone files often do); the canonical form joins it
 * and prints it upper-case, as BIND does (BIND additionally wraps long digests, we never do).
 * Known digest/fingerprint/matching types must have their exact length; unknown ones need >= 1 octet.
 */
import type { RdataCodec } from "../codec.js";
import { formatHex, parseHex } from "../encodings.js";
import { DnsInputError } from "../errors.js";
import { plainFields } from "../lexer.js";
import { parseUint, U8, U16 } from "../numbers.js";

function nonEmpty(data: Uint8Array, field: string): Uint8Array {
  if (data.length === 0) throw new DnsInputError(`${field} must not be empty`);
  return data;
}

function splitFields(text: string, numeric: number, usage: string): { nums: string[]; hex: string } {
  const fields = plainFields(text);
  if (fields.length < numeric + 1) throw new DnsInputError(`expected ${usage}`);
  return { nums: fields.slice(0, numeric), hex: fields.slice(numeric).join("") };
}

function checkLength(
  lengths: Record<number, [number, string]>,
  type: number,
  data: Uint8Array,
  what: string,
): void {
  const known = lengths[type];
  if (known && data.length !== known[0]) {
    throw new DnsInputError(`${what} ${type} (${known[1]}) must be ${known[0]} octets, got ${data.length}`);
  }
}

/** DNSSEC algorithm mnemonics (RFC 4034 appendix A.1 and successors) accepted in DS input. */
const DNSSEC_ALGORITHMS: Record<string, number> = {
  RSAMD5: 1,
  DH: 2,
  DSA: 3,
  RSASHA1: 5,
  "DSA-NSEC3-SHA1": 6,
  "RSASHA1-NSEC3-SHA1": 7,
  RSASHA256: 8,
  RSASHA512: 10,
  "ECC-GOST": 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
  INDIRECT: 252,
  PRIVATEDNS: 253,
  PRIVATEOID: 254,
};

function parseDnssecAlgorithm(text: string): number {
  const mnemonic = DNSSEC_ALGORITHMS[text.toUpperCase()];
  return mnemonic ?? parseUint(text, U8, "DS algorithm");
}

const DS_DIGESTS: Record<number, [number, string]> = {
  1: [20, "SHA-1"],
  2: [32, "SHA-256"],
  4: [48, "SHA-384"],
};

export interface Ds {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Uint8Array;
}

export const DS: RdataCodec<Ds> = {
  parse(text) {
    const { nums, hex } = splitFields(text, 3, "key tag, algorithm, digest type and digest");
    const v: Ds = {
      keyTag: parseUint(nums[0] ?? "", U16, "DS key tag"),
      algorithm: parseDnssecAlgorithm(nums[1] ?? ""),
      digestType: parseUint(nums[2] ?? "", U8, "DS digest type"),
      digest: parseHex(hex, "DS digest"),
    };
    checkLength(DS_DIGESTS, v.digestType, v.digest, "digest type");
    return v;
  },
  format: (v) => `${v.keyTag} ${v.algorithm} ${v.digestType} ${formatHex(v.digest)}`,
  write(w, v) {
    w.u16(v.keyTag).u8(v.algorithm).u8(v.digestType).bytes(v.digest);
  },
  read(r) {
    return {
      keyTag: r.u16(),
      algorithm: r.u8(),
      digestType: r.u8(),
      digest: nonEmpty(r.rest(), "DS digest"),
    };
  },
};

const SSHFP_TYPES: Record<number, [number, string]> = { 1: [20, "SHA-1"], 2: [32, "SHA-256"] };

export interface Sshfp {
  algorithm: number;
  fpType: number;
  fingerprint: Uint8Array;
}

export const SSHFP: RdataCodec<Sshfp> = {
  parse(text) {
    const { nums, hex } = splitFields(text, 2, "algorithm, fingerprint type and fingerprint");
    const v: Sshfp = {
      algorithm: parseUint(nums[0] ?? "", U8, "SSHFP algorithm"),
      fpType: parseUint(nums[1] ?? "", U8, "SSHFP fingerprint type"),
      fingerprint: parseHex(hex, "SSHFP fingerprint"),
    };
    checkLength(SSHFP_TYPES, v.fpType, v.fingerprint, "fingerprint type");
    return v;
  },
  format: (v) => `${v.algorithm} ${v.fpType} ${formatHex(v.fingerprint)}`,
  write(w, v) {
    w.u8(v.algorithm).u8(v.fpType).bytes(v.fingerprint);
  },
  read(r) {
    return { algorithm: r.u8(), fpType: r.u8(), fingerprint: nonEmpty(r.rest(), "SSHFP fingerprint") };
  },
};

const TLSA_TYPES: Record<number, [number, string]> = { 1: [32, "SHA-256"], 2: [64, "SHA-512"] };

export interface Tlsa {
  usage: number;
  selector: number;
  matchingType: number;
  data: Uint8Array;
}

export const TLSA: RdataCodec<Tlsa> = {
  parse(text) {
    const { nums, hex } = splitFields(text, 3, "usage, selector, matching type and data");
    const v: Tlsa = {
      usage: parseUint(nums[0] ?? "", U8, "TLSA usage"),
      selector: parseUint(nums[1] ?? "", U8, "TLSA selector"),
      matchingType: parseUint(nums[2] ?? "", U8, "TLSA matching type"),
      data: parseHex(hex, "TLSA data"),
    };
    checkLength(TLSA_TYPES, v.matchingType, v.data, "matching type");
    return v;
  },
  format: (v) => `${v.usage} ${v.selector} ${v.matchingType} ${formatHex(v.data)}`,
  write(w, v) {
    w.u8(v.usage).u8(v.selector).u8(v.matchingType).bytes(v.data);
  },
  read(r) {
    return { usage: r.u8(), selector: r.u8(), matchingType: r.u8(), data: nonEmpty(r.rest(), "TLSA data") };
  },
};
