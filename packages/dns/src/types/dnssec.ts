/**
 * The DNSSEC record types (RFC 4034: DNSKEY, RRSIG, NSEC; RFC 5155: NSEC3, NSEC3PARAM; RFC 7344:
 * CDNSKEY, and CDS, which has DS's format). The platform writes these at publish
 * (@dnscove/dnssec); they are wire-only types like SOA, never client-writable.
 *
 * Canonical presentation is exactly what @dnscove/dnssec writes: base64 keys and signatures in one
 * token, RRSIG times as YYYYMMDDHHmmSS (UTC), the NSEC3 next hashed owner in lower-case base32hex
 * without padding (RFC 4648 section 7), salt in upper-case hex or "-", type bitmaps as ascending
 * mnemonics. Input also accepts what zone files and `dig` print: base64 split by whitespace, times
 * as decimal seconds (RFC 4034 section 3.2), upper-case base32hex, TYPEnnn mnemonics.
 */
import type { RdataCodec } from "../codec.js";
import { formatBase64, formatHex, parseBase64, parseHex } from "../encodings.js";
import { DnsInputError } from "../errors.js";
import { plainFields } from "../lexer.js";
import { canonicalTargetName } from "../names.js";
import { parseUint, U8, U16, U32 } from "../numbers.js";
import { typeCodeOf, typeMnemonicOf } from "../record-types.js";
import type { WireReader, WireWriter } from "../wire.js";

function fields(text: string, min: number, usage: string): string[] {
  const f = plainFields(text);
  if (f.length < min) throw new DnsInputError(`expected ${usage}`);
  return f;
}

function parseType(text: string, field: string): number {
  const code = typeCodeOf(text);
  if (code === undefined) throw new DnsInputError(`${field} ${JSON.stringify(text)} is not a record type`);
  return code;
}

// ------------------------------------------------------------------ type bitmaps (RFC 4034 section 4.1.2)

/** Sorted, de-duplicated type codes. */
function parseTypeList(tokens: readonly string[]): number[] {
  return [...new Set(tokens.map((t) => parseType(t, "type bitmap entry")))].sort((a, b) => a - b);
}

function writeBitmap(w: WireWriter, types: readonly number[]): void {
  let i = 0;
  while (i < types.length) {
    const window = (types[i] as number) >> 8;
    const bits = new Uint8Array(32);
    let used = 0;
    while (i < types.length && (types[i] as number) >> 8 === window) {
      const low = (types[i] as number) & 0xff;
      bits[low >> 3] = (bits[low >> 3] as number) | (0x80 >> (low & 7));
      used = (low >> 3) + 1;
      i++;
    }
    w.u8(window).u8(used).bytes(bits.subarray(0, used));
  }
}

/** Windows in ascending order, each 1..32 octets (RFC 4034 section 4.1.2). */
function readBitmap(r: WireReader): number[] {
  const types: number[] = [];
  let last = -1;
  while (r.remaining > 0) {
    const window = r.u8();
    const len = r.u8();
    if (window <= last) throw new DnsInputError("type bitmap windows out of order");
    if (len < 1 || len > 32) throw new DnsInputError("type bitmap window length must be 1 to 32");
    last = window;
    const bits = r.bytes(len);
    for (let o = 0; o < len; o++) {
      for (let b = 0; b < 8; b++)
        if ((bits[o] as number) & (0x80 >> b)) types.push((window << 8) | (o * 8 + b));
    }
  }
  return types;
}

function formatTypes(types: readonly number[]): string {
  return types.map(typeMnemonicOf).join(" ");
}

// ------------------------------------------------------------------ base32hex (RFC 4648 section 7)

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

function formatBase32hex(bytes: Uint8Array): string {
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

/** Unpadded base32hex, any case; trailing bits must be zero so each value has one spelling. */
function parseBase32hex(text: string, field: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const v = BASE32HEX.indexOf(ch);
    if (v < 0) throw new DnsInputError(`${field} must be base32hex`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) throw new DnsInputError(`${field} must be base32hex`);
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------ DNSKEY, CDNSKEY (RFC 4034 section 2, RFC 7344)

export interface Dnskey {
  flags: number;
  protocol: number;
  algorithm: number;
  key: Uint8Array;
}

export const DNSKEY: RdataCodec<Dnskey> = {
  parse(text) {
    const f = fields(text, 4, "flags, protocol, algorithm and public key");
    return {
      flags: parseUint(f[0] ?? "", U16, "DNSKEY flags"),
      protocol: parseUint(f[1] ?? "", U8, "DNSKEY protocol"),
      algorithm: parseUint(f[2] ?? "", U8, "DNSKEY algorithm"),
      key: parseBase64(f.slice(3).join(""), "DNSKEY public key"),
    };
  },
  format: (v) => `${v.flags} ${v.protocol} ${v.algorithm} ${formatBase64(v.key)}`,
  write(w, v) {
    w.u16(v.flags).u8(v.protocol).u8(v.algorithm).bytes(v.key);
  },
  read: (r) => ({ flags: r.u16(), protocol: r.u8(), algorithm: r.u8(), key: r.rest() }),
};

// ------------------------------------------------------------------ RRSIG (RFC 4034 section 3)

export interface Rrsig {
  covered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signer: string;
  signature: Uint8Array;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** YYYYMMDDHHmmSS in UTC of a 32-bit time (RFC 4034 section 3.2). */
function formatSigTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** YYYYMMDDHHmmSS (reduced mod 2^32, RFC 4034 section 3.1.5) or plain decimal seconds. */
function parseSigTime(text: string, field: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return parseUint(text, U32, field);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || y < 1970)
    throw new DnsInputError(`${field} is not a valid YYYYMMDDHHmmSS time`);
  return (ms / 1000) % 0x100000000;
}

export const RRSIG: RdataCodec<Rrsig> = {
  parse(text) {
    const f = fields(
      text,
      9,
      "type covered, algorithm, labels, original TTL, expiration, inception, key tag, signer and signature",
    );
    return {
      covered: parseType(f[0] ?? "", "RRSIG type covered"),
      algorithm: parseUint(f[1] ?? "", U8, "RRSIG algorithm"),
      labels: parseUint(f[2] ?? "", U8, "RRSIG labels"),
      originalTtl: parseUint(f[3] ?? "", U32, "RRSIG original TTL"),
      expiration: parseSigTime(f[4] ?? "", "RRSIG expiration"),
      inception: parseSigTime(f[5] ?? "", "RRSIG inception"),
      keyTag: parseUint(f[6] ?? "", U16, "RRSIG key tag"),
      signer: canonicalTargetName(f[7] ?? ""),
      signature: parseBase64(f.slice(8).join(""), "RRSIG signature"),
    };
  },
  format: (v) =>
    `${typeMnemonicOf(v.covered)} ${v.algorithm} ${v.labels} ${v.originalTtl} ${formatSigTime(v.expiration)} ${formatSigTime(v.inception)} ${v.keyTag} ${v.signer} ${formatBase64(v.signature)}`,
  write(w, v) {
    w.u16(v.covered).u8(v.algorithm).u8(v.labels).u32(v.originalTtl);
    w.u32(v.expiration).u32(v.inception).u16(v.keyTag).name(v.signer).bytes(v.signature);
  },
  read: (r) => ({
    covered: r.u16(),
    algorithm: r.u8(),
    labels: r.u8(),
    originalTtl: r.u32(),
    expiration: r.u32(),
    inception: r.u32(),
    keyTag: r.u16(),
    signer: r.name(),
    signature: r.rest(),
  }),
};

// ------------------------------------------------------------------ NSEC (RFC 4034 section 4)

export interface Nsec {
  next: string;
  types: number[];
}

export const NSEC: RdataCodec<Nsec> = {
  parse(text) {
    const f = fields(text, 1, "next domain name and types");
    return { next: canonicalTargetName(f[0] ?? ""), types: parseTypeList(f.slice(1)) };
  },
  format: (v) => (v.types.length ? `${v.next} ${formatTypes(v.types)}` : v.next),
  write(w, v) {
    w.name(v.next);
    writeBitmap(w, v.types);
  },
  read: (r) => ({ next: r.name(), types: readBitmap(r) }),
};

// ------------------------------------------------------------------ NSEC3, NSEC3PARAM (RFC 5155 sections 3 and 4)

export interface Nsec3Param {
  algorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
}

function parseSalt(text: string): Uint8Array {
  return text === "-" ? new Uint8Array(0) : parseHex(text, "NSEC3 salt");
}

function formatSalt(salt: Uint8Array): string {
  return salt.length === 0 ? "-" : formatHex(salt);
}

function parseParams(f: readonly string[], what: string): Nsec3Param {
  const salt = parseSalt(f[3] ?? "");
  if (salt.length > 255) throw new DnsInputError(`${what} salt longer than 255 octets`);
  return {
    algorithm: parseUint(f[0] ?? "", U8, `${what} hash algorithm`),
    flags: parseUint(f[1] ?? "", U8, `${what} flags`),
    iterations: parseUint(f[2] ?? "", U16, `${what} iterations`),
    salt,
  };
}

function writeParams(w: WireWriter, v: Nsec3Param): void {
  w.u8(v.algorithm).u8(v.flags).u16(v.iterations).charString(v.salt);
}

function readParams(r: WireReader): Nsec3Param {
  return { algorithm: r.u8(), flags: r.u8(), iterations: r.u16(), salt: r.charString() };
}

function formatParams(v: Nsec3Param): string {
  return `${v.algorithm} ${v.flags} ${v.iterations} ${formatSalt(v.salt)}`;
}

export const NSEC3PARAM: RdataCodec<Nsec3Param> = {
  parse(text) {
    const f = plainFields(text);
    if (f.length !== 4) throw new DnsInputError("expected hash algorithm, flags, iterations and salt");
    return parseParams(f, "NSEC3PARAM");
  },
  format: formatParams,
  write: writeParams,
  read: readParams,
};

export interface Nsec3 extends Nsec3Param {
  next: Uint8Array;
  types: number[];
}

export const NSEC3: RdataCodec<Nsec3> = {
  parse(text) {
    const f = fields(text, 5, "hash algorithm, flags, iterations, salt, next hashed owner and types");
    const next = parseBase32hex(f[4] ?? "", "NSEC3 next hashed owner");
    if (next.length < 1 || next.length > 255)
      throw new DnsInputError("NSEC3 next hashed owner must be 1 to 255 octets");
    return { ...parseParams(f, "NSEC3"), next, types: parseTypeList(f.slice(5)) };
  },
  format: (v) => {
    const head = `${formatParams(v)} ${formatBase32hex(v.next)}`;
    return v.types.length ? `${head} ${formatTypes(v.types)}` : head;
  },
  write(w, v) {
    writeParams(w, v);
    w.charString(v.next);
    writeBitmap(w, v.types);
  },
  read(r) {
    const params = readParams(r);
    const next = r.charString();
    if (next.length === 0) throw new DnsInputError("NSEC3 next hashed owner must not be empty");
    return { ...params, next, types: readBitmap(r) };
  },
};
