import { type SnapshotContent } from "@dnscove/db";
/**
 * A copy of each served snapshot on local disk, so an edge restarted while the database is
 * unreachable still serves the last published zones.
 */
export interface SnapshotCache {
    save(zoneId: string, content: string): void;
    remove(zoneId: string): void;
    loadAll(): {
        zoneId: string;
        snapshot: SnapshotContent;
    }[];
}
export declare function createSnapshotCache(dir: string): SnapshotCache;
