/**
 * A query-ready index of one zone, packed for memory: ≤ 250 bytes per record at 1,000,000 records
 * (issue 14; measured in bench/edge-memory.ts).
 *
 * Layout (no object per record, none per rrset, none per name besides its key string):
 * - `names`: name key → node number (one Map for the zone; the key strings are the only per-name
 *   objects), and `nodeName[node]` back to the key.
 * - node columns (typed arrays): the node's first rrset, and how many child nodes it has (a node
 *   with no rrsets exists only while it has children: an empty non-terminal, RFC 4592 section 2.2.2).
 * - rrset columns: type, TTL, record count, offset of its records in `data`, next rrset of the node.
 *   An rrset is referred to by its row number (an `RRsetRef`), so lookups allocate nothing.
 * - `data`: every record's RDATA in wire form, each prefixed with its 16-bit length, the records of
 *   one rrset next to each other.
 *
 * - DNSSEC (docs/dnssec.md, "Serving"): the signer's records come as ordinary rrsets. NSEC3 owners
 *   (`<hash>.<origin>`) are not names of the zone (RFC 5155 section 7.2.8: they must not answer like
 *   ones): their nodes live in a map of their own and, sorted by hash, in `chain` (node numbers),
 *   so the matching and covering records are binary searches. The one RRSIG rrset of an owner
 *   holds every signature there; those covering NSEC3 go to the NSEC3 node, the rest to the name.
 *
 * The index is built once per snapshot and then changed only through `applyChanges` (one rrset
 * replaced or removed at a time, the way the edge applies diffs), which is synchronous: a query or
 * an AXFR (built synchronously in transfer/zone-transfer.ts) always sees one serial.
 */
import type { SnapshotContent } from "@dnscove/db";
import { rdataToWire, TYPE_CODES, type WireRecordType } from "@dnscove/dns";
import { TYPE } from "../wire/constants.js";
import type { PackedRRset, WireRR } from "../wire/message-builder.js";
import { isAtOrBelow, parentKey, toKey, wireNameToKeyAt } from "../wire/names.js";
import { fastA, fastTxt } from "./fast-rdata.js";
import {
  coveredTypeOfText,
  type Nsec3Params,
  nsec3HashKey,
  nsec3ParamsOf,
  rrsigOriginalTtl,
} from "./nsec3.js";

export class ZoneLoadError extends Error {}

/** Row number of an rrset in a LoadedZone; -1 for none. */
export type RRsetRef = number;
/** Number of a node (an existing name) in a LoadedZone; -1 for none. */
export type NodeRef = number;

/** One rrset change of a diff: `records` undefined (or empty) removes the rrset. */
export interface RRsetChange {
  name: string;
  type: string;
  ttl?: number;
  records?: readonly string[];
}

/**
 * How much work (records encoded or names indexed) the builder does between chances to pause:
 * counted in records, not rrsets, since one rrset may hold hundreds of records.
 */
const YIELD_EVERY = 64;

const TYPE_BY_NAME = TYPE_CODES as Readonly<Record<string, number>>;

/** Offset of the domain name inside RDATA for types whose targets trigger additional processing. */
function targetOffset(type: number): number | undefined {
  if (type === TYPE.NS) return 0; // RFC 1035 section 3.3.11
  if (type === TYPE.MX) return 2; // RFC 1035 section 3.3.9
  if (type === TYPE.SRV) return 6; // RFC 2782
  return undefined;
}

/** One change of a diff, checked and encoded, ready to go in. */
interface PreparedChange {
  owner: string;
  /** The change is to an NSEC3 owner (its NSEC3 rrset, or the RRSIGs covering it). */
  nsec3: boolean;
  type: number;
  ttl: number;
  /** Undefined: the rrset is removed. */
  encoded: Encoded | undefined;
  /** The SOA's MINIMUM when the change is the SOA. */
  minimum: number | undefined;
}

/** Records of one rrset encoded back to back, each with its 16-bit length in front. */
interface Encoded {
  bytes: Uint8Array;
  count: number;
}

/**
 * One record's RDATA in wire form; ZoneLoadError when it does not encode or is too long. Exported
 * for IXFR (transfer/ixfr-difference.ts), which compares journal records in the same wire form.
 */
export function encodeOne(name: string, type: string, record: string): Uint8Array {
  let w: Uint8Array | undefined = type === "A" ? fastA(record) : type === "TXT" ? fastTxt(record) : undefined;
  try {
    w ??= rdataToWire(type as WireRecordType, record);
  } catch (e) {
    throw new ZoneLoadError(
      `cannot encode ${name} ${type} ${JSON.stringify(record)}: ${(e as Error).message}`,
    );
  }
  // RDLENGTH is 16 bits (RFC 1035 section 3.2.1).
  if (w.length > 0xffff) throw new ZoneLoadError(`record too long at ${name} ${type}`);
  return w;
}

function encodeRecords(name: string, type: string, records: readonly string[]): Encoded {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const record of records) {
    const w = encodeOne(name, type, record);
    parts.push(w);
    size += 2 + w.length;
  }
  const bytes = new Uint8Array(size);
  let p = 0;
  for (const w of parts) {
    bytes[p] = w.length >>> 8;
    bytes[p + 1] = w.length & 0xff;
    bytes.set(w, p + 2);
    p += 2 + w.length;
  }
  return { bytes, count: parts.length };
}

/** The SOA presentation record with the published serial written in (the serial is authoritative). */
function soaWithSerial(record: string | undefined, serial: number): { text: string; minimum: number } {
  const f = (record ?? "").trim().split(/\s+/);
  if (f.length !== 7) throw new ZoneLoadError("malformed SOA");
  f[2] = String(serial >>> 0);
  return { text: f.join(" "), minimum: Number(f[6]) };
}

/**
 * Capacity for `used` entries plus room for diffs: 1/32 more (at least `min`), so a zone takes
 * about 3% of its size in changes before any column is copied; under 1% more memory per record.
 */
function headroom(used: number, min = 64): number {
  return used + Math.max(min, used >>> 5);
}

/** A column of exactly `capacity` entries holding the first `used` of `a`. */
function resized<T extends Int32Array | Uint32Array | Uint16Array>(a: T, used: number, capacity: number): T {
  if (a.length === capacity) return a;
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a.subarray(0, used));
  return b;
}

function grownInt32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}

function grownUint32(a: Uint32Array, need: number): Uint32Array {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}

function grownUint16(a: Uint16Array, need: number): Uint16Array {
  if (need <= a.length) return a;
  const b = new Uint16Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}

/**
 * Which side each record of an rrset belongs to: an NSEC3 and the RRSIGs covering NSEC3 go to the
 * NSEC3 owner, everything else to the zone's name. `both`: always return both parts (a change
 * replaces both sides' RRSIG rrsets, an empty part removing one).
 */
function splitBySide(
  type: number,
  records: readonly string[],
  both = false,
): { nsec3: boolean; records: readonly string[] }[] {
  if (type === TYPE.NSEC3) return [{ nsec3: true, records }];
  if (type !== TYPE.RRSIG) return [{ nsec3: false, records }];
  const ofNsec3: string[] = [];
  const others: string[] = [];
  for (const r of records) (coveredTypeOfText(r) === TYPE.NSEC3 ? ofNsec3 : others).push(r);
  if (!both && ofNsec3.length === 0) return [{ nsec3: false, records }];
  return [
    { nsec3: false, records: others },
    { nsec3: true, records: ofNsec3 },
  ];
}

export class LoadedZone {
  readonly origin: string;
  private serialValue: number;
  /** SOA MINIMUM field, for the negative-caching TTL (RFC 2308 section 4). */
  private soaMinimumValue = 0;
  private soaRef: RRsetRef = -1;

  // Nodes.
  private readonly names = new Map<string, NodeRef>();
  private nodeName: string[] = [];
  private nodeFirst: Int32Array = new Int32Array(0);
  private nodeChildren: Int32Array = new Int32Array(0);
  private nodeCount = 0;
  /** Names below the apex that own an NS RRset: zone cuts (RFC 1034 section 4.2.1). */
  private readonly cuts = new Set<string>();
  /** NSEC3 owners (not names of the zone) → node, and their nodes sorted by owner, i.e. by hash. */
  private readonly nsec3Names = new Map<string, NodeRef>();
  private chain: NodeRef[] = [];
  private nsec3ParamsValue: Nsec3Params | undefined;

  // RRsets.
  private rsType: Uint16Array = new Uint16Array(0);
  private rsTtl: Uint32Array = new Uint32Array(0);
  private rsStart: Uint32Array = new Uint32Array(0);
  private rsCount: Uint32Array = new Uint32Array(0);
  private rsNext: Int32Array = new Int32Array(0);
  private rsRows = 0;
  private liveRRsets = 0;
  /** Rows and nodes freed by diffs, reused by later ones: a long-lived edge does not grow with churn. */
  private readonly freeRRsets: RRsetRef[] = [];
  private readonly freeNodes: NodeRef[] = [];

  // Records.
  private data: Buffer = Buffer.alloc(0);
  private dataEnd = 0;
  /** Bytes of `data` no rrset refers to any more (replaced by diffs); repacked past a bound. */
  private deadBytes = 0;

  private negative: PackedRRset | undefined;

  private constructor(origin: string, serial: number) {
    this.origin = origin;
    this.serialValue = serial >>> 0;
  }

  get serial(): number {
    return this.serialValue;
  }

  get soaMinimum(): number {
    return this.soaMinimumValue;
  }

  /** The apex SOA rrset. */
  get soa(): RRsetRef {
    return this.soaRef;
  }

  get rrsetCount(): number {
    return this.liveRRsets;
  }

  /** Octets of the record buffer in use, dead ones (replaced, not yet repacked) included. */
  get recordBytes(): number {
    return this.dataEnd;
  }

  /** Names below the apex that own an NS rrset (zone cuts). */
  get delegations(): ReadonlySet<string> {
    return this.cuts;
  }

  /**
   * Indexes a snapshot. Throws ZoneLoadError when the snapshot is unusable (no SOA, a name outside
   * the origin, an unknown type or a record that does not encode); the caller keeps the old zone.
   * The SOA serial is taken from `snapshot.serial` (the published serial is authoritative).
   */
  static fromSnapshot(snapshot: SnapshotContent): LoadedZone {
    const steps = LoadedZone.build(snapshot);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same as fromSnapshot, built in slices of at most `sliceMs` of work with the event loop
   * free in between (setImmediate), so a server indexing a big zone keeps answering queries from
   * the zones it already holds. Nothing is visible to readers until the caller swaps the finished
   * zone in, so answers still come from one serial each.
   */
  static async fromSnapshotCooperative(snapshot: SnapshotContent, sliceMs = 4): Promise<LoadedZone> {
    const steps = LoadedZone.build(snapshot);
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  /** The indexing work, yielding every few dozen records so a caller can pause between them. */
  private static *build(snapshot: SnapshotContent): Generator<void, LoadedZone> {
    const zone = new LoadedZone(toKey(snapshot.origin), snapshot.serial);
    const n = snapshot.rrsets.length;
    zone.reserve(n);
    zone.addNode(zone.origin);
    let done = 0;
    for (const rs of snapshot.rrsets) {
      done += 1 + rs.records.length;
      if (done >= YIELD_EVERY) {
        done = 0;
        yield;
      }
      const { owner, type } = zone.checkName(rs.name, rs.type);
      let records = rs.records;
      if (type === TYPE.SOA) {
        const soa = soaWithSerial(records[0], snapshot.serial);
        zone.soaMinimumValue = soa.minimum;
        records = [soa.text];
      }
      if (type === TYPE.RRSIG || type === TYPE.NSEC3) {
        for (const part of splitBySide(type, records)) {
          if (part.records.length > 0)
            zone.loadRRset(owner, part.nsec3, type, rs.name, rs.type, rs.ttl, part.records);
        }
      } else zone.loadRRset(owner, false, type, rs.name, rs.type, rs.ttl, records);
    }
    if (zone.soaRef < 0) throw new ZoneLoadError(`snapshot of ${snapshot.origin} has no apex SOA`);
    zone.chain.sort((a, b) => zone.compareNodes(a, b));
    zone.readNsec3Params();
    zone.trim();
    return zone;
  }

  // ------------------------------------------------------------------ building blocks

  /** Adds (or merges) one snapshot rrset during a full build. */
  private loadRRset(
    owner: string,
    nsec3: boolean,
    type: number,
    name: string,
    typeName: string,
    ttl: number,
    records: readonly string[],
  ): void {
    const node = this.nodeFor(owner, nsec3, false);
    const existing = this.findInNode(node, type);
    if (existing >= 0) {
      // The same name and type twice: merge (an RRset is the set of all such records).
      this.mergeInto(existing, encodeRecords(name, typeName, records), ttl);
      return;
    }
    // The common case encodes straight into the zone's buffer (no per-rrset garbage).
    const start = this.dataEnd;
    for (const record of records) this.appendRecord(name, typeName, record);
    const ref = this.addRRsetAt(node, type, ttl, start, records.length);
    if (type === TYPE.SOA) this.soaRef = ref;
  }

  private checkName(name: string, typeName: string): { owner: string; type: number } {
    const owner = toKey(name);
    if (!isAtOrBelow(owner, this.origin)) throw new ZoneLoadError(`${name} is not inside ${this.origin}`);
    const type = TYPE_BY_NAME[typeName];
    if (type === undefined) throw new ZoneLoadError(`unsupported type ${typeName} at ${name}`);
    if (type === TYPE.SOA && owner !== this.origin) throw new ZoneLoadError("SOA below the apex");
    return { owner, type };
  }

  private reserve(rrsets: number): void {
    this.nodeFirst = grownInt32(this.nodeFirst, rrsets + 1);
    this.nodeChildren = grownInt32(this.nodeChildren, rrsets + 1);
    this.rsType = grownUint16(this.rsType, rrsets);
    this.rsTtl = grownUint32(this.rsTtl, rrsets);
    this.rsStart = grownUint32(this.rsStart, rrsets);
    this.rsCount = grownUint32(this.rsCount, rrsets);
    this.rsNext = grownInt32(this.rsNext, rrsets);
  }

  /**
   * Drops the doubling slack of every column after a full build, but keeps a little room (1/32,
   * see `headroom`) for the diffs that follow: without it the first added rrset of the first diff
   * copied every column and the whole RDATA buffer into ones twice their size (1.8 s at 1,000,000
   * records on a loaded machine, on the publish path).
   */
  private trim(): void {
    const nodes = headroom(this.nodeCount);
    const rows = headroom(this.rsRows);
    this.nodeFirst = resized(this.nodeFirst, this.nodeCount, nodes);
    this.nodeChildren = resized(this.nodeChildren, this.nodeCount, nodes);
    this.rsType = resized(this.rsType, this.rsRows, rows);
    this.rsTtl = resized(this.rsTtl, this.rsRows, rows);
    this.rsStart = resized(this.rsStart, this.rsRows, rows);
    this.rsCount = resized(this.rsCount, this.rsRows, rows);
    this.rsNext = resized(this.rsNext, this.rsRows, rows);
    const data = Buffer.allocUnsafeSlow(headroom(this.dataEnd, 4096));
    this.data.copy(data, 0, 0, this.dataEnd);
    this.data = data;
  }

  /**
   * The node of `owner` on its side (the zone's names, or the NSEC3 owners), created when missing.
   * `sorted`: keep the chain sorted on insertion (diffs); a full build sorts once at the end.
   */
  private nodeFor(owner: string, nsec3: boolean, sorted: boolean): NodeRef {
    if (!nsec3) return this.names.get(owner) ?? this.addNode(owner);
    const found = this.nsec3Names.get(owner);
    if (found !== undefined) return found;
    const ref = this.newNode(owner);
    this.nsec3Names.set(owner, ref);
    if (sorted) this.chain.splice(this.chainIndex(owner), 0, ref);
    else this.chain.push(ref);
    return ref;
  }

  private compareNodes(a: NodeRef, b: NodeRef): number {
    const x = this.nodeName[a] as string;
    const y = this.nodeName[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Index of the first chain entry whose owner is not below `owner` (all owners have one length). */
  private chainIndex(owner: string): number {
    let lo = 0;
    let hi = this.chain.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.nodeName[this.chain[mid] as number] as string) < owner) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private readNsec3Params(): void {
    const ref = this.rrset(this.origin, TYPE.NSEC3PARAM);
    this.nsec3ParamsValue = ref < 0 ? undefined : nsec3ParamsOf(this.rdatas(ref)[0]);
  }

  private newNode(name: string): NodeRef {
    let ref = this.freeNodes.pop();
    if (ref === undefined) {
      ref = this.nodeCount++;
      this.nodeFirst = grownInt32(this.nodeFirst, this.nodeCount);
      this.nodeChildren = grownInt32(this.nodeChildren, this.nodeCount);
    }
    this.nodeFirst[ref] = -1;
    this.nodeChildren[ref] = 0;
    this.nodeName[ref] = name;
    return ref;
  }

  /** Creates a node and, up to the apex, every missing ancestor (empty non-terminals). */
  private addNode(name: string): NodeRef {
    const ref = this.newNode(name);
    this.names.set(name, ref);
    if (name !== this.origin) {
      const parent = parentKey(name) as string;
      const p = this.names.get(parent) ?? this.addNode(parent);
      (this.nodeChildren[p] as number)++;
    }
    return ref;
  }

  /** Deletes an rrset-less, childless node and then every ancestor that it alone kept in existence. */
  private pruneNode(node: NodeRef): void {
    let cur = node;
    for (;;) {
      const name = this.nodeName[cur] as string;
      if (name === this.origin || this.nodeFirst[cur] !== -1 || this.nodeChildren[cur] !== 0) return;
      this.names.delete(name);
      this.nodeName[cur] = "";
      this.freeNodes.push(cur);
      const parent = this.names.get(parentKey(name) as string) as NodeRef;
      (this.nodeChildren[parent] as number)--;
      cur = parent;
    }
  }

  private appendData(bytes: Uint8Array): number {
    const start = this.dataEnd;
    const need = start + bytes.length;
    if (need > this.data.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(need, this.data.length * 2, 4096));
      this.data.copy(next, 0, 0, start);
      this.data = next;
    }
    this.data.set(bytes, start);
    this.dataEnd = need;
    return start;
  }

  private findInNode(node: NodeRef, type: number): RRsetRef {
    for (let r = this.nodeFirst[node] as number; r >= 0; r = this.rsNext[r] as number) {
      if (this.rsType[r] === type) return r;
    }
    return -1;
  }

  /** Encodes one record (16-bit length, RDATA) at the end of the zone's buffer. */
  private appendRecord(name: string, type: string, record: string): void {
    const w = encodeOne(name, type, record);
    const start = this.dataEnd;
    const need = start + 2 + w.length;
    if (need > this.data.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(need, this.data.length * 2, 4096));
      this.data.copy(next, 0, 0, start);
      this.data = next;
    }
    this.data[start] = w.length >>> 8;
    this.data[start + 1] = w.length & 0xff;
    this.data.set(w, start + 2);
    this.dataEnd = need;
  }

  private addRRset(node: NodeRef, type: number, ttl: number, encoded: Encoded): RRsetRef {
    return this.addRRsetAt(node, type, ttl, this.appendData(encoded.bytes), encoded.count);
  }

  /** Appends an rrset row at the end of the node's list (rrsets keep snapshot order). */
  private addRRsetAt(node: NodeRef, type: number, ttl: number, start: number, count: number): RRsetRef {
    let ref = this.freeRRsets.pop();
    if (ref === undefined) {
      ref = this.rsRows++;
      this.reserve(this.rsRows);
    }
    this.rsType[ref] = type;
    this.rsTtl[ref] = ttl >>> 0;
    this.rsStart[ref] = start;
    this.rsCount[ref] = count;
    this.rsNext[ref] = -1;
    let r = this.nodeFirst[node] as number;
    if (r < 0) this.nodeFirst[node] = ref;
    else {
      while ((this.rsNext[r] as number) >= 0) r = this.rsNext[r] as number;
      this.rsNext[r] = ref;
    }
    this.liveRRsets++;
    const name = this.nodeName[node] as string;
    if (type === TYPE.NS && name !== this.origin) this.cuts.add(name);
    return ref;
  }

  private recordsEnd(ref: RRsetRef): number {
    let p = this.rsStart[ref] as number;
    const count = this.rsCount[ref] as number;
    for (let i = 0; i < count; i++) p += 2 + this.data.readUInt16BE(p);
    return p;
  }

  private mergeInto(ref: RRsetRef, encoded: Encoded, ttl: number): void {
    const start = this.rsStart[ref] as number;
    const old = this.data.subarray(start, this.recordsEnd(ref));
    const both = new Uint8Array(old.length + encoded.bytes.length);
    both.set(old);
    both.set(encoded.bytes, old.length);
    this.rsStart[ref] = this.appendData(both);
    this.rsCount[ref] = (this.rsCount[ref] as number) + encoded.count;
    this.rsTtl[ref] = Math.min(this.rsTtl[ref] as number, ttl >>> 0);
  }

  // ------------------------------------------------------------------ diffs

  /**
   * Applies a diff in place: each change replaces (or, without records, removes) one rrset, then
   * the zone takes `serial`. Every change is checked and encoded before anything is touched, so a
   * bad change throws ZoneLoadError and leaves the zone as it was. Cost is proportional to the
   * change, not the zone.
   */
  applyChanges(serial: number, changes: readonly RRsetChange[]): void {
    this.commitChanges(
      serial,
      changes.flatMap((c) => this.prepareChange(serial, c)),
    );
  }

  /**
   * applyChanges with the checking and encoding (nearly all of its cost: a 1,000 × 40-record TXT
   * batch encodes 40,000 records) done in slices of at most `sliceMs`, the event loop free in
   * between, so the server keeps answering; only the final in-place update is synchronous.
   * Preparing reads nothing of the zone but its origin, so the zone may be read meanwhile.
   */
  async applyChangesCooperative(serial: number, changes: readonly RRsetChange[], sliceMs = 4): Promise<void> {
    const prepared: PreparedChange[] = [];
    let sliceStart = performance.now();
    for (const change of changes) {
      prepared.push(...this.prepareChange(serial, change));
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.commitChanges(serial, prepared);
  }

  /**
   * One change, checked and encoded; an RRSIG change becomes two, one per side (the signatures of
   * the NSEC3 at that owner, and the others), each replacing or removing that side's RRSIG rrset.
   */
  private prepareChange(serial: number, c: RRsetChange): PreparedChange[] {
    const { owner, type } = this.checkName(c.name, c.type);
    const records = c.records ?? [];
    if (type === TYPE.SOA && records.length === 0) throw new ZoneLoadError("the apex SOA cannot be removed");
    if (records.length > 0 && c.ttl === undefined) throw new ZoneLoadError(`no TTL for ${c.name} ${c.type}`);
    if (type === TYPE.SOA) {
      const soa = soaWithSerial(records[0], serial);
      const encoded = encodeRecords(c.name, c.type, [soa.text]);
      return [{ owner, nsec3: false, type, ttl: c.ttl ?? 0, encoded, minimum: soa.minimum }];
    }
    const parts =
      type === TYPE.RRSIG ? splitBySide(type, records, true) : [{ nsec3: type === TYPE.NSEC3, records }];
    return parts.map((part) => ({
      owner,
      nsec3: part.nsec3,
      type,
      ttl: c.ttl ?? 0,
      encoded: part.records.length > 0 ? encodeRecords(c.name, c.type, part.records) : undefined,
      minimum: undefined,
    }));
  }

  private commitChanges(serial: number, prepared: readonly PreparedChange[]): void {
    // The SOA's serial field follows the zone's serial even when the SOA itself did not change.
    let soaChanged = false;
    let paramsChanged = false;
    for (const c of prepared) {
      if (c.encoded) this.replace(c.owner, c.nsec3, c.type, c.ttl, c.encoded);
      else this.remove(c.owner, c.nsec3, c.type);
      if (c.type === TYPE.NSEC3PARAM) paramsChanged = true;
      if (c.minimum !== undefined) {
        this.soaMinimumValue = c.minimum;
        soaChanged = true;
      }
    }
    if (!soaChanged && serial >>> 0 !== this.serialValue) this.rewriteSoaSerial(serial);
    if (paramsChanged) this.readNsec3Params();
    this.serialValue = serial >>> 0;
    this.negative = undefined;
    this.repackIfMostlyDead();
  }

  private replace(owner: string, nsec3: boolean, type: number, ttl: number, encoded: Encoded): void {
    const node = this.nodeFor(owner, nsec3, true);
    const ref = this.findInNode(node, type);
    if (ref < 0) {
      const added = this.addRRset(node, type, ttl, encoded);
      if (type === TYPE.SOA) this.soaRef = added;
      return;
    }
    this.deadBytes += this.recordsEnd(ref) - (this.rsStart[ref] as number);
    this.rsTtl[ref] = ttl >>> 0;
    this.rsStart[ref] = this.appendData(encoded.bytes);
    this.rsCount[ref] = encoded.count;
  }

  private remove(owner: string, nsec3: boolean, type: number): void {
    const node = (nsec3 ? this.nsec3Names : this.names).get(owner);
    if (node === undefined) return;
    let prev = -1;
    for (let r = this.nodeFirst[node] as number; r >= 0; prev = r, r = this.rsNext[r] as number) {
      if (this.rsType[r] !== type) continue;
      if (prev < 0) this.nodeFirst[node] = this.rsNext[r] as number;
      else this.rsNext[prev] = this.rsNext[r] as number;
      this.deadBytes += this.recordsEnd(r) - (this.rsStart[r] as number);
      this.freeRRsets.push(r);
      this.liveRRsets--;
      if (nsec3) this.pruneNsec3Node(node);
      else {
        if (type === TYPE.NS) this.cuts.delete(owner);
        this.pruneNode(node);
      }
      return;
    }
  }

  /** Deletes an NSEC3 owner's node once it holds nothing. */
  private pruneNsec3Node(node: NodeRef): void {
    if (this.nodeFirst[node] !== -1) return;
    const name = this.nodeName[node] as string;
    const i = this.chainIndex(name);
    if (this.chain[i] === node) this.chain.splice(i, 1);
    this.nsec3Names.delete(name);
    this.nodeName[node] = "";
    this.freeNodes.push(node);
  }

  /** Re-encodes the SOA with another serial (RFC 1035 section 3.3.13: SERIAL is the third field). */
  private rewriteSoaSerial(serial: number): void {
    const ref = this.soaRef;
    const start = (this.rsStart[ref] as number) + 2;
    const len = this.data.readUInt16BE(start - 2);
    const mname = wireNameToKeyAt(this.data, start);
    const rname = wireNameToKeyAt(this.data, mname.end);
    const copy = Buffer.from(this.data.subarray(start - 2, start + len));
    copy.writeUInt32BE(serial >>> 0, rname.end - start + 2);
    this.deadBytes += copy.length;
    this.rsStart[ref] = this.appendData(copy);
  }

  /**
   * Copies the live records into a new buffer once more than half of `data` is dead (and at least
   * 64 KiB): O(zone) now and then, O(change) amortised, like a compacting log.
   */
  private repackIfMostlyDead(): void {
    if (this.deadBytes < 65_536 || this.deadBytes * 2 < this.dataEnd) return;
    const live = this.dataEnd - this.deadBytes;
    const next = Buffer.allocUnsafeSlow(live);
    let p = 0;
    for (let node = 0; node < this.nodeCount; node++) {
      if (this.nodeName[node] === "") continue;
      for (let r = this.nodeFirst[node] as number; r >= 0; r = this.rsNext[r] as number) {
        const start = this.rsStart[r] as number;
        const end = this.recordsEnd(r);
        this.data.copy(next, p, start, end);
        this.rsStart[r] = p;
        p += end - start;
      }
    }
    this.data = next;
    this.dataEnd = p;
    this.deadBytes = 0;
  }

  // ------------------------------------------------------------------ lookups (allocation-free)

  /** The node of an existing name (empty non-terminals included), or -1. */
  node(name: string): NodeRef {
    return this.names.get(name) ?? -1;
  }

  hasName(name: string): boolean {
    return this.names.has(name);
  }

  nameOf(node: NodeRef): string {
    return this.nodeName[node] as string;
  }

  /** The node's rrset of `type`, or -1. */
  rrsetAt(node: NodeRef, type: number): RRsetRef {
    return node < 0 ? -1 : this.findInNode(node, type);
  }

  rrset(name: string, type: number): RRsetRef {
    return this.rrsetAt(this.node(name), type);
  }

  /** First rrset of a node (-1 for an empty non-terminal); then `nextRRset`. */
  firstRRset(node: NodeRef): RRsetRef {
    return this.nodeFirst[node] as number;
  }

  nextRRset(ref: RRsetRef): RRsetRef {
    return this.rsNext[ref] as number;
  }

  typeOf(ref: RRsetRef): number {
    return this.rsType[ref] as number;
  }

  ttlOf(ref: RRsetRef): number {
    return this.rsTtl[ref] as number;
  }

  /** The highest zone cut at or above `name` (below the apex), if any. */
  delegationFor(name: string): string | undefined {
    if (this.cuts.size === 0) return undefined;
    let found: string | undefined;
    let cur: string | undefined = name;
    while (cur !== undefined && cur !== this.origin) {
      if (this.cuts.has(cur)) found = cur;
      cur = parentKey(cur);
    }
    return found;
  }

  /**
   * The rrset as the message builder writes it, under `owner` (the query name, or a wildcard's
   * synthesized name) and `ttl`: one small object pointing into the packed records, whatever the
   * number of records.
   */
  packed(ref: RRsetRef, owner: string, ttl = this.rsTtl[ref] as number): PackedRRset {
    return {
      owner,
      type: this.rsType[ref] as number,
      ttl,
      data: this.data,
      start: this.rsStart[ref] as number,
      count: this.rsCount[ref] as number,
    };
  }

  /** The SOA record used in negative answers: TTL = min(SOA TTL, MINIMUM) (RFC 2308 section 5). */
  negativeSoa(): PackedRRset {
    this.negative ??= this.packed(
      this.soaRef,
      this.origin,
      Math.min(this.rsTtl[this.soaRef] as number, this.soaMinimumValue),
    );
    return this.negative;
  }

  /** RDATA of each record (copies; for transfers and tests, not the query path). */
  rdatas(ref: RRsetRef): Uint8Array[] {
    const out: Uint8Array[] = [];
    let p = this.rsStart[ref] as number;
    const count = this.rsCount[ref] as number;
    for (let i = 0; i < count; i++) {
      const len = this.data.readUInt16BE(p);
      out.push(new Uint8Array(this.data.buffer, this.data.byteOffset + p + 2, len).slice());
      p += 2 + len;
    }
    return out;
  }

  /** The target name of the first record at `offset` in RDATA (CNAME: 0). */
  firstName(ref: RRsetRef): string | undefined {
    if (this.rsCount[ref] === 0) return undefined;
    return wireNameToKeyAt(this.data, (this.rsStart[ref] as number) + 2).key;
  }

  /** Names whose A/AAAA records belong in the additional section (NS, MX, SRV targets). */
  targets(ref: RRsetRef): string[] {
    const off = targetOffset(this.rsType[ref] as number);
    if (off === undefined) return [];
    const out: string[] = [];
    let p = this.rsStart[ref] as number;
    const count = this.rsCount[ref] as number;
    for (let i = 0; i < count; i++) {
      const len = this.data.readUInt16BE(p);
      out.push(wireNameToKeyAt(this.data, p + 2 + off).key);
      p += 2 + len;
    }
    return out;
  }

  /** Writable records of an rrset under its own owner and TTL (allocates; transfers use it). */
  toWire(ref: RRsetRef, owner: string): WireRR[] {
    const type = this.rsType[ref] as number;
    const ttl = this.rsTtl[ref] as number;
    // Each RRSIG goes out with its covered rrset's TTL, its original-TTL field (RFC 4035 section 2.2).
    if (type === TYPE.RRSIG)
      return this.rdatas(ref).map((rdata) => ({ owner, type, ttl: rrsigOriginalTtl(rdata, 0), rdata }));
    return this.rdatas(ref).map((rdata) => ({ owner, type, ttl, rdata }));
  }

  // ------------------------------------------------------------------ DNSSEC (allocation only on the DO path)

  /** Signed iff the apex holds a DNSKEY rrset (the DNSSEC contract). */
  get signed(): boolean {
    return this.rrset(this.origin, TYPE.DNSKEY) >= 0;
  }

  /** NSEC3 records in the chain (for tests and metrics). */
  get nsec3Count(): number {
    return this.chain.length;
  }

  /**
   * The RRSIGs at `node` covering `type`, written under `owner` (a wildcard's synthesized name),
   * each with its original-TTL field as TTL (RFC 4035 section 2.2); [] when none.
   */
  signatures(node: NodeRef, type: number, owner: string): WireRR[] {
    const out: WireRR[] = [];
    if (node < 0) return out;
    const ref = this.findInNode(node, TYPE.RRSIG);
    if (ref < 0) return out;
    let p = this.rsStart[ref] as number;
    const count = this.rsCount[ref] as number;
    for (let i = 0; i < count; i++) {
      const len = this.data.readUInt16BE(p);
      if (this.data.readUInt16BE(p + 2) === type) {
        out.push({
          owner,
          type: TYPE.RRSIG,
          ttl: rrsigOriginalTtl(this.data, p + 2),
          rdata: this.data.subarray(p + 2, p + 2 + len),
        });
      }
      p += 2 + len;
    }
    return out;
  }

  /** Every RRSIG at `node` (an explicit RRSIG query), each with its original TTL. */
  allSignatures(node: NodeRef, owner: string): WireRR[] {
    const ref = this.rrsetAt(node, TYPE.RRSIG);
    return ref < 0 ? [] : this.toWire(ref, owner);
  }

  /** The NSEC3 node whose owner is the hash of `name`, or -1 (RFC 5155 section 7.2.1 "matching"). */
  nsec3Matching(name: string): NodeRef {
    if (!this.nsec3ParamsValue) return -1;
    return this.nsec3Names.get(`${nsec3HashKey(name, this.nsec3ParamsValue)}.${this.origin}`) ?? -1;
  }

  /**
   * The NSEC3 node covering the hash of `name` (owner < hash < next, around the end of the chain),
   * or -1 when the chain is empty or the hash has a record of its own.
   */
  nsec3Covering(name: string): NodeRef {
    if (!this.nsec3ParamsValue || this.chain.length === 0) return -1;
    const owner = `${nsec3HashKey(name, this.nsec3ParamsValue)}.${this.origin}`;
    const i = this.chainIndex(owner);
    if (this.chain[i] !== undefined && this.nodeName[this.chain[i] as number] === owner) return -1;
    return this.chain[(i === 0 ? this.chain.length : i) - 1] as number;
  }

  /** Every rrset in transfer order: SOA first, then everything else (RFC 5936 section 2.2). */
  *transferRRsets(): Generator<{ owner: string; ref: RRsetRef }> {
    yield { owner: this.origin, ref: this.soaRef };
    for (let node = 0; node < this.nodeCount; node++) {
      const owner = this.nodeName[node] as string;
      if (owner === "") continue;
      for (let r = this.nodeFirst[node] as number; r >= 0; r = this.rsNext[r] as number) {
        if (this.rsType[r] !== TYPE.SOA) yield { owner, ref: r };
      }
    }
  }

  /** Every existing name (empty non-terminals included), in index order. */
  *allNames(): Generator<string> {
    for (let node = 0; node < this.nodeCount; node++) {
      const name = this.nodeName[node] as string;
      if (name !== "") yield name;
    }
  }
}
