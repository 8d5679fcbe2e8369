import { type TransferPolicy } from "../transfer/transfer-acl.js";
import { FUDGE } from "../transfer/tsig.js";
import type { ZoneSet } from "../zones/zone-set.js";
export interface RequestContext {
    transport: "udp" | "tcp";
    address: string;
    port: number;
}
/** Reported when a NOTIFY response (QR=1, opcode NOTIFY) arrives at the server's own sockets. */
export interface NotifyAck {
    id: number;
    zone: string | undefined;
    rcode: number;
    address: string;
    port: number;
}
export interface RequestHandlerOptions {
    zones: ZoneSet;
    transfer: TransferPolicy;
    /** Seconds since the epoch; injectable for tests. */
    now?: () => number;
    onNotifyAck?: (ack: NotifyAck) => void;
}
export declare class RequestHandler {
    private readonly opts;
    private readonly acl;
    private readonly keyring;
    private readonly now;
    constructor(opts: RequestHandlerOptions);
    handle(buf: Uint8Array, ctx: RequestContext): Buffer[];
}
export { FUDGE };
