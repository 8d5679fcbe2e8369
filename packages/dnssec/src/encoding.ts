/** Small encodings the DNSSEC record types need in presentation and wire form. */

/** DNSSEC type codes (IANA), beside the data types @dnscove/dns knows. */
export const DNSSEC_TYPE_CODES = {
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  CDS: 59,
  CDNSKEY: 60,
} as const;

export type DnssecRecordType = "DNSKEY" | "RRSIG" | "NSEC3" | "NSEC3PARAM" | "CDS" | "CDNSKEY";

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

/**
 * RFC 4648 section 7 "base32hex" without padding, lower case, as NSEC3 owner labels and the next
 * hashed owner field are written (RFC 5155 section 3.3). It preserves the octets' sort order, which
 * the chain relies on: sorting the strings sorts the hashes.
 */
export function base32hex(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

export function base32hexDecode(text: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const v = BASE32HEX.indexOf(ch);
    if (v < 0) throw new Error("not base32hex");
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

export function hexUpper(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

/** RRSIG time field presentation, YYYYMMDDHHmmSS in UTC (RFC 4034 section 3.2). */
export function formatSigTime(seconds: number): string {
  const d = new Date((seconds >>> 0) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Parses the YYYYMMDDHHmmSS presentation of an RRSIG time field back to seconds (mod 2^32). */
export function parseSigTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`invalid RRSIG time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, sec] = m.map(Number) as [number, number, number, number, number, number, number];
  return (Date.UTC(y, mo - 1, d, h, mi, sec) / 1000) >>> 0;
}

/**
 * Serial number arithmetic on the 32-bit RRSIG time fields (RFC 4034 section 3.1.5, RFC 1982):
 * true when `a` is before `b`.
 */
export function serialBefore(a: number, b: number): boolean {
  const d = ((b >>> 0) - (a >>> 0)) >>> 0;
  return d !== 0 && d < 0x80000000;
}

/** Seconds from `a` to `b` in serial arithmetic (negative when b is before a). */
export function serialDiff(a: number, b: number): number {
  const d = ((b >>> 0) - (a >>> 0)) >>> 0;
  return d < 0x80000000 ? d : d - 0x100000000;
}

/** Type bitmap (RFC 4034 section 4.1.2): window blocks of up to 32 octets, types in ascending order. */
export function typeBitmap(types: readonly number[]): Uint8Array {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const out: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    const window = (sorted[i] ?? 0) >> 8;
    const bits = new Uint8Array(32);
    let used = 0;
    while (i < sorted.length && (sorted[i] ?? 0) >> 8 === window) {
      const low = (sorted[i] ?? 0) & 0xff;
      bits[low >> 3] = (bits[low >> 3] ?? 0) | (0x80 >> (low & 7));
      used = (low >> 3) + 1;
      i++;
    }
    out.push(window, used, ...bits.subarray(0, used));
  }
  return Uint8Array.from(out);
}

/** Orders octet strings as RFC 4034 section 6.3 orders RDATA: left-justified, shorter first on a tie. */
export function compareOctets(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
