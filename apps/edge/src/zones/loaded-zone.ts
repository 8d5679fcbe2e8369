/**
 * An immutable, query-ready index of one published snapshot.
 *
 * Built once per publish; never mutated afterwards, so a reader that holds a LoadedZone sees one
 * consistent serial for as long as it needs (a whole AXFR included).
 */
import type { SnapshotContent } from "@dnscove/db";
import { rdataToWire, TYPE_CODES, type WireRecordType } from "@dnscove/dns";
import { TYPE } from "../wire/constants.js";
import type { WireRR } from "../wire/message-builder.js";
import { isAtOrBelow, parentKey, toKey, wireNameToKeyAt } from "../wire/names.js";

export class ZoneLoadError extends Error {}

/** One RRset with its RDATA pre-encoded. */
export interface LoadedRRset {
  owner: string;
  type: number;
  typeName: string;
  ttl: number;
  /** The presentation records the RDATA was encoded from (to reuse it for the next serial). */
  records: readonly string[];
  rdatas: Uint8Array[];
  /** Names whose A/AAAA records belong in the additional section (NS, MX, SRV targets). */
  targets: string[];
}

/** A node of the zone tree. Empty non-terminals (RFC 4592 section 2.2.2) have no RRsets. */
export interface ZoneNode {
  name: string;
  rrsets: Map<number, LoadedRRset>;
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

function sameRecords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function encodeAll(name: string, type: string, records: readonly string[]): Uint8Array[] {
  return records.map((record) => {
    try {
      return rdataToWire(type as WireRecordType, record);
    } catch (e) {
      throw new ZoneLoadError(
        `cannot encode ${name} ${type} ${JSON.stringify(record)}: ${(e as Error).message}`,
      );
    }
  });
}

/**
 * Writable records of an RRset under its own owner and TTL, built on first use. A WeakMap rather
 * than a field: a LoadedRRset is immutable once its zone is built, and only queried RRsets pay.
 */
const wireOf = new WeakMap<LoadedRRset, readonly WireRR[]>();

export class LoadedZone {
  readonly origin: string;
  readonly serial: number;
  readonly nodes: ReadonlyMap<string, ZoneNode>;
  /** Names below the apex that own an NS RRset: zone cuts (RFC 1034 section 4.2.1). */
  readonly delegations: ReadonlySet<string>;
  readonly soa: LoadedRRset;
  /** SOA MINIMUM field, for the negative-caching TTL (RFC 2308 section 4). */
  readonly soaMinimum: number;
  readonly rrsetCount: number;

  private constructor(init: {
    origin: string;
    serial: number;
    nodes: Map<string, ZoneNode>;
    delegations: Set<string>;
    soa: LoadedRRset;
    soaMinimum: number;
    rrsetCount: number;
  }) {
    this.origin = init.origin;
    this.serial = init.serial;
    this.nodes = init.nodes;
    this.delegations = init.delegations;
    this.soa = init.soa;
    this.soaMinimum = init.soaMinimum;
    this.rrsetCount = init.rrsetCount;
  }

  /**
   * Indexes a snapshot. Throws ZoneLoadError when the snapshot is unusable (no SOA, a name outside
   * the origin, an unknown type or a record that does not encode); the caller keeps the old zone.
   * The SOA serial is taken from `snapshot.serial` (the published serial is authoritative).
   * With the zone's `previous` serial given, rrsets whose records did not change reuse its encoded
   * RDATA (never mutated), so a publish costs string comparisons rather than re-encoding the zone.
   */
  static fromSnapshot(snapshot: SnapshotContent, previous?: LoadedZone): LoadedZone {
    const steps = LoadedZone.build(snapshot, previous);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same as fromSnapshot, built in slices of at most `sliceMs` of work with the event loop
   * free in between (setImmediate), so a server indexing a 20,000-rrset zone keeps answering
   * queries from the zones it already holds. Nothing is visible to readers until the caller
   * swaps the finished zone in, so answers still come from one serial each.
   */
  static async fromSnapshotCooperative(
    snapshot: SnapshotContent,
    previous?: LoadedZone,
    sliceMs = 4,
  ): Promise<LoadedZone> {
    const steps = LoadedZone.build(snapshot, previous);
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

  /** The indexing work, yielding every few hundred items so a caller can pause between them. */
  private static *build(snapshot: SnapshotContent, previous?: LoadedZone): Generator<void, LoadedZone> {
    const origin = toKey(snapshot.origin);
    const nodes = new Map<string, ZoneNode>();
    let soa: LoadedRRset | undefined;
    let soaMinimum = 0;
    let rrsetCount = 0;
    let done = 0;
    for (const rs of snapshot.rrsets) {
      done += 1 + rs.records.length;
      if (done >= YIELD_EVERY) {
        done = 0;
        yield;
      }
      const owner = toKey(rs.name);
      if (!isAtOrBelow(owner, origin)) throw new ZoneLoadError(`${rs.name} is not inside ${snapshot.origin}`);
      const type = TYPE_BY_NAME[rs.type];
      if (type === undefined) throw new ZoneLoadError(`unsupported type ${rs.type} at ${rs.name}`);
      let records = rs.records;
      if (type === TYPE.SOA) {
        if (owner !== origin) throw new ZoneLoadError("SOA below the apex");
        const f = (records[0] ?? "").trim().split(/\s+/);
        if (f.length !== 7) throw new ZoneLoadError("malformed SOA");
        f[2] = String(snapshot.serial >>> 0);
        soaMinimum = Number(f[6]);
        records = [f.join(" ")];
      }
      const before = previous?.rrset(owner, type);
      const unchanged = before !== undefined && sameRecords(before.records, records);
      const rdatas = unchanged ? before.rdatas : encodeAll(rs.name, rs.type, records);
      const off = targetOffset(type);
      const targets = unchanged
        ? before.targets
        : off === undefined
          ? []
          : rdatas.map((w) => wireNameToKeyAt(w, off).key);
      let node = nodes.get(owner);
      if (!node) {
        node = { name: owner, rrsets: new Map() };
        nodes.set(owner, node);
      }
      const existing = node.rrsets.get(type);
      if (existing) {
        // The same name and type twice: merge (an RRset is the set of all such records).
        // New arrays: the old ones may be shared with the previous serial, which stays immutable.
        existing.rdatas = [...existing.rdatas, ...rdatas];
        existing.targets = [...existing.targets, ...targets];
        existing.records = [...existing.records, ...records];
        existing.ttl = Math.min(existing.ttl, rs.ttl);
      } else {
        const loaded: LoadedRRset = {
          owner,
          type,
          typeName: rs.type,
          ttl: rs.ttl >>> 0,
          records,
          rdatas,
          targets,
        };
        node.rrsets.set(type, loaded);
        rrsetCount++;
        if (type === TYPE.SOA) soa = loaded;
      }
    }
    if (!soa) throw new ZoneLoadError(`snapshot of ${snapshot.origin} has no apex SOA`);
    // Empty non-terminals: every ancestor of an owner, up to the apex, exists (RFC 4592 section 2.2.2).
    const ensured = new Set<string>([origin]);
    for (const name of [...nodes.keys()]) {
      if (++done >= YIELD_EVERY) {
        done = 0;
        yield;
      }
      let cur: string | undefined = name;
      while (cur !== undefined && !ensured.has(cur)) {
        ensured.add(cur);
        if (!nodes.has(cur)) nodes.set(cur, { name: cur, rrsets: new Map() });
        cur = parentKey(cur);
      }
    }
    if (!nodes.has(origin)) nodes.set(origin, { name: origin, rrsets: new Map() });
    const delegations = new Set<string>();
    for (const node of nodes.values()) {
      if (node.name !== origin && node.rrsets.has(TYPE.NS)) delegations.add(node.name);
    }
    return new LoadedZone({
      origin,
      serial: snapshot.serial >>> 0,
      nodes,
      delegations,
      soa,
      soaMinimum,
      rrsetCount,
    });
  }

  /** The highest zone cut at or above `name` (below the apex), if any. */
  delegationFor(name: string): string | undefined {
    if (this.delegations.size === 0) return undefined;
    let found: string | undefined;
    let cur: string | undefined = name;
    while (cur !== undefined && cur !== this.origin) {
      if (this.delegations.has(cur)) found = cur;
      cur = parentKey(cur);
    }
    return found;
  }

  rrset(name: string, type: number): LoadedRRset | undefined {
    return this.nodes.get(name)?.rrsets.get(type);
  }

  /**
   * Converts an RRset to writable records, optionally under another owner (wildcard synthesis).
   * The common case (own owner and TTL) is built once per RRset and shared: a query then
   * allocates nothing here. Callers treat the result as read-only.
   */
  static toWire(rs: LoadedRRset, owner = rs.owner, ttl = rs.ttl): readonly WireRR[] {
    if (owner !== rs.owner || ttl !== rs.ttl)
      return rs.rdatas.map((rdata) => ({ owner, type: rs.type, ttl, rdata }));
    let wire = wireOf.get(rs);
    if (wire === undefined) {
      wire = rs.rdatas.map((rdata) => ({ owner, type: rs.type, ttl, rdata }));
      wireOf.set(rs, wire);
    }
    return wire;
  }

  /** The SOA record used in negative answers: TTL = min(SOA TTL, MINIMUM) (RFC 2308 section 5). */
  negativeSoa(): readonly WireRR[] {
    this.negative ??= LoadedZone.toWire(this.soa, this.origin, Math.min(this.soa.ttl, this.soaMinimum));
    return this.negative;
  }
  private negative: readonly WireRR[] | undefined;

  /** All RRsets in transfer order: SOA first, then everything else (RFC 5936 section 2.2). */
  *transferRRsets(): Generator<LoadedRRset> {
    yield this.soa;
    for (const node of this.nodes.values()) {
      for (const rs of node.rrsets.values()) if (rs.type !== TYPE.SOA) yield rs;
    }
  }
}
