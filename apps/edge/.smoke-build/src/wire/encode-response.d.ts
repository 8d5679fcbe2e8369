/**
 * Encodes a ResponsePlan within a size limit.
 *
 * Truncation (RFC 1035 section 4.2.1, RFC 2181 section 9): if any answer or authority RRset does
 * not fit, the response is cut back to header + question (+ OPT) with TC set, and the client
 * retries over TCP. Additional-section RRsets that do not fit are simply left out, without TC.
 * The OPT record is always kept (RFC 6891 section 7), and `reserve` octets are kept free for a
 * TSIG record appended afterwards.
 */
import type { ResponsePlan } from "../resolver/response-plan.js";
export declare function encodeResponse(plan: ResponsePlan, limit: number, reserve?: number): {
    wire: Buffer;
    truncated: boolean;
};
