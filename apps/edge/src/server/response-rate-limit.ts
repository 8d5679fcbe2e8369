/**
 * Response rate limiting (RRL) for UDP, as BIND, Knot and NSD do it: a spoofed-source flood must
 * not turn the edge into a reflection amplifier, while a real client behind a limited address still
 * gets an answer by retrying over TCP.
 *
 * - Responses are counted per (client prefix, response kind, name), like BIND's RRL: the prefix is
 *   the source address masked to /24 (IPv4) or /56 (IPv6); the kind is answer, NODATA, NXDOMAIN,
 *   referral or error; the name is the query name for answers and NODATA, the zone (the SOA owner
 *   in the authority section) for NXDOMAIN so random-subdomain floods share one bucket, the
 *   delegation point for referrals, and empty for errors.
 * - Each bucket is a token bucket holding at most `rate` tokens, refilled at `rate` per second.
 * - A limited response is dropped, except every `slip`-th one, which is sent truncated (TC=1, the
 *   question only) so a real client retries over TCP (RFC 7766 section 6.1.3.1 / RFC 1035 4.2.1),
 *   where a spoofed source cannot follow. slip 0 drops all, slip 1 truncates all.
 * - The table is bounded: at `maxEntries` the oldest bucket is forgotten (a forgotten bucket is a
 *   full one, which only ever errs towards answering); a bucket that limits is moved to the young
 *   end, so a flood keeps its own empty bucket however many other keys come and go.
 */
import { isIPv6 } from "node:net";
import { RCODE, TYPE } from "../wire/constants.js";
import { Reader } from "../wire/decode-message.js";

export interface RrlOptions {
  /** Responses per second per bucket; 0 disables rate limiting. */
  rate: number;
  /** Every slip-th limited response is truncated instead of dropped; 0 drops all. */
  slip: number;
  /** Prefix lengths that group client addresses into one bucket. */
  ipv4PrefixLength: number;
  ipv6PrefixLength: number;
  /** Bound on the bucket table. */
  maxEntries: number;
  /** How often the limited counts are logged (only while something was limited). */
  logIntervalMs: number;
}

export const RRL_DEFAULTS: Omit<RrlOptions, "rate"> = {
  slip: 2,
  ipv4PrefixLength: 24,
  ipv6PrefixLength: 56,
  maxEntries: 100_000,
  logIntervalMs: 10_000,
};

export type RrlVerdict = "send" | "slip" | "drop";
export type ResponseKind = "answer" | "nodata" | "nxdomain" | "referral" | "error";

interface Bucket {
  tokens: number;
  last: number;
  limited: number;
}

/** Only the counters that go into the log line; a few distinct prefixes at most per interval. */
const MAX_REPORTED_PREFIXES = 1000;
const TOP_PREFIXES = 5;
const PREFIX_CACHE_SIZE = 10_000;

export class ResponseRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Address → prefix, because the same few addresses send most of the traffic. */
  private readonly prefixes = new Map<string, string>();
  private dropped = 0;
  private slipped = 0;
  private readonly limitedByPrefix = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: RrlOptions,
    private readonly log: (counts: RrlReport) => void,
  ) {
    if (opts.logIntervalMs > 0) {
      this.timer = setInterval(() => this.report(), opts.logIntervalMs);
      this.timer.unref();
    }
  }

  /** Decides what to do with one UDP response about to go to `address`. */
  check(address: string, response: Uint8Array, now: number = Date.now()): RrlVerdict {
    let prefix = this.prefixes.get(address);
    if (prefix === undefined) {
      prefix = clientPrefix(address, this.opts.ipv4PrefixLength, this.opts.ipv6PrefixLength);
      if (this.prefixes.size >= PREFIX_CACHE_SIZE) this.prefixes.clear();
      this.prefixes.set(address, prefix);
    }
    const { kind, name } = classifyResponse(response);
    const key = `${prefix}|${kind}|${name}`;
    const rate = this.opts.rate;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.opts.maxEntries) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: rate, last: now, limited: 0 };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.last) * rate) / 1000);
      bucket.last = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return "send";
    }
    bucket.limited++;
    // Keep a limited bucket young so churn of new keys cannot evict it and hand out a fresh one.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    const count = this.limitedByPrefix.get(prefix);
    if (count !== undefined) this.limitedByPrefix.set(prefix, count + 1);
    else if (this.limitedByPrefix.size < MAX_REPORTED_PREFIXES) this.limitedByPrefix.set(prefix, 1);
    if (this.opts.slip > 0 && bucket.limited % this.opts.slip === 0) {
      this.slipped++;
      return "slip";
    }
    this.dropped++;
    return "drop";
  }

  /** Logs and resets the counts, if anything was limited since the last report. */
  report(): void {
    if (this.dropped === 0 && this.slipped === 0) return;
    const top = [...this.limitedByPrefix.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_PREFIXES)
      .map(([prefix, limited]) => ({ prefix, limited }));
    const counts: RrlReport = { dropped: this.dropped, slipped: this.slipped, topPrefixes: top };
    this.dropped = 0;
    this.slipped = 0;
    this.limitedByPrefix.clear();
    this.log(counts);
  }

  get size(): number {
    return this.buckets.size;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.report();
  }
}

export interface RrlReport {
  dropped: number;
  slipped: number;
  topPrefixes: { prefix: string; limited: number }[];
}

/** "192.0.2.0/24", "2001:db8:0:100::/56": the address with the host bits cleared. */
export function clientPrefix(address: string, v4Bits: number, v6Bits: number): string {
  const mapped = address.startsWith("::ffff:") ? address.slice(7) : address;
  const value = ipv4Value(mapped);
  if (value !== undefined) {
    const mask = v4Bits === 0 ? 0 : (0xffffffff << (32 - v4Bits)) >>> 0;
    const net = (value & mask) >>> 0;
    return `${net >>> 24}.${(net >>> 16) & 0xff}.${(net >>> 8) & 0xff}.${net & 0xff}/${v4Bits}`;
  }
  if (isIPv6(address)) {
    const groups = expandIPv6(address);
    const out: string[] = [];
    for (let i = 0; i < 8; i++) {
      const bits = Math.max(0, Math.min(16, v6Bits - i * 16));
      const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
      out.push(((groups[i] ?? 0) & mask).toString(16));
    }
    return `${out.join(":")}/${v6Bits}`;
  }
  return address;
}

/** A dotted quad as a 32-bit number, or undefined (hand-parsed: this runs for every response). */
function ipv4Value(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

function expandIPv6(address: string): number[] {
  let text = address.split("%")[0] ?? "";
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g || "0", 16));
}

/**
 * The RRL bucket a response falls in: its kind and the name it is counted under. The name is the
 * owner's wire labels, lowercased (a bucket key, not for display). Runs for every UDP response,
 * so it walks the wire directly instead of decoding the message.
 */
export function classifyResponse(response: Uint8Array): { kind: ResponseKind; name: string } {
  if (response.length < 12) return { kind: "error", name: "" };
  const flags = ((response[2] as number) << 8) | (response[3] as number);
  const rcode = flags & 0xf;
  if (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN) return { kind: "error", name: "" };
  const u16 = (o: number) => ((response[o] as number) << 8) | (response[o + 1] as number);
  const qdcount = u16(4);
  const ancount = u16(6);
  const nscount = u16(8);
  try {
    let pos = 12;
    const qname = qdcount > 0 ? nameKey(response, pos) : "";
    if (qdcount > 0) pos = skipName(response, pos) + 4;
    if (rcode === RCODE.NOERROR && ancount > 0) return { kind: "answer", name: qname };
    for (let i = 0; i < ancount; i++) pos = skipRR(response, pos);
    let authority = "";
    let authorityType = -1;
    if (nscount > 0) {
      authority = nameKey(response, pos);
      const typeAt = skipName(response, pos);
      if (typeAt + 2 > response.length) throw new RangeError("truncated");
      authorityType = u16(typeAt);
    }
    if (rcode === RCODE.NXDOMAIN)
      return { kind: "nxdomain", name: authorityType === TYPE.SOA ? authority : qname };
    const aa = (flags & 0x0400) !== 0;
    if (!aa && authorityType === TYPE.NS) return { kind: "referral", name: authority };
    return { kind: "nodata", name: qname };
  } catch {
    return { kind: "error", name: "" };
  }
}

/** The position after a (possibly compressed) name at `pos`. */
function skipName(buf: Uint8Array, start: number): number {
  let pos = start;
  for (;;) {
    if (pos >= buf.length) throw new RangeError("name runs past the end");
    const len = buf[pos] as number;
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) return pos + 2;
    pos += 1 + len;
  }
}

/**
 * The name at `start` as lowercased wire octets (labels with their length octets), following
 * backward pointers (RFC 1035 section 4.1.4). Each uncompressed run is sliced in one native call.
 */
function nameKey(buf: Uint8Array, start: number): string {
  let pos = start;
  let runStart = pos;
  let key = "";
  for (let hops = 0; hops <= 64; ) {
    if (pos >= buf.length) throw new RangeError("name runs past the end");
    const len = buf[pos] as number;
    if (len === 0) return (key + latin1(buf, runStart, pos)).toLowerCase();
    if ((len & 0xc0) === 0xc0) {
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] ?? 0);
      if (target >= pos) throw new RangeError("forward pointer");
      key += latin1(buf, runStart, pos);
      pos = target;
      runStart = pos;
      hops++;
      continue;
    }
    pos += 1 + len;
  }
  throw new RangeError("too many pointers");
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length)).toString(
    "latin1",
    from,
    to,
  );
}

function skipRR(buf: Uint8Array, pos: number): number {
  const at = skipName(buf, pos) + 8;
  if (at + 2 > buf.length) throw new RangeError("truncated");
  const rdlength = ((buf[at] as number) << 8) | (buf[at + 1] as number);
  return at + 2 + rdlength;
}

/**
 * The slip answer: the response's header and question only, TC=1, every other section empty
 * (as BIND's slip responses), so the client retries over TCP.
 */
export function truncatedResponse(response: Uint8Array): Buffer {
  const qdcount = response.length >= 12 ? ((response[4] as number) << 8) | (response[5] as number) : 0;
  let end = 12;
  try {
    const r = new Reader(response, 12);
    for (let i = 0; i < qdcount; i++) {
      r.name();
      r.need(4);
      r.pos += 4;
    }
    end = r.pos;
  } catch {
    end = 12;
  }
  const out = Buffer.from(response.subarray(0, Math.min(end, response.length)));
  if (out.length < 12) return out;
  out[2] = (out[2] as number) | 0x02; // TC
  if (end === 12) out.writeUInt16BE(0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}
