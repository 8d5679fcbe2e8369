/**
 * TXT and SPF (RFC 1035, RFC 7208): one or more character-strings.
 * - Input that starts with `"` is a sequence of quoted strings (escapes \" \\ \DDD \X); anything
 *   else between or after them is an error. `""` is one empty string.
 * - Input that does not start with `"` is ONE string taken literally (no escape processing, inner
 *   spaces and quotes kept, surrounding whitespace trimmed), Route 53/Cloudflare style.
 * - Empty input is an error. Strings longer than 255 octets are split into 255-octet chunks
 *   (string boundaries given by the user are otherwise kept: they are significant in RDATA).
 * - Output: every string quoted, separated by one space, BIND-style escaping.
 */

import { decodeEscapes, quoteBytes, utf8 } from "../charstring.js";
import type { RdataCodec } from "../codec.js";
import { DnsInputError } from "../errors.js";
import { tokenize } from "../lexer.js";

function chunk(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length <= 255) return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out;
}

export function parseTxt(text: string): Uint8Array[] {
  if (typeof text !== "string") throw new DnsInputError("record must be a string");
  const s = text.trim();
  if (s === "") throw new DnsInputError('text record must not be empty (use "" for an empty string)');
  if (!s.startsWith('"')) return chunk(utf8(s));
  const strings: Uint8Array[] = [];
  for (const token of tokenize(s)) {
    if (!token.quoted) throw new DnsInputError("unexpected text between quoted strings");
    const bytes = decodeEscapes(token.text);
    if (bytes.length <= 255) strings.push(bytes);
    else strings.push(...chunk(bytes));
  }
  return strings;
}

function textCodec(): RdataCodec<Uint8Array[]> {
  return {
    parse: parseTxt,
    format: (v) => v.map(quoteBytes).join(" "),
    write(w, v) {
      for (const s of v) w.charString(s);
    },
    read(r) {
      if (r.remaining === 0) throw new DnsInputError("text record must contain at least one string");
      const out: Uint8Array[] = [];
      while (r.remaining > 0) out.push(r.charString());
      return out;
    },
  };
}

export const TXT = textCodec();
export const SPF = textCodec();
