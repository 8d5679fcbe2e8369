import type { Db } from "@dnscove/db";
import type { Logger } from "pino";
import type { TsigKey } from "../transfer/tsig.js";
export interface Secondary {
    host: string;
    port: number;
    /** TSIG key to sign NOTIFY with (the secondary then transfers with it). */
    tsigKey?: TsigKey;
}
export interface SecondaryTracker {
    /** NOTIFY every secondary of the zone's new serial and record when each serves it. */
    served(zoneId: string, origin: string, serial: number): void;
    removed(zoneId: string): Promise<void>;
}
/**
 * Sends NOTIFY (RFC 1996) on every publish and then watches each secondary's SOA until it serves
 * the serial (or `watchMs` passes), recording it in `edge_zone_serials` for the servers view.
 */
export declare function createSecondaryTracker(db: Db, secondaries: Secondary[], logger: Logger, watchMs?: number): SecondaryTracker;
