/**
 * The set of zones an edge serves, keyed by zone id and by origin.
 *
 * Swaps are atomic: `put` builds the complete LoadedZone first and only then replaces the old one
 * with a single Map assignment. Query handling is synchronous and takes one LoadedZone reference,
 * so every answer (and every AXFR, which keeps its reference) comes from exactly one serial.
 */
import type { SnapshotContent } from "@dnscove/db";
import { LoadedZone } from "./loaded-zone.js";
export declare class ZoneSet {
    private readonly byId;
    private readonly byOrigin;
    /** Loads (or replaces) a zone. Throws ZoneLoadError and keeps the old content if the snapshot is bad. */
    put(zoneId: string, snapshot: SnapshotContent): LoadedZone;
    remove(zoneId: string): void;
    get(zoneId: string): LoadedZone | undefined;
    serialOf(zoneId: string): number | undefined;
    zoneIds(): string[];
    /** The zone whose origin is the longest suffix of `qname` (case-insensitive), if any. */
    findForName(qname: string): LoadedZone | undefined;
    findEntryForName(qname: string): {
        zoneId: string;
        zone: LoadedZone;
    } | undefined;
}
