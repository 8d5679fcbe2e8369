/** A hand-written snapshot covering every record type and the tricky lookup cases. */
import type { SnapshotContent } from "@dnscove/db";
export declare function fixtureZone(origin?: string, serial?: number): SnapshotContent;
