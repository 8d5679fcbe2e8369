/**
 * RFC 1035 <character-string> presentation helpers shared by TXT/SPF, CAA, NAPTR and SVCB.
 *
 * Decoding: `\DDD` (exactly three decimal digits, 000-255) is one octet; `\X` is the character X;
 * every other character is its UTF-8 encoding.
 * Encoding (BIND style): printable ASCII other than `"` and `\` is literal, `"` and `\` get a
 * backslash, every other octet (controls, DEL, non-ASCII) is written `\DDD` in decimal.
 */
import { DnsInputError } from "./errors.js";

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * UTF-8 octets of `s`. Buffer.from takes small results from Node's shared pool, which is far cheaper
 * than a new Uint8Array per string; without lone surrogates the octets are TextEncoder's.
 */
export function utf8(s: string): Uint8Array {
  if (LONE_SURROGATE.test(s)) throw new DnsInputError("text is not valid Unicode");
  return Buffer.from(s, "utf8");
}

/**
 * Writes code point `cp` (a Unicode scalar value: lone surrogates are rejected before) as UTF-8 at
 * `out[n]`, the same octets TextEncoder gives (RFC 3629 section 3); returns the new length.
 */
function putUtf8(out: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) {
    out[n] = cp;
    return n + 1;
  }
  if (cp < 0x800) {
    out[n] = 0xc0 | (cp >> 6);
    out[n + 1] = 0x80 | (cp & 0x3f);
    return n + 2;
  }
  if (cp < 0x10000) {
    out[n] = 0xe0 | (cp >> 12);
    out[n + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[n + 2] = 0x80 | (cp & 0x3f);
    return n + 3;
  }
  out[n] = 0xf0 | (cp >> 18);
  out[n + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[n + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[n + 3] = 0x80 | (cp & 0x3f);
  return n + 4;
}

const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;

function isDigitCode(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Reused output buffer of `decodeEscapes` (grown on demand); the result is always a copy. */
let scratch = Buffer.alloc(1024);

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

/**
 * The error for a bad escape, unless the text also holds a lone surrogate: that error wins wherever
 * it is, as it did when the whole text was checked before decoding.
 */
function escapeError(s: string, message: string): DnsInputError {
  return LONE_SURROGATE.test(s) ? new DnsInputError("text is not valid Unicode") : new DnsInputError(message);
}

/**
 * Decode presentation escapes of a character-string body (without its surrounding quotes).
 * One pass over UTF-16 code units into a reused buffer: a code unit never takes more than three
 * UTF-8 octets (a surrogate pair is two units for four octets), and escapes only shrink. A lone
 * surrogate is rejected (`codePointAt` only returns a surrogate when it is unpaired).
 */
export function decodeEscapes(s: string): Uint8Array {
  if (scratch.length < s.length * 3) scratch = Buffer.alloc(s.length * 3);
  const out = scratch;
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) {
      if (i + 1 >= s.length) throw escapeError(s, "text ends with a lone backslash");
      const next = s.charCodeAt(i + 1);
      if (isDigitCode(next)) {
        const d2 = s.charCodeAt(i + 2);
        const d3 = s.charCodeAt(i + 3);
        // charCodeAt past the end is NaN, which is not a digit.
        if (!isDigitCode(d2) || !isDigitCode(d3)) {
          throw escapeError(s, "\\DDD escape needs exactly three digits");
        }
        const value = (next - ZERO) * 100 + (d2 - ZERO) * 10 + (d3 - ZERO);
        if (value > 255) throw escapeError(s, "\\DDD escape is greater than 255");
        out[n++] = value;
        i += 4;
        continue;
      }
      const cp = s.codePointAt(i + 1) ?? 0;
      if (isSurrogate(cp)) throw new DnsInputError("text is not valid Unicode");
      n = putUtf8(out, n, cp);
      i += cp > 0xffff ? 3 : 2;
      continue;
    }
    if (c < 0x80) {
      out[n++] = c;
      i += 1;
      continue;
    }
    const cp = s.codePointAt(i) ?? 0;
    if (isSurrogate(cp)) throw new DnsInputError("text is not valid Unicode");
    n = putUtf8(out, n, cp);
    i += cp > 0xffff ? 2 : 1;
  }
  // A pooled copy (see utf8): the scratch buffer is reused by the next call.
  const result = Buffer.allocUnsafe(n);
  out.copy(result, 0, 0, n);
  return result;
}

/** `\DDD` for every octet BIND escapes, `\"` and `\\` for the two specials, the character otherwise. */
const OCTET_TEXT: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x22) return '\\"';
  if (b === 0x5c) return "\\\\";
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\${String(b).padStart(3, "0")}`;
});

/** Presentation form of one octet inside a quoted character-string. */
export function escapeOctet(b: number): string {
  return OCTET_TEXT[b & 0xff] as string;
}

/** Whether octet `b` is written as itself (printable ASCII other than `"` and `\`). */
function isLiteral(b: number): boolean {
  return b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c;
}

/** Node's latin1 decoder, which reads any Uint8Array (not only Buffers) without wrapping it. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(start: number, end: number): string })
  .latin1Slice;

/**
 * `"..."` with BIND-style escaping. Runs of literal octets are copied in one latin1 decode
 * instead of one string concatenation per octet.
 */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (isLiteral(b)) continue;
    if (i > run) s += latin1Slice.call(bytes, run, i);
    s += OCTET_TEXT[b] as string;
    run = i + 1;
  }
  if (bytes.length > run) s += latin1Slice.call(bytes, run, bytes.length);
  return `${s}"`;
}
