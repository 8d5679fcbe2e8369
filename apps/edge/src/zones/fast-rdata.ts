/**
 * Fast paths for encoding the commonest canonical records of a snapshot (cold load of 1,000,000
 * records ≤ 5 s, issue 14): A as a plain dotted quad, and TXT as quoted strings of printable ASCII
 * without escapes. Anything else, or anything unusual in these, returns undefined and the caller
 * uses @dnscove/dns's rdataToWire, so the result is always exactly what rdataToWire gives
 * (test/fast-rdata.test.ts compares the two).
 */

/** A record "192.0.2.1" (RFC 1035 section 3.4.1), no leading zeros; else undefined. */
export function fastA(record: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= record.length; i++) {
    const c = i === record.length ? 0x2e : record.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return undefined; // leading zero
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return undefined;
    } else return undefined;
  }
  return part === 4 ? out : undefined;
}

/**
 * TXT record '"one" "two"' (RFC 1035 section 3.3.14): each <character-string> quoted, separated by
 * one space, printable ASCII other than '"' and '\' only, at most 255 octets each; else undefined.
 */
export function fastTxt(record: string): Uint8Array | undefined {
  const n = record.length;
  const out = new Uint8Array(n); // never longer than the text: two quotes become one length octet
  let o = 0;
  let i = 0;
  while (i < n) {
    if (i > 0) {
      if (record.charCodeAt(i) !== 0x20) return undefined;
      i++;
    }
    if (record.charCodeAt(i) !== 0x22) return undefined;
    i++;
    const lenAt = o++;
    const start = i;
    for (;;) {
      if (i >= n) return undefined;
      const c = record.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20 || c >= 0x7f || c === 0x5c) return undefined;
      out[o++] = c;
      i++;
    }
    const len = i - start;
    if (len > 255) return undefined;
    out[lenAt] = len;
    i++; // closing quote
  }
  return o === 0 ? undefined : out.slice(0, o);
}
