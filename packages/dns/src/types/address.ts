/** A (RFC 1035) and AAAA (RFC 3596). */
import type { RdataCodec } from "../codec.js";
import { DnsInputError } from "../errors.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "../ip.js";
import { exactFields } from "../lexer.js";

export const A: RdataCodec<Uint8Array> = {
  parse(text) {
    const [addr = ""] = exactFields(text, 1, "an IPv4 address");
    const bytes = parseIPv4(addr);
    if (!bytes) {
      if (/^[0-9]+(\.[0-9]+){3}$/.test(addr) && /(^|\.)0[0-9]/.test(addr)) {
        throw new DnsInputError("IPv4 address must not have leading zeros");
      }
      throw new DnsInputError("invalid IPv4 address");
    }
    return bytes;
  },
  format: formatIPv4,
  write(w, v) {
    w.bytes(v);
  },
  read(r) {
    return r.bytes(4);
  },
};

export const AAAA: RdataCodec<Uint8Array> = {
  parse(text) {
    const [addr = ""] = exactFields(text, 1, "an IPv6 address");
    const bytes = parseIPv6(addr);
    if (!bytes) throw new DnsInputError("invalid IPv6 address");
    return bytes;
  },
  format: formatIPv6,
  write(w, v) {
    w.bytes(v);
  },
  read(r) {
    return r.bytes(16);
  },
};
