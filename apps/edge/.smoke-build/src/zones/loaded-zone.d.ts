/**
 * An immutable, query-ready index of one published snapshot.
 *
 * Built once per publish; never mutated afterwards, so a reader that holds a LoadedZone sees one
 * consistent serial for as long as it needs (a whole AXFR included).
 */
import type { SnapshotContent } from "@dnscove/db";
import type { WireRR } from "../wire/message-builder.js";
export declare class ZoneLoadError extends Error {
}
/** One RRset with its RDATA pre-encoded. */
export interface LoadedRRset {
    owner: string;
    type: number;
    typeName: string;
    ttl: number;
    rdatas: Uint8Array[];
    /** Names whose A/AAAA records belong in the additional section (NS, MX, SRV targets). */
    targets: string[];
}
/** A node of the zone tree. Empty non-terminals (RFC 4592 section 2.2.2) have no RRsets. */
export interface ZoneNode {
    name: string;
    rrsets: Map<number, LoadedRRset>;
}
export declare class LoadedZone {
    readonly origin: string;
    readonly serial: number;
    readonly nodes: ReadonlyMap<string, ZoneNode>;
    /** Names below the apex that own an NS RRset: zone cuts (RFC 1034 section 4.2.1). */
    readonly delegations: ReadonlySet<string>;
    readonly soa: LoadedRRset;
    /** SOA MINIMUM field, for the negative-caching TTL (RFC 2308 section 4). */
    readonly soaMinimum: number;
    readonly rrsetCount: number;
    private constructor();
    /**
     * Indexes a snapshot. Throws ZoneLoadError when the snapshot is unusable (no SOA, a name outside
     * the origin, an unknown type or a record that does not encode); the caller keeps the old zone.
     * The SOA serial is taken from `snapshot.serial` (the published serial is authoritative).
     */
    static fromSnapshot(snapshot: SnapshotContent): LoadedZone;
    /** The highest zone cut at or above `name` (below the apex), if any. */
    delegationFor(name: string): string | undefined;
    rrset(name: string, type: number): LoadedRRset | undefined;
    /** Converts an RRset to writable records, optionally under another owner (wildcard synthesis). */
    static toWire(rs: LoadedRRset, owner?: string, ttl?: number): WireRR[];
    /** The SOA record used in negative answers: TTL = min(SOA TTL, MINIMUM) (RFC 2308 section 5). */
    negativeSoa(): WireRR[];
    /** All RRsets in transfer order: SOA first, then everything else (RFC 5936 section 2.2). */
    transferRRsets(): Generator<LoadedRRset>;
}
