import { type Db } from "@dnscove/db";
import type { Logger } from "pino";
import type { ZoneSet } from "../zones/zone-set.js";
import type { SnapshotCache } from "./snapshot-cache.js";
export interface SnapshotSyncOptions {
    db: Db;
    zones: ZoneSet;
    /** This edge's id in `edge_nodes`, and the address it serves on (for operators). */
    edgeId: string;
    address: string;
    pollIntervalMs: number;
    logger: Logger;
    cache?: SnapshotCache;
    /** Called after a zone starts serving a new serial (to send NOTIFY) or stops being served. */
    onServed?(zoneId: string, origin: string, serial: number): void;
    onRemoved?(zoneId: string): void;
}
export interface SnapshotSync {
    /** Loads whatever was published since the last look; resolves when the edge serves it. */
    refresh(): Promise<void>;
    stop(): Promise<void>;
}
/**
 * Keeps a ZoneSet equal to the published snapshots in the database: polls the zones' published
 * serials, loads snapshots that changed, drops zones that are gone, and records in
 * `edge_zone_serials` which serial it now serves. While the database is unreachable it keeps
 * serving what it has.
 */
export declare function startSnapshotSync(options: SnapshotSyncOptions): Promise<SnapshotSync>;
