/**
 * Wire-format building blocks. Domain names are written uncompressed and lowercase (RFC 3597
 * section 4 forbids compression for new types; we never compress in RDATA at all).
 */
import { DnsInputError } from "./errors.js";
import { canonicalAnyName } from "./names.js";

export const MAX_RDATA_OCTETS = 0xffff;

export class WireWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** A <character-string>: length octet then up to 255 octets. */
  charString(b: Uint8Array): this {
    if (b.length > 255) throw new DnsInputError("character string longer than 255 octets");
    return this.u8(b.length).bytes(b);
  }

  /** An absolute name already in canonical presentation form (lowercase, trailing dot). */
  name(fqdn: string): this {
    return this.bytes(nameToWire(fqdn));
  }

  get length(): number {
    return this.len;
  }

  /** Empties the writer and keeps its buffer, so one writer serves many records without new allocations. */
  reset(): this {
    this.len = 0;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsInputError("RDATA is truncated");
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] ?? 0;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    return ((this.u16() << 16) >>> 0) + this.u16();
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  charString(): Uint8Array {
    return this.bytes(this.u8());
  }

  /** An uncompressed name; returns lowercase presentation with trailing dot. */
  name(): string {
    const labels: string[] = [];
    let total = 1;
    for (;;) {
      const len = this.u8();
      if (len === 0) break;
      if (len > 63) throw new DnsInputError("compressed or invalid label in RDATA name");
      total += len + 1;
      if (total > 255) throw new DnsInputError("name longer than 255 octets");
      const label = this.bytes(len);
      for (const b of label) {
        const ok =
          (b >= 0x30 && b <= 0x39) ||
          (b >= 0x41 && b <= 0x5a) ||
          (b >= 0x61 && b <= 0x7a) ||
          b === 0x2d ||
          b === 0x5f ||
          b === 0x2a;
        if (!ok) throw new DnsInputError("unsupported character in RDATA name");
      }
      labels.push(String.fromCharCode(...label).toLowerCase());
    }
    return labels.length === 0 ? "." : `${labels.join(".")}.`;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  expectEnd(): void {
    if (this.remaining !== 0) throw new DnsInputError("unexpected trailing octets in RDATA");
  }
}

/**
 * Uncompressed wire form of an absolute name (trailing dot optional; "." is the root). Accepts owner
 * names (wildcard leftmost label, underscores) and targets; output labels are lowercase A-labels.
 */
export function nameToWire(fqdn: string): Uint8Array {
  const name = canonicalAnyName(fqdn);
  if (name === ".") return Uint8Array.of(0);
  const labels = name.slice(0, -1).split(".");
  const out = new Uint8Array(name.length + 1);
  let pos = 0;
  for (const label of labels) {
    out[pos++] = label.length;
    for (let i = 0; i < label.length; i++) out[pos++] = label.charCodeAt(i);
  }
  out[pos] = 0;
  return out;
}
