/**
 * A bounded cache of encoded responses to plain queries, so that a repeated question skips decode,
 * lookup and encode: the cached octets are copied and the copy gets the query's ID (RFC 1035
 * section 4.1.1) and the question name exactly as the client spelled it (the question is echoed
 * as sent, RFC 4343 section 4.1, which keeps "0x20" case randomisation working).
 *
 * Why patching the question is enough for byte-identical answers: the encoder writes the question
 * from the client's octets and registers every suffix of it as a compression target, so any owner
 * name equal to the question name or to one of its suffixes (the answer owner, the SOA owner of a
 * negative answer, ...) is a pointer into the question (message-builder.ts). RDATA names are
 * written from the zone, in the zone's case. Nothing else in the response depends on the query's
 * spelling, so overwriting the question's name octets reproduces the uncached encoding exactly.
 *
 * What is cached: only queries that need nothing but the question, the RD and CD bits and the OPT
 * record: opcode QUERY, QR=0, one question with an uncompressed name, no answer or authority
 * records, and either no additional record or exactly one OPT with EDNS version 0. Everything
 * else (TSIG-signed requests, AXFR/IXFR, NOTIFY, malformed queries, EDNS versions we answer with
 * BADVERS) takes the normal path and is never stored. Only NOERROR and NXDOMAIN responses are
 * stored; REFUSED/SERVFAIL/FORMERR/NOTIMP are not, so a flood of queries for names we do not
 * serve cannot push real answers out.
 *
 * The key is everything that changes the response octets: the question (name folded to lower
 * case, QTYPE, QCLASS), RD, CD, whether the query had EDNS, its DO bit (RFC 3225), and the size
 * limit the response was built for (TCP, or the UDP payload size class of RFC 6891 section 6.2.5:
 * min(max(EDNS size, 512), 1232), 512 without EDNS), which decides truncation (TC).
 *
 * Invalidation: the cache remembers the ZoneSet generation its entries were built from and
 * empties itself as soon as the generation moves (every put/remove bumps it), so every cached
 * answer comes from the zones currently served, each from exactly one serial.
 *
 * Bounds: at most `maxEntries` entries and `maxBytes` octets (response + key octets + a fixed
 * per-entry estimate of the JavaScript object and Map overhead). Eviction is least recently used,
 * approximately: a hit only moves an entry to the young end once it is in the older half, which
 * spares the Map a delete+insert on most hits.
 */
import { CLASSIC_UDP_PAYLOAD, MAX_UDP_PAYLOAD, RCODE, TYPE } from "../wire/constants.js";

export interface AnswerCacheLimits {
  /** Most entries kept; 0 turns the cache off. */
  maxEntries?: number;
  /** Most octets kept (see ENTRY_OVERHEAD). */
  maxBytes?: number;
}

export const DEFAULT_ANSWER_CACHE_ENTRIES = 100_000;
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;
/** Estimated heap octets of one entry besides its two buffers: the entry object, two Buffer objects, the Map slot. */
export const ENTRY_OVERHEAD = 240;

export interface AnswerCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  /** Queries that could not be cached at all (see above). */
  uncacheable: number;
}

interface Entry {
  /** Question octets from offset 12: name (lower case), QTYPE, QCLASS. */
  question: Uint8Array;
  meta: number;
  wire: Buffer;
  /** Value of `clock` when the entry was stored or last moved to the young end. */
  stamp: number;
  cost: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class AnswerCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Keyed by a 30-bit hash (a small integer for V8); a colliding entry is simply replaced. */
  private map = new Map<number, Entry>();
  private generation = -1;
  private clock = 0;
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private uncacheable = 0;

  // The last probe, for store(): kept in fields so that a lookup allocates nothing.
  private probeOk = false;
  private probeHash = 0;
  private probeMeta = 0;
  private probeNameEnd = 0;
  private probeQuestionEnd = 0;

  constructor(limits: AnswerCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? DEFAULT_ANSWER_CACHE_ENTRIES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
  }

  get enabled(): boolean {
    return this.maxEntries > 0 && this.maxBytes > 0;
  }

  stats(): AnswerCacheStats {
    return {
      entries: this.map.size,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
      uncacheable: this.uncacheable,
    };
  }

  clear(): void {
    this.map = new Map();
    this.bytes = 0;
  }

  /**
   * The cached response for this query, as a fresh Buffer with the query's ID and question
   * spelling, or undefined. After undefined, `store` may be called with the response the normal
   * path built for the same query.
   */
  lookup(query: Uint8Array, tcp: boolean, generation: number): Buffer | undefined {
    this.probeOk = false;
    if (!this.enabled) return undefined;
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
    }
    if (!this.probe(query, tcp)) {
      this.uncacheable++;
      return undefined;
    }
    const entry = this.map.get(this.probeHash);
    if (entry === undefined || entry.meta !== this.probeMeta || !this.sameQuestion(entry.question, query)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (this.clock - entry.stamp > this.maxEntries >> 1) {
      // In the older half: move to the young end (Map order is insertion order).
      this.map.delete(this.probeHash);
      this.map.set(this.probeHash, entry);
      entry.stamp = ++this.clock;
    }
    const wire = entry.wire;
    const out = Buffer.allocUnsafe(wire.length);
    wire.copy(out, 0, 0, wire.length);
    out[0] = query[0] as number;
    out[1] = query[1] as number;
    for (let i = 12; i < this.probeNameEnd; i++) out[i] = query[i] as number;
    this.probeOk = false;
    return out;
  }

  /** Stores the response built for the query of the last missed `lookup`, if it may be cached. */
  store(query: Uint8Array, response: Buffer, generation: number): void {
    if (!this.probeOk || generation !== this.generation) return;
    this.probeOk = false;
    if (response.length < 12 || response[4] !== 0 || response[5] !== 1) return;
    const rcode = (response[3] as number) & 0xf;
    if (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN) return;
    const question = new Uint8Array(this.probeQuestionEnd - 12);
    // The name folded to lower case; QTYPE and QCLASS as they are (they are numbers, not text).
    for (let i = 12; i < this.probeQuestionEnd; i++)
      question[i - 12] = i < this.probeNameEnd ? lower(query[i] as number) : (query[i] as number);
    // An exact-size copy: the response may be a view into a larger pooled buffer.
    const wire = Buffer.from(response);
    const cost = wire.length + question.length + ENTRY_OVERHEAD;
    if (cost > this.maxBytes) return;
    const old = this.map.get(this.probeHash);
    if (old) {
      this.map.delete(this.probeHash);
      this.bytes -= old.cost;
    }
    this.map.set(this.probeHash, { question, meta: this.probeMeta, wire, stamp: ++this.clock, cost });
    this.bytes += cost;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      const e = this.map.get(oldest.value) as Entry;
      this.map.delete(oldest.value);
      this.bytes -= e.cost;
    }
  }

  /**
   * Parses just enough of the query to know whether it is cacheable and to compute its key; the
   * result goes to the probe fields. Anything unusual returns false and takes the normal path,
   * which has the full decoder and its error handling.
   */
  private probe(q: Uint8Array, tcp: boolean): boolean {
    const len = q.length;
    if (len < 17) return false;
    // QR=0 and OPCODE=QUERY (the top five bits of octet 2).
    if (((q[2] as number) & 0xf8) !== 0) return false;
    // QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT 0 or 1.
    if (q[4] !== 0 || q[5] !== 1 || q[6] !== 0 || q[7] !== 0 || q[8] !== 0 || q[9] !== 0 || q[10] !== 0)
      return false;
    const arcount = q[11] as number;
    if (arcount > 1) return false;
    let h = FNV_OFFSET;
    let pos = 12;
    for (;;) {
      const l = q[pos] as number;
      if (l === undefined) return false;
      if (l > 63) return false; // compression pointer or reserved label type
      if (pos + 1 + l + 4 > len) return false;
      h = Math.imul(h ^ l, FNV_PRIME);
      pos++;
      if (l === 0) break;
      for (const end = pos + l; pos < end; pos++) h = Math.imul(h ^ lower(q[pos] as number), FNV_PRIME);
      if (pos - 12 > 254) return false; // name longer than 255 octets (RFC 1035 section 2.3.4)
    }
    const nameEnd = pos;
    const qtype = ((q[pos] as number) << 8) | (q[pos + 1] as number);
    if (qtype === TYPE.AXFR || qtype === TYPE.IXFR || qtype === TYPE.OPT || qtype === TYPE.TSIG) return false;
    for (const end = pos + 4; pos < end; pos++) h = Math.imul(h ^ (q[pos] as number), FNV_PRIME);
    const questionEnd = pos;
    let limit = tcp ? 65535 : CLASSIC_UDP_PAYLOAD;
    let meta = ((q[2] as number) & 0x01) | (((q[3] as number) & 0x10) >> 3); // RD, CD
    if (arcount === 1) {
      // One OPT with the root as owner, written plainly (RFC 6891 section 6.1.2).
      if (pos + 11 > len || q[pos] !== 0) return false;
      if (q[pos + 1] !== 0 || q[pos + 2] !== TYPE.OPT) return false;
      const udpSize = ((q[pos + 3] as number) << 8) | (q[pos + 4] as number);
      if (q[pos + 6] !== 0) return false; // EDNS version other than 0: BADVERS, not cached
      const dnssecOk = ((q[pos + 7] as number) & 0x80) !== 0;
      const rdlength = ((q[pos + 9] as number) << 8) | (q[pos + 10] as number);
      if (pos + 11 + rdlength > len) return false;
      if (!tcp) limit = Math.min(Math.max(udpSize, CLASSIC_UDP_PAYLOAD), MAX_UDP_PAYLOAD);
      meta |= 0x4 | (dnssecOk ? 0x8 : 0);
    }
    meta |= limit << 4;
    h = Math.imul(h ^ meta, FNV_PRIME);
    this.probeHash = (h ^ (h >>> 30)) & 0x3fffffff;
    this.probeMeta = meta;
    this.probeNameEnd = nameEnd;
    this.probeQuestionEnd = questionEnd;
    this.probeOk = true;
    return true;
  }

  private sameQuestion(stored: Uint8Array, q: Uint8Array): boolean {
    const nameEnd = this.probeNameEnd;
    const end = this.probeQuestionEnd;
    if (stored.length !== end - 12) return false;
    for (let i = 12; i < nameEnd; i++) if (stored[i - 12] !== lower(q[i] as number)) return false;
    for (let i = nameEnd; i < end; i++) if (stored[i - 12] !== q[i]) return false;
    return true;
  }
}

/** ASCII case folding only (RFC 4343 section 3). */
function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}
