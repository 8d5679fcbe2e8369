import { type DecodedMessage, type DecodedQuestion } from "../wire/decode-message.js";
import type { ZoneSet } from "../zones/zone-set.js";
/** Target size of one AXFR message. */
export declare const AXFR_MESSAGE_SIZE = 16384;
/** RFC 1982 serial arithmetic: true when a >= b. */
export declare function serialAtLeast(a: number, b: number): boolean;
export interface TransferRequest {
    msg: DecodedMessage;
    question: DecodedQuestion;
    transport: "udp" | "tcp";
    addressAllowed: boolean;
    tsigValid: boolean;
    requireTsig: boolean;
    /** Octets to leave free in each message for the TSIG record. */
    reserve: number;
}
export declare function transferResponses(req: TransferRequest, zones: ZoneSet): Buffer[];
