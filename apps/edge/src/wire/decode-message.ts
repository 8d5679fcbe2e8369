/**
 * A defensive decoder for incoming DNS messages (RFC 1035 section 4.1). It never reads past the
 * buffer, follows compression pointers only backwards with a hop limit (RFC 1035 section 4.1.4),
 * and reports every structural problem as a DecodeError, which the server turns into FORMERR.
 */

import { TYPE } from "./constants.js";
import { writeLabelKey } from "./names.js";

export class DecodeError extends Error {}

export interface DecodedHeader {
  id: number;
  flags: number;
  qr: boolean;
  opcode: number;
  rd: boolean;
  cd: boolean;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface DecodedName {
  /** Lowercase key form, see names.ts. */
  key: string;
  /** Uncompressed wire form exactly as received (original letter case). */
  wire: Uint8Array;
}

export interface DecodedQuestion {
  name: DecodedName;
  qtype: number;
  qclass: number;
}

export interface DecodedRR {
  name: DecodedName;
  type: number;
  klass: number;
  ttl: number;
  /** Offset of the first octet of the RR (its owner name) in the message. */
  start: number;
  rdataOffset: number;
  rdlength: number;
}

export interface DecodedEdns {
  udpSize: number;
  extendedRcode: number;
  version: number;
  dnssecOk: boolean;
}

export interface DecodedTsig {
  /** Offset of the TSIG RR; the signed data is the message up to here (RFC 8945 section 4.3.1). */
  start: number;
  keyName: DecodedName;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Uint8Array;
  originalId: number;
  error: number;
  otherData: Uint8Array;
}

export interface DecodedMessage {
  header: DecodedHeader;
  questions: DecodedQuestion[];
  answers: DecodedRR[];
  authority: DecodedRR[];
  additional: DecodedRR[];
  edns?: DecodedEdns;
  tsig?: DecodedTsig;
  raw: Uint8Array;
}

const MAX_POINTER_HOPS = 64;

export function decodeHeader(buf: Uint8Array): DecodedHeader | undefined {
  if (buf.length < 12) return undefined;
  const u16 = (o: number) => ((buf[o] as number) << 8) | (buf[o + 1] as number);
  const flags = u16(2);
  return {
    id: u16(0),
    flags,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rd: (flags & 0x0100) !== 0,
    cd: (flags & 0x0010) !== 0,
    qdcount: u16(4),
    ancount: u16(6),
    nscount: u16(8),
    arcount: u16(10),
  };
}

export class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }
  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DecodeError("message truncated");
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }
  u16(): number {
    this.need(2);
    const v = ((this.buf[this.pos] as number) << 8) | (this.buf[this.pos + 1] as number);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (
      ((b[p] as number) * 0x1000000 +
        (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number))) >>>
      0
    );
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /**
   * A possibly compressed name (RFC 1035 section 4.1.4). The key is written into a scratch buffer
   * and turned into one string at the end, and an uncompressed name's wire form is a view of the
   * message rather than a copy: a query's name costs two small allocations, not one per octet.
   */
  name(): DecodedName {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let jumped = false;
    let hops = 0;
    let wireLen = 0;
    let k = 0;
    for (;;) {
      if (pos >= buf.length) throw new DecodeError("name runs past the end of the message");
      const len = buf[pos] as number;
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        if (jumped) NAME_WIRE[wireLen] = 0;
        wireLen++;
        break;
      }
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (pos + 1 >= buf.length) throw new DecodeError("truncated compression pointer");
        const target = ((len & 0x3f) << 8) | (buf[pos + 1] as number);
        // Pointers must point to an earlier position: this rules out loops (with the hop limit).
        if (target >= pos) throw new DecodeError("forward compression pointer");
        if (++hops > MAX_POINTER_HOPS) throw new DecodeError("too many compression pointers");
        if (!jumped) {
          this.pos = pos + 2;
          NAME_WIRE.set(buf.subarray(start, pos), 0); // the labels read so far
          jumped = true;
        }
        pos = target;
        continue;
      }
      if (kind !== 0) throw new DecodeError("unsupported label type");
      if (pos + 1 + len > buf.length) throw new DecodeError("label runs past the end of the message");
      if (wireLen + 1 + len + 1 > 255) throw new DecodeError("name longer than 255 octets");
      if (jumped) NAME_WIRE.set(buf.subarray(pos, pos + 1 + len), wireLen);
      wireLen += 1 + len;
      k = writeLabelKey(buf, pos + 1, len, NAME_KEY, k);
      NAME_KEY[k++] = 0x2e;
      pos += 1 + len;
    }
    return {
      key: k === 0 ? "." : NAME_KEY.toString("latin1", 0, k),
      wire: jumped ? NAME_WIRE.slice(0, wireLen) : buf.subarray(start, start + wireLen),
    };
  }
}

/** Scratch space for Reader.name (decoding is synchronous, so one of each is enough). */
const NAME_WIRE = new Uint8Array(256);
/** A key is at most 255 octets with every label octet escaped as \DDD: under 1024 characters. */
const NAME_KEY = Buffer.alloc(1024);

function readRR(r: Reader): DecodedRR {
  const start = r.pos;
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const rdlength = r.u16();
  const rdataOffset = r.pos;
  r.need(rdlength);
  r.pos += rdlength;
  return { name, type, klass, ttl, start, rdataOffset, rdlength };
}

function readTsig(msg: Uint8Array, rr: DecodedRR): DecodedTsig {
  const r = new Reader(msg, rr.rdataOffset);
  const end = rr.rdataOffset + rr.rdlength;
  const algorithm = r.name().key;
  const hi = r.u16();
  const lo = r.u32();
  const timeSigned = hi * 0x100000000 + lo;
  const fudge = r.u16();
  const macSize = r.u16();
  const mac = r.bytes(macSize);
  const originalId = r.u16();
  const error = r.u16();
  const otherLen = r.u16();
  const otherData = r.bytes(otherLen);
  if (r.pos !== end) throw new DecodeError("TSIG RDATA length mismatch");
  return {
    start: rr.start,
    keyName: rr.name,
    algorithm,
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    otherData,
  };
}

/** Decodes a whole message. Throws DecodeError on any structural problem. */
export function decodeMessage(buf: Uint8Array): DecodedMessage {
  const header = decodeHeader(buf);
  if (!header) throw new DecodeError("short header");
  const r = new Reader(buf, 12);
  const questions: DecodedQuestion[] = [];
  for (let i = 0; i < header.qdcount; i++) {
    const name = r.name();
    questions.push({ name, qtype: r.u16(), qclass: r.u16() });
  }
  const answers: DecodedRR[] = [];
  for (let i = 0; i < header.ancount; i++) answers.push(readRR(r));
  const authority: DecodedRR[] = [];
  for (let i = 0; i < header.nscount; i++) authority.push(readRR(r));
  const additional: DecodedRR[] = [];
  for (let i = 0; i < header.arcount; i++) additional.push(readRR(r));
  const msg: DecodedMessage = { header, questions, answers, authority, additional, raw: buf };
  for (let i = 0; i < additional.length; i++) {
    const rr = additional[i] as DecodedRR;
    if (rr.type === TYPE.OPT) {
      // RFC 6891 section 6.1.1: at most one OPT, owner must be the root.
      if (msg.edns) throw new DecodeError("more than one OPT record");
      if (rr.name.key !== ".") throw new DecodeError("OPT owner is not the root");
      msg.edns = {
        udpSize: rr.klass,
        extendedRcode: rr.ttl >>> 24,
        version: (rr.ttl >>> 16) & 0xff,
        dnssecOk: (rr.ttl & 0x8000) !== 0,
      };
    } else if (rr.type === TYPE.TSIG) {
      // RFC 8945 section 5.1: TSIG must be the last record of the additional section.
      if (i !== additional.length - 1) throw new DecodeError("TSIG is not the last record");
      msg.tsig = readTsig(buf, rr);
    }
  }
  return msg;
}

/** Serial of the SOA record of an IXFR query's authority section (RFC 1995 section 3). */
export function soaSerialOf(msg: DecodedMessage, rr: DecodedRR): number {
  const r = new Reader(msg.raw, rr.rdataOffset);
  r.name();
  r.name();
  const serial = r.u32();
  if (r.pos > rr.rdataOffset + rr.rdlength) throw new DecodeError("SOA RDATA too short");
  return serial;
}
