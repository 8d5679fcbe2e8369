import { type TsigKey } from "./tsig.js";
export interface NotifyTarget {
    host: string;
    port: number;
    tsigKey?: TsigKey;
}
export interface NotifyOptions {
    /** SOA to include in the answer section: canonical RDATA (its serial is replaced by `serial`). */
    soa?: {
        record: string;
        ttl: number;
    };
    /** Number of transmissions within timeoutMs (default 3, evenly spaced). */
    attempts?: number;
}
export declare function buildNotify(id: number, origin: string, serial: number, soa?: NotifyOptions["soa"]): Buffer;
export declare function sendNotify(target: NotifyTarget, origin: string, serial: number, timeoutMs: number, options?: NotifyOptions): Promise<boolean>;
