/**
 * NAPTR (RFC 3403): `order pref "flags" "service" "regexp" replacement`.
 * The three strings may be quoted or unquoted single tokens and are always printed quoted (as BIND
 * does); their bytes are preserved (flags keep their case: RDATA is compared octet by octet).
 * Flags may only contain letters and digits (RFC 3403 section 4.1). The replacement is a hostname;
 * "." (no replacement) is allowed. We do not enforce regexp/replacement exclusivity.
 */
import type { RdataCodec } from "../codec.js";
import { decodeEscapes, quoteBytes } from "../charstring.js";
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

export const NAPTR: RdataCodec<Naptr> = {
  parse(text) {
    const t = tokenize(text);
    if (t.length !== 6) throw new DnsInputError("expected order, preference, flags, service, regexp and replacement");
    const [order, pref, flags, services, regexp, replacement] = t;
    if (!order || !pref || !flags || !services || !regexp || !replacement) {
      throw new DnsInputError("expected order, preference, flags, service, regexp and replacement");
    }
    if (order.quoted || pref.quoted || replacement.quoted) throw new DnsInputError("unexpected quoted string");
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
