/**
 * Builds DNS messages (RFC 1035 section 4.1) with owner-name compression (RFC 1035 section 4.1.4).
 * Owner names (and the question name) are compressed against every name suffix written before;
 * RDATA is copied as pre-encoded uncompressed wire data, which is always valid (RFC 3597 section 4
 * even forbids compressing RDATA names of newer types).
 *
 * Records are added all-or-nothing against a size limit: when one does not fit, the message is
 * rolled back to its previous state, so callers can implement truncation per RFC 2181 section 9.
 */
import { CLASS_IN, TYPE } from "./constants.js";
import { keyLabelBytes } from "./names.js";

/** One resource record ready to be written: owner as a key, RDATA already in wire form. */
export interface WireRR {
  owner: string;
  type: number;
  klass?: number;
  ttl: number;
  rdata: Uint8Array;
}

/**
 * A whole rrset in the zone's packed form (zones/loaded-zone.ts): `count` records starting at
 * `start` in `data`, each a 16-bit RDLENGTH followed by its RDATA. Written without a per-record
 * object.
 */
export interface PackedRRset {
  owner: string;
  type: number;
  ttl: number;
  data: Buffer;
  start: number;
  count: number;
}

export type Section = "answer" | "authority" | "additional";
const COUNT_OFFSET: Record<Section, number> = { answer: 6, authority: 8, additional: 10 };

export interface HeaderFields {
  id: number;
  opcode: number;
  aa?: boolean;
  tc?: boolean;
  rd?: boolean;
  cd?: boolean;
  rcode: number;
  qr?: boolean;
}

export function headerFlags(h: HeaderFields): number {
  return (
    ((h.qr ?? true) ? 0x8000 : 0) |
    ((h.opcode & 0xf) << 11) |
    (h.aa ? 0x0400 : 0) |
    (h.tc ? 0x0200 : 0) |
    (h.rd ? 0x0100 : 0) |
    (h.cd ? 0x0010 : 0) |
    (h.rcode & 0xf)
  );
}

export class MessageBuilder {
  private buf: Buffer;
  private len = 12;
  private readonly compression = new Map<string, number>();

  /** @param limit maximum message size in octets (at most 65535). */
  constructor(
    private limit: number,
    header: HeaderFields,
  ) {
    // Not zero-filled (a pooled slice for UDP sizes): only the header needs zeros, for the counts.
    this.buf = Buffer.allocUnsafe(Math.min(limit, 4096));
    this.buf.fill(0, 0, 12);
    this.buf.writeUInt16BE(header.id & 0xffff, 0);
    this.buf.writeUInt16BE(headerFlags(header), 2);
  }

  get length(): number {
    return this.len;
  }

  setLimit(limit: number): void {
    this.limit = limit;
  }

  setFlags(header: HeaderFields): void {
    this.buf.writeUInt16BE(headerFlags(header), 2);
  }

  count(section: Section | "question"): number {
    return this.buf.readUInt16BE(section === "question" ? 4 : COUNT_OFFSET[section]);
  }

  private ensure(n: number): boolean {
    if (this.len + n > this.limit) return false;
    if (this.len + n > this.buf.length) {
      const next = Buffer.alloc(Math.min(Math.max(this.buf.length * 2, this.len + n), 65535));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    return true;
  }

  /** Saves the state so that a failed addition can be undone. */
  private mark(): { len: number; added: string[] } {
    return { len: this.len, added: [] };
  }

  private rollback(m: { len: number; added: string[] }): void {
    this.len = m.len;
    for (const k of m.added) this.compression.delete(k);
  }

  /** Writes a name given as a key, compressing against earlier names. */
  private writeName(key: string, m: { added: string[] }): boolean {
    let pos = 0;
    while (key !== "." && pos < key.length) {
      const suffix = pos === 0 ? key : key.slice(pos);
      const ptr = this.compression.get(suffix);
      if (ptr !== undefined) {
        if (!this.ensure(2)) return false;
        this.buf.writeUInt16BE(0xc000 | ptr, this.len);
        this.len += 2;
        return true;
      }
      const dot = key.indexOf(".", pos);
      // A label without \DDD escapes is its own octets: write them without an intermediate array.
      const escaped = key.lastIndexOf("\\", dot) >= pos;
      const label = escaped ? keyLabelBytes(key.slice(pos, dot)) : undefined;
      const labelLen = label ? label.length : dot - pos;
      if (!this.ensure(1 + labelLen)) return false;
      if (this.len < 0x4000) {
        this.compression.set(suffix, this.len);
        m.added.push(suffix);
      }
      this.buf[this.len++] = labelLen;
      if (label) this.buf.set(label, this.len);
      else for (let i = 0; i < labelLen; i++) this.buf[this.len + i] = key.charCodeAt(pos + i);
      this.len += labelLen;
      pos = dot + 1;
    }
    if (!this.ensure(1)) return false;
    this.buf[this.len++] = 0;
    return true;
  }

  /**
   * Adds the question. `wire` is the name exactly as the client sent it (case preserved, RFC 4343
   * section 4.1), `key` its lowercase key; its suffixes become compression targets, so answer
   * owners equal to the question name point at the client's spelling.
   */
  addQuestion(wire: Uint8Array, key: string, qtype: number, qclass: number): boolean {
    const m = this.mark();
    if (!this.ensure(wire.length + 4)) return false;
    let p = 0;
    let suffix = key;
    while (p < wire.length && wire[p] !== 0 && this.len + p < 0x4000) {
      if (!this.compression.has(suffix)) {
        this.compression.set(suffix, this.len + p);
        m.added.push(suffix);
      }
      p += 1 + (wire[p] as number);
      const dot = suffix.indexOf(".");
      suffix = suffix.slice(dot + 1);
      if (suffix === "") break;
    }
    this.buf.set(wire, this.len);
    this.len += wire.length;
    this.buf.writeUInt16BE(qtype, this.len);
    this.buf.writeUInt16BE(qclass, this.len + 2);
    this.len += 4;
    this.bump(4);
    return true;
  }

  private bump(offset: number): void {
    this.buf.writeUInt16BE(this.buf.readUInt16BE(offset) + 1, offset);
  }

  private writeRR(rr: WireRR, m: { added: string[] }): boolean {
    if (!this.writeName(rr.owner, m)) return false;
    if (!this.ensure(10 + rr.rdata.length)) return false;
    this.buf.writeUInt16BE(rr.type, this.len);
    this.buf.writeUInt16BE(rr.klass ?? CLASS_IN, this.len + 2);
    this.buf.writeUInt32BE(rr.ttl >>> 0, this.len + 4);
    this.buf.writeUInt16BE(rr.rdata.length, this.len + 8);
    this.len += 10;
    this.buf.set(rr.rdata, this.len);
    this.len += rr.rdata.length;
    return true;
  }

  private writePacked(set: PackedRRset, p: number, m: { added: string[] }): number {
    if (!this.writeName(set.owner, m)) return -1;
    const len = set.data.readUInt16BE(p);
    if (!this.ensure(10 + len)) return -1;
    this.buf.writeUInt16BE(set.type, this.len);
    this.buf.writeUInt16BE(CLASS_IN, this.len + 2);
    this.buf.writeUInt32BE(set.ttl >>> 0, this.len + 4);
    this.buf.writeUInt16BE(len, this.len + 8);
    this.len += 10;
    set.data.copy(this.buf, this.len, p + 2, p + 2 + len);
    this.len += len;
    return p + 2 + len;
  }

  /** Adds a whole RRset or nothing (RFC 2181 section 9: never a partial RRset). */
  addRRset(section: Section, rrs: readonly WireRR[] | PackedRRset): boolean {
    const m = this.mark();
    const before = this.count(section);
    if (!Array.isArray(rrs)) {
      const set = rrs as PackedRRset;
      let p = set.start;
      for (let i = 0; i < set.count; i++) {
        p = this.writePacked(set, p, m);
        if (p < 0) {
          this.rollback(m);
          this.buf.writeUInt16BE(before, COUNT_OFFSET[section]);
          return false;
        }
        this.bump(COUNT_OFFSET[section]);
      }
      return true;
    }
    for (const rr of rrs as readonly WireRR[]) {
      if (!this.writeRR(rr, m)) {
        this.rollback(m);
        this.buf.writeUInt16BE(before, COUNT_OFFSET[section]);
        return false;
      }
      this.bump(COUNT_OFFSET[section]);
    }
    return true;
  }

  /** The OPT pseudo-RR (RFC 6891 section 6.1.2); `options` is its RDATA (option TLVs). */
  addOpt(
    udpSize: number,
    extendedRcode: number,
    dnssecOk: boolean,
    options: Uint8Array = new Uint8Array(0),
  ): boolean {
    const ttl = ((extendedRcode & 0xff) << 24) | (dnssecOk ? 0x8000 : 0);
    return this.addRRset("additional", [
      { owner: ".", type: TYPE.OPT, klass: udpSize, ttl: ttl >>> 0, rdata: options },
    ]);
  }

  /** Drops everything after the question section (used when a response is truncated). */
  truncateToQuestion(questionEnd: number): void {
    this.len = questionEnd;
    for (const [k, v] of this.compression) if (v >= questionEnd) this.compression.delete(k);
    this.buf.writeUInt16BE(0, 6);
    this.buf.writeUInt16BE(0, 8);
    this.buf.writeUInt16BE(0, 10);
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}
