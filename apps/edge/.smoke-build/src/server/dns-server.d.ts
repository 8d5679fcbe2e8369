import type { TransferPolicy } from "../transfer/transfer-acl.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { type NotifyAck } from "./handle-request.js";
/** The subset of a pino logger the server uses. */
export interface EdgeLogger {
    debug(obj: object, msg?: string): void;
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
}
export interface DnsServerOptions {
    host: string;
    /** 0 picks a free port, the same number for UDP and TCP. */
    port: number;
    zones: ZoneSet;
    transfer: TransferPolicy;
    logger: EdgeLogger;
    onNotifyAck?: (ack: NotifyAck) => void;
    tcpIdleTimeoutMs?: number;
    maxTcpConnections?: number;
}
export interface RunningDnsServer {
    port: number;
    close(): Promise<void>;
}
export declare function startDnsServer(opts: DnsServerOptions): Promise<RunningDnsServer>;
export type { NotifyAck };
