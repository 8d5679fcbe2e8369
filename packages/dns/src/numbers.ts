import { DnsInputError } from "./errors.js";

/**
 * Unsigned decimal integer field. Leading zeros are accepted and dropped ("010" -> 10), as BIND does;
 * signs, hex, exponents, fractions and TTL-style units are rejected.
 */
export function parseUint(text: string, max: number, field: string): number {
  if (!/^[0-9]+$/.test(text)) throw new DnsInputError(`${field} must be an integer between 0 and ${max}`);
  const digits = text.replace(/^0+(?=.)/, "");
  const value = digits.length > 10 ? Number.POSITIVE_INFINITY : Number(digits);
  if (value > max) throw new DnsInputError(`${field} must be an integer between 0 and ${max}`);
  return value;
}

export const U8 = 0xff;
export const U16 = 0xffff;
export const U32 = 0xffffffff;
