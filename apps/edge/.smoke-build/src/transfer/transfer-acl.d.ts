import type { TsigKey } from "./tsig.js";
export interface TransferPolicy {
    /** IP addresses or CIDR prefixes ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"). */
    allow: string[];
    tsigKeys: TsigKey[];
    /** When true, a transfer also needs a valid TSIG signature with one of `tsigKeys`. */
    requireTsig: boolean;
}
/** "::ffff:1.2.3.4" (an IPv4 client on a dual-stack socket) -> "1.2.3.4". */
export declare function normalizeAddress(address: string): string;
export declare class TransferAcl {
    private readonly list;
    constructor(allow: readonly string[]);
    allows(address: string): boolean;
}
