/**
 * CAA (RFC 8659): `flags tag "value"`.
 * - flags 0-255 printed as a number; tag 1-15 ASCII letters/digits, lower-cased (tags match
 *   case-insensitively).
 * - The value is everything after the tag. If it starts with `"` it must be exactly one quoted
 *   string (escapes \" \\ \DDD honoured); otherwise the rest of the input, trimmed, is taken
 *   literally (no escape processing), so `0 issue letsencrypt.org; validationmethods=dns-01` works.
 *   An empty value must be written `""`.
 * - Output always quotes the value with BIND-style escaping.
 */

import { decodeEscapes, quoteBytes, utf8 } from "../charstring.js";
import type { RdataCodec } from "../codec.js";
import { DnsInputError } from "../errors.js";
import { tokenize } from "../lexer.js";
import { parseUint, U8 } from "../numbers.js";

export interface Caa {
  flags: number;
  tag: string;
  value: Uint8Array;
}

const TAG = /^[A-Za-z0-9]{1,15}$/;

export const CAA: RdataCodec<Caa> = {
  parse(text) {
    const m = /^\s*(\S+)\s+([^\s"]+)(?:\s+([\s\S]*))?$/.exec(text);
    if (!m) throw new DnsInputError("expected flags, tag and value");
    const flags = parseUint(m[1] ?? "", U8, "CAA flags");
    const tag = m[2] ?? "";
    if (!TAG.test(tag)) throw new DnsInputError("CAA tag must be 1 to 15 letters or digits");
    const rest = (m[3] ?? "").trim();
    if (rest === "") throw new DnsInputError('CAA value is missing (use "" for an empty value)');
    let value: Uint8Array;
    if (rest.startsWith('"')) {
      const tokens = tokenize(rest);
      const [only] = tokens;
      if (tokens.length !== 1 || !only?.quoted) throw new DnsInputError("unexpected text after CAA value");
      value = decodeEscapes(only.text);
    } else {
      value = utf8(rest);
    }
    return { flags, tag: tag.toLowerCase(), value };
  },
  format: (v) => `${v.flags} ${v.tag} ${quoteBytes(v.value)}`,
  write(w, v) {
    w.u8(v.flags).u8(v.tag.length).bytes(utf8(v.tag)).bytes(v.value);
  },
  read(r) {
    const flags = r.u8();
    const tagBytes = r.bytes(r.u8());
    if (tagBytes.length === 0 || ![...tagBytes].every((b) => TAG.test(String.fromCharCode(b)))) {
      throw new DnsInputError("CAA tag must be 1 to 15 letters or digits");
    }
    return { flags, tag: String.fromCharCode(...tagBytes), value: r.rest() };
  },
};
