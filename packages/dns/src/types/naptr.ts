/**
 * NAPTR (RFC 3403): `order pref "flags" "service" "regexp" replacement`.
 * The three strings may be quoted or unquoted single tokens and are always printed quoted (as BIND
 * does); their bytes are preserved (flags keep their case: RDATA is compared octet by octet).
 * Flags may only contain letters and digits (RFC 3403 section 4.1). The replacement is a hostname;
 * "." (no replacement) is allowed. We do not enforce regexp/replacement exclusivity.
 * A non-empty regexp must be a substitution expression (RFC 3402 section 3.2): the same delimiter
 * three times, only "i" after the last one, no NUL, no `\0` and no back-reference beyond the number
 * of groups. BIND rejects records that break these rules (which would fail a whole zone transfer),
 * so we do too. The ERE itself is only checked for balanced parentheses.
 */

import { decodeEscapes, quoteBytes } from "../charstring.js";
import type { RdataCodec } from "../codec.js";
import { DnsInputError } from "../errors.js";
import { tokenize } from "../lexer.js";
import { canonicalTargetName } from "../names.js";
import { parseUint, U16 } from "../numbers.js";

export interface Naptr {
  order: number;
  preference: number;
  flags: Uint8Array;
  services: Uint8Array;
  regexp: Uint8Array;
  replacement: string;
}

function charString(text: string, field: string): Uint8Array {
  const bytes = decodeEscapes(text);
  if (bytes.length > 255) throw new DnsInputError(`NAPTR ${field} longer than 255 octets`);
  return bytes;
}

const BAD_DELIMS = new Set([0x00, 0x5c, 0x69, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);

function checkRegexp(re: Uint8Array): void {
  if (re.length === 0) return;
  const bad = (why: string): never => {
    throw new DnsInputError(`NAPTR regexp ${why}; expected the form !pattern!replacement! (RFC 3402)`);
  };
  const delim = re[0] ?? 0;
  if (BAD_DELIMS.has(delim)) bad("has an invalid delimiter");
  let part = 0; // 0 = ERE, 1 = replacement, 2 = flags
  let depth = 0;
  let groups = 0;
  let maxRef = 0;
  let inBracket = false;
  for (let i = 1; i < re.length; i++) {
    const c = re[i] ?? 0;
    if (c === 0) bad("contains a NUL octet");
    if (c === delim) {
      part++;
      if (part > 2) bad("has too many delimiters");
      continue;
    }
    if (part === 2) {
      if (c !== 0x69) bad('allows only the flag "i"');
      continue;
    }
    if (c === 0x5c) {
      const next = re[i + 1];
      if (next === undefined || next === 0) bad("ends with a lone backslash");
      i++;
      if (part === 1 && next !== undefined && next >= 0x30 && next <= 0x39) {
        if (next === 0x30) bad("uses the back-reference \\0");
        maxRef = Math.max(maxRef, next - 0x30);
      }
      continue;
    }
    if (part !== 0) continue;
    if (inBracket) {
      if (c === 0x5d) inBracket = false;
    } else if (c === 0x5b) {
      inBracket = true;
      if (re[i + 1] === 0x5d) i++; // "[]...]": a leading "]" is literal
    } else if (c === 0x28) {
      depth++;
      groups++;
    } else if (c === 0x29) {
      if (depth === 0) bad("has unbalanced parentheses");
      depth--;
    }
  }
  if (part !== 2) bad("needs three delimiters");
  if (depth !== 0) bad("has unbalanced parentheses");
  if (maxRef > groups) bad("refers to a group that does not exist");
}

export const NAPTR: RdataCodec<Naptr> = {
  parse(text) {
    const t = tokenize(text);
    if (t.length !== 6)
      throw new DnsInputError("expected order, preference, flags, service, regexp and replacement");
    const [order, pref, flags, services, regexp, replacement] = t;
    if (!order || !pref || !flags || !services || !regexp || !replacement) {
      throw new DnsInputError("expected order, preference, flags, service, regexp and replacement");
    }
    if (order.quoted || pref.quoted || replacement.quoted)
      throw new DnsInputError("unexpected quoted string");
    const v: Naptr = {
      order: parseUint(order.text, U16, "NAPTR order"),
      preference: parseUint(pref.text, U16, "NAPTR preference"),
      flags: charString(flags.text, "flags"),
      services: charString(services.text, "service"),
      regexp: charString(regexp.text, "regexp"),
      replacement: canonicalTargetName(replacement.text),
    };
    if (!/^[A-Za-z0-9]*$/.test(String.fromCharCode(...v.flags))) {
      throw new DnsInputError("NAPTR flags may only contain letters and digits");
    }
    checkRegexp(v.regexp);
    return v;
  },
  format: (v) =>
    `${v.order} ${v.preference} ${quoteBytes(v.flags)} ${quoteBytes(v.services)} ${quoteBytes(v.regexp)} ${v.replacement}`,
  write(w, v) {
    w.u16(v.order).u16(v.preference).charString(v.flags).charString(v.services).charString(v.regexp);
    w.name(v.replacement);
  },
  read(r) {
    return {
      order: r.u16(),
      preference: r.u16(),
      flags: r.charString(),
      services: r.charString(),
      regexp: r.charString(),
      replacement: r.name(),
    };
  },
};
