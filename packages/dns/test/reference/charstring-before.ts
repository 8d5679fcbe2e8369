/**
 * RFC 1035 <character-string> presentation helpers shared by TXT/SPF, CAA, NAPTR and SVCB.
 *
 * Decoding: `\DDD` (exactly three decimal digits, 000-255) is one octet; `\X` is the character X;
 * every other character is its UTF-8 encoding.
 * Encoding (BIND style): printable ASCII other than `"` and `\` is literal, `"` and `\` get a
 * backslash, every other octet (controls, DEL, non-ASCII) is written `\DDD` in decimal.
 */
import { DnsInputError } from "../../src/errors.js";

const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

export function utf8(s: string): Uint8Array {
  if (LONE_SURROGATE.test(s)) throw new DnsInputError("text is not valid Unicode");
  return encoder.encode(s);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** Decode presentation escapes of a character-string body (without its surrounding quotes). */
export function decodeEscapes(s: string): Uint8Array {
  if (LONE_SURROGATE.test(s)) throw new DnsInputError("text is not valid Unicode");
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === "\\") {
      const next = s[i + 1];
      if (next === undefined) throw new DnsInputError("text ends with a lone backslash");
      if (isDigit(next)) {
        const digits = s.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(digits)) throw new DnsInputError("\\DDD escape needs exactly three digits");
        const value = Number(digits);
        if (value > 255) throw new DnsInputError("\\DDD escape is greater than 255");
        out.push(value);
        i += 4;
        continue;
      }
      const cp = s.codePointAt(i + 1) ?? 0;
      const char = String.fromCodePoint(cp);
      for (const b of encoder.encode(char)) out.push(b);
      i += 1 + char.length;
      continue;
    }
    const cp = s.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(cp);
    for (const b of encoder.encode(char)) out.push(b);
    i += char.length;
  }
  return Uint8Array.from(out);
}

/** Presentation form of one octet inside a quoted character-string. */
export function escapeOctet(b: number): string {
  if (b === 0x22) return '\\"';
  if (b === 0x5c) return "\\\\";
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\${String(b).padStart(3, "0")}`;
}

/** `"..."` with BIND-style escaping. */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) s += escapeOctet(b);
  return `${s}"`;
}
