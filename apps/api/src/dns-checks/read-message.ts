/**
 * A strict reader for DNS response messages (RFC 1035 section 4.1) that keeps every record's RDATA
 * as bytes, so answers can be canonicalised by @dnscove/dns exactly as our own records are.
 *
 * dns-packet (used to encode our queries) decodes RDATA into per-type objects, and turning those
 * back into wire form is lossy for some types; here RDATA stays as received, except that
 * compressed names inside it are expanded (RFC 3597 section 4: a receiver must decompress the
 * RDATA of the RFC 1035 types and of SRV/NAPTR and friends), because rdataFromWire rejects
 * compression pointers.
 */

export class MalformedMessageError extends Error {
  override name = "MalformedMessageError";
}

export interface WireQuestion {
  /** Lowercase presentation form, trailing dot ("." for the root). */
  name: string;
  type: number;
  class: number;
}

export interface WireRecord {
  /** Lowercase presentation form, trailing dot. */
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA with every embedded name uncompressed. */
  rdata: Uint8Array;
}

export interface WireMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** Full rcode: the header's 4 bits plus the OPT record's extended bits (RFC 6891 section 6.1.3). */
  rcode: number;
  /** Whether the response carried an OPT pseudo-record (the server speaks EDNS). */
  edns: boolean;
  questions: WireQuestion[];
  answers: WireRecord[];
  authorities: WireRecord[];
  /** Additional section without the OPT pseudo-record. */
  additionals: WireRecord[];
}

export const TYPE_OPT = 41;

const RCODE_NAMES: Record<number, string> = {
  0: "NOERROR",
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
  6: "YXDOMAIN",
  7: "YXRRSET",
  8: "NXRRSET",
  9: "NOTAUTH",
  10: "NOTZONE",
  16: "BADVERS",
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

/** A name read from the message: presentation text plus its uncompressed wire form. */
interface ReadName {
  text: string;
  wire: Uint8Array;
  /** Offset just after the name at the place it was read (not after a followed pointer). */
  end: number;
}

const MAX_NAME_OCTETS = 255;

/** Octets escaped with a backslash in presentation form: . \\ " ( ) ; @ $ */
const SPECIAL = new Set([0x2e, 0x5c, 0x22, 0x28, 0x29, 0x3b, 0x40, 0x24]);

/** One label in presentation form (RFC 4343 section 2.1 escapes), lowercased. */
function labelText(bytes: Uint8Array): string {
  let out = "";
  for (const raw of bytes) {
    const b = raw >= 0x41 && raw <= 0x5a ? raw + 0x20 : raw;
    if (SPECIAL.has(b)) {
      out += `\\${String.fromCharCode(b)}`;
    } else if (b <= 0x20 || b >= 0x7f) {
      out += `\\${String(b).padStart(3, "0")}`;
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}

/**
 * Reads a possibly compressed name (RFC 1035 section 4.1.4). Pointers must point strictly
 * backwards, which also rules out loops.
 */
function readName(buf: Uint8Array, start: number): ReadName {
  const labels: Uint8Array[] = [];
  let octets = 1;
  let pos = start;
  let end = -1;
  let lowestJump = start;
  for (;;) {
    if (pos >= buf.length) throw new MalformedMessageError("name runs past the end of the message");
    const len = buf[pos] as number;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new MalformedMessageError("truncated compression pointer");
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] as number);
      if (end < 0) end = pos + 2;
      if (target >= lowestJump)
        throw new MalformedMessageError("compression pointer does not point backwards");
      lowestJump = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new MalformedMessageError("unknown label type");
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    if (pos + 1 + len > buf.length) throw new MalformedMessageError("label runs past the end of the message");
    octets += len + 1;
    if (octets > MAX_NAME_OCTETS) throw new MalformedMessageError("name longer than 255 octets");
    labels.push(buf.subarray(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  const wire = new Uint8Array(octets);
  let w = 0;
  for (const label of labels) {
    wire[w++] = label.length;
    wire.set(label, w);
    w += label.length;
  }
  wire[w] = 0;
  const text = labels.length === 0 ? "." : `${labels.map(labelText).join(".")}.`;
  return { text, wire, end };
}

function u16(buf: Uint8Array, at: number): number {
  if (at + 2 > buf.length) throw new MalformedMessageError("message ends inside a 16-bit field");
  return ((buf[at] as number) << 8) | (buf[at + 1] as number);
}

function u32(buf: Uint8Array, at: number): number {
  return u16(buf, at) * 0x10000 + u16(buf, at + 2);
}

/**
 * RDATA layouts that may carry compressed names: a sequence of fixed-size fields, character
 * strings and names. Types not listed are copied verbatim (RFC 3597 section 4 forbids compression
 * in any newer type).
 */
type Part = { fixed: number } | "name" | "charString";
const COMPRESSIBLE: Record<number, Part[]> = {
  2: ["name"], // NS
  5: ["name"], // CNAME
  6: ["name", "name", { fixed: 20 }], // SOA
  12: ["name"], // PTR
  15: [{ fixed: 2 }, "name"], // MX
  33: [{ fixed: 6 }, "name"], // SRV (RFC 2782 forbids compression, RFC 3597 asks receivers to cope)
  35: [{ fixed: 4 }, "charString", "charString", "charString", "name"], // NAPTR
};

function expandRdata(buf: Uint8Array, type: number, start: number, length: number): Uint8Array {
  const stop = start + length;
  const layout = COMPRESSIBLE[type];
  if (!layout) return buf.slice(start, stop);
  const parts: Uint8Array[] = [];
  let pos = start;
  for (const part of layout) {
    if (part === "name") {
      const name = readName(buf, pos);
      if (name.end > stop) throw new MalformedMessageError("name runs past the end of RDATA");
      parts.push(name.wire);
      pos = name.end;
    } else if (part === "charString") {
      if (pos >= stop) throw new MalformedMessageError("character string runs past the end of RDATA");
      const len = 1 + (buf[pos] as number);
      if (pos + len > stop) throw new MalformedMessageError("character string runs past the end of RDATA");
      parts.push(buf.subarray(pos, pos + len));
      pos += len;
    } else {
      if (pos + part.fixed > stop) throw new MalformedMessageError("RDATA shorter than its type requires");
      parts.push(buf.subarray(pos, pos + part.fixed));
      pos += part.fixed;
    }
  }
  if (pos !== stop) throw new MalformedMessageError("RDATA longer than its type allows");
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let w = 0;
  for (const p of parts) {
    out.set(p, w);
    w += p.length;
  }
  return out;
}

interface Cursor {
  pos: number;
}

function readRecord(buf: Uint8Array, cursor: Cursor): WireRecord {
  const owner = readName(buf, cursor.pos);
  let pos = owner.end;
  const type = u16(buf, pos);
  const klass = u16(buf, pos + 2);
  const ttl = u32(buf, pos + 4);
  const rdlength = u16(buf, pos + 8);
  pos += 10;
  if (pos + rdlength > buf.length) throw new MalformedMessageError("RDATA runs past the end of the message");
  const rdata = expandRdata(buf, type, pos, rdlength);
  cursor.pos = pos + rdlength;
  // RFC 2181 section 8: a TTL with the top bit set is treated as zero (OPT's "TTL" holds flags instead).
  const clamped = type !== TYPE_OPT && ttl > 0x7fffffff ? 0 : ttl;
  return { name: owner.text, type, class: klass, ttl: clamped, rdata };
}

/** Parses a whole response; throws MalformedMessageError on anything that does not add up. */
export function readMessage(buf: Uint8Array): WireMessage {
  if (buf.length < 12) throw new MalformedMessageError("message shorter than its 12-octet header");
  const flags = u16(buf, 2);
  const counts = [u16(buf, 4), u16(buf, 6), u16(buf, 8), u16(buf, 10)] as const;
  const cursor: Cursor = { pos: 12 };
  const questions: WireQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = readName(buf, cursor.pos);
    questions.push({ name: name.text, type: u16(buf, name.end), class: u16(buf, name.end + 2) });
    cursor.pos = name.end + 4;
  }
  const section = (count: number) => Array.from({ length: count }, () => readRecord(buf, cursor));
  const answers = section(counts[1]);
  const authorities = section(counts[2]);
  const additionalsWithOpt = section(counts[3]);
  // Trailing garbage is tolerated (some middleboxes pad), a short message is not.
  const opt = additionalsWithOpt.filter((r) => r.type === TYPE_OPT);
  if (opt.length > 1) throw new MalformedMessageError("more than one OPT record");
  // OPT: the "TTL" holds EXTENDED-RCODE in its top 8 bits (RFC 6891 section 6.1.3).
  const extended = opt[0] ? Math.floor(opt[0].ttl / 0x1000000) & 0xff : 0;
  return {
    id: u16(buf, 0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: (extended << 4) | (flags & 0xf),
    edns: opt.length === 1,
    questions,
    answers,
    authorities,
    additionals: additionalsWithOpt.filter((r) => r.type !== TYPE_OPT),
  };
}
