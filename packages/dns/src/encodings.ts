/** Hex and base64 text <-> octets. */
import { DnsInputError } from "./errors.js";

/** Hex digits, any case, whitespace already removed. */
export function parseHex(text: string, field: string): Uint8Array {
  if (text === "") throw new DnsInputError(`${field} must not be empty`);
  if (!/^[0-9a-fA-F]+$/.test(text)) throw new DnsInputError(`${field} must be hexadecimal`);
  if (text.length % 2 !== 0) throw new DnsInputError(`${field} has an odd number of hex digits`);
  return Uint8Array.from(Buffer.from(text, "hex"));
}

/** Upper-case hex, as BIND prints DS, SSHFP and TLSA data. */
export function formatHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

/** Strict standard base64 (RFC 4648 section 4) with padding. */
export function parseBase64(text: string, field: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new DnsInputError(`${field} must be base64`);
  }
  const bytes = Uint8Array.from(Buffer.from(text, "base64"));
  // Rejects non-zero padding bits, so every byte string has exactly one accepted spelling.
  if (formatBase64(bytes) !== text) throw new DnsInputError(`${field} must be base64`);
  return bytes;
}

export function formatBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
