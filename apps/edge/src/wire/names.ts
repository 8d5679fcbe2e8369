/**
 * Domain names inside the edge are handled as "keys": the lowercase presentation form with a
 * trailing dot ("www.example.com.", the root is "."). Label bytes that are not plain printable
 * ASCII, and "." and "\" inside a label, are written as \DDD (RFC 1035 section 5.1), so a literal
 * "." in a key always separates labels. Comparison of keys is therefore the case-insensitive name
 * comparison of RFC 1035 section 2.3.3 / RFC 4343 (ASCII case folding only).
 */

/** Key for one label given as raw wire bytes. Upper-case ASCII is folded to lower case. */
export function labelToKey(buf: Uint8Array, start: number, len: number): string {
  let s = "";
  for (let i = start; i < start + len; i++) {
    let b = buf[i] as number;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b <= 0x20 || b >= 0x7f || b === 0x2e || b === 0x5c) {
      s += `\\${String(b).padStart(3, "0")}`;
    } else {
      s += String.fromCharCode(b);
    }
  }
  return s;
}

/**
 * The same as labelToKey, written as latin1 octets into `out` at `o`; returns the new end.
 * Used by the decoder so a name becomes one string instead of one per character.
 */
export function writeLabelKey(
  buf: Uint8Array,
  start: number,
  len: number,
  out: Uint8Array,
  at: number,
): number {
  let o = at;
  for (let i = start; i < start + len; i++) {
    let b = buf[i] as number;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b <= 0x20 || b >= 0x7f || b === 0x2e || b === 0x5c) {
      out[o++] = 0x5c;
      out[o++] = 0x30 + Math.floor(b / 100);
      out[o++] = 0x30 + (Math.floor(b / 10) % 10);
      out[o++] = 0x30 + (b % 10);
    } else {
      out[o++] = b;
    }
  }
  return o;
}

/** Normalises a presentation name given by a caller ("WWW.Example.com") to a key. */
export function toKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower === "" || lower === ".") return ".";
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** The parent of a key ("a.b." -> "b."), or undefined for the root. */
export function parentKey(key: string): string | undefined {
  if (key === ".") return undefined;
  const dot = key.indexOf(".");
  const rest = key.slice(dot + 1);
  return rest === "" ? "." : rest;
}

/** Number of labels, not counting the root. */
export function labelCount(key: string): number {
  if (key === ".") return 0;
  let n = 0;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 0x2e) n++;
  return n;
}

/** True when `key` equals `ancestor` or lies below it. */
export function isAtOrBelow(key: string, ancestor: string): boolean {
  if (ancestor === ".") return true;
  if (key === ancestor) return true;
  return (
    key.length > ancestor.length &&
    key.endsWith(ancestor) &&
    key.charCodeAt(key.length - ancestor.length - 1) === 0x2e
  );
}

/** Bytes of one label written in key form (undoing \DDD escapes). */
export function keyLabelBytes(label: string): Uint8Array {
  if (!label.includes("\\")) {
    const out = new Uint8Array(label.length);
    for (let i = 0; i < label.length; i++) out[i] = label.charCodeAt(i);
    return out;
  }
  const bytes: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x5c && /^\d{3}$/.test(label.slice(i + 1, i + 4))) {
      bytes.push(Number(label.slice(i + 1, i + 4)));
      i += 3;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/** Uncompressed wire form of a key (RFC 1035 section 3.1). */
export function keyToWire(key: string): Uint8Array {
  if (key === ".") return Uint8Array.of(0);
  const parts = key.slice(0, -1).split(".").map(keyLabelBytes);
  let len = 1;
  for (const p of parts) len += p.length + 1;
  const out = new Uint8Array(len);
  let pos = 0;
  for (const p of parts) {
    out[pos++] = p.length;
    out.set(p, pos);
    pos += p.length;
  }
  out[pos] = 0;
  return out;
}

/** Reads an uncompressed name from RDATA that this process encoded itself; returns its key. */
export function wireNameToKeyAt(buf: Uint8Array, offset: number): { key: string; end: number } {
  let pos = offset;
  let key = "";
  for (;;) {
    const len = buf[pos];
    if (len === undefined) throw new Error("name runs past the end of RDATA");
    if (len === 0) {
      pos += 1;
      break;
    }
    if (len > 63) throw new Error("compressed or extended label in RDATA");
    key += `${labelToKey(buf, pos + 1, len)}.`;
    pos += 1 + len;
  }
  return { key: key === "" ? "." : key, end: pos };
}
