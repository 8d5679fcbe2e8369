/**
 * IP address parsing and formatting.
 *
 * IPv4: strict dotted quad; leading zeros are rejected ("127.000.0.01") because some parsers read
 * them as octal. IPv6: any RFC 4291 text form (including embedded dotted quad) without zone index;
 * output follows RFC 5952 (lowercase, no leading zeros, longest run of two or more zero groups
 * compressed, first run on a tie) with the same embedded-IPv4 rule as BIND/glibc `inet_ntop`, so
 * `dig` output compares equal: "::ffff:1.2.3.4" (mapped) and "::1.2.3.4" (compatible) print dotted.
 */
import { isIPv4, isIPv6 } from "node:net";

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? "";
    if (!OCTET.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[i] = v;
  }
  return isIPv4(text) ? out : null;
}

export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(part: string, allowV4Tail: boolean): number[] | null {
  if (part === "") return [];
  const items = part.split(":");
  const groups: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? "";
    if (allowV4Tail && i === items.length - 1 && item.includes(".")) {
      const v4 = parseIPv4(item);
      if (!v4) return null;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!HEX_GROUP.test(item)) return null;
    groups.push(Number.parseInt(item, 16));
  }
  return groups;
}

export function parseIPv6(text: string): Uint8Array | null {
  if (!isIPv6(text) || text.includes("%")) return null;
  const halves = text.split("::");
  let groups: number[];
  if (halves.length === 1) {
    const all = parseGroups(text, true);
    if (all?.length !== 8) return null;
    groups = all;
  } else if (halves.length === 2) {
    const left = parseGroups(halves[0] ?? "", false);
    const right = parseGroups(halves[1] ?? "", true);
    if (!left || !right || left.length + right.length > 7) return null;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    return null;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export function formatIPv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  // Longest run of zero words (first one wins a tie); runs of one are not compressed.
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (curBase === -1) curBase = i;
    } else if (curBase !== -1) {
      const len = i - curBase;
      if (len > bestLen) {
        bestBase = curBase;
        bestLen = len;
      }
      curBase = -1;
    }
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += formatIPv4(bytes.subarray(12, 16));
      return out;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}
