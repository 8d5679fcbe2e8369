import type { DecodedMessage } from "../wire/decode-message.js";
import type { WireRR } from "../wire/message-builder.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { type ResponsePlan } from "./response-plan.js";
/** Builds the plan for everything except zone transfers (AXFR/IXFR go to transfer/). */
export declare function answerQuery(msg: DecodedMessage, zones: ZoneSet): ResponsePlan;
export type { WireRR };
