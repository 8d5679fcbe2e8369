import { RCODE } from "../wire/constants.js";
import type { DecodedMessage, DecodedTsig } from "../wire/decode-message.js";
export interface TsigKey {
    name: string;
    algorithm: "hmac-sha256";
    /** Base64 secret. */
    secret: string;
}
export declare const HMAC_SHA256 = "hmac-sha256.";
/** Allowed clock difference in seconds (RFC 8945 section 10 recommends 300). */
export declare const FUDGE = 300;
export interface ResolvedKey {
    name: string;
    secret: Buffer;
}
export declare class TsigKeyring {
    private readonly keys;
    constructor(keys: readonly TsigKey[]);
    get(name: string): ResolvedKey | undefined;
    get size(): number;
}
export declare function resolveKey(k: TsigKey): ResolvedKey;
export type TsigCheck = {
    ok: true;
    key: ResolvedKey;
    requestMac: Uint8Array;
    tsig: DecodedTsig;
} | {
    ok: false;
    error: number;
    tsig: DecodedTsig;
    key?: ResolvedKey;
    requestMac?: Uint8Array;
};
/** Verifies the TSIG of a request (RFC 8945 section 5.2), in the order key, MAC, time. */
export declare function verifyRequest(msg: DecodedMessage, keyring: TsigKeyring, nowSeconds: number): TsigCheck;
export interface SignOptions {
    key: ResolvedKey;
    /** Request MAC (first response) or previous message MAC (later messages of one transfer). */
    prior?: Uint8Array;
    /** Later messages of a multi-message response digest only the timers (RFC 8945 section 5.3.1). */
    timersOnly?: boolean;
    time: number;
    originalId?: number;
    error?: number;
    otherData?: Uint8Array;
    /** Produce a TSIG without MAC (BADKEY / BADSIG answers, RFC 8945 section 5.3.2). */
    unsigned?: boolean;
}
/** Builds the TSIG RR and appends it to `wire` (which must not contain one), bumping ARCOUNT. */
export declare function appendTsig(wire: Buffer, o: SignOptions): {
    wire: Buffer;
    mac: Uint8Array;
};
/** Octets to keep free for a TSIG record signed with `keyName`. */
export declare function tsigReserve(keyName: string): number;
/** Verifies a signed response to our own signed request (used by sendNotify). */
export declare function verifyResponse(msg: DecodedMessage, key: ResolvedKey, requestMac: Uint8Array): boolean;
export { RCODE };
