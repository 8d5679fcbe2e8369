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
import { EDNS_OPTION_EDE, MAX_UDP_PAYLOAD } from "./constants.js";
import { MessageBuilder } from "./message-builder.js";

/** Size of an OPT record without options: root name, type, class, TTL, RDLENGTH. */
const OPT_SIZE = 11;

/** An Extended DNS Error option without EXTRA-TEXT (RFC 8914 section 2). */
function edeOption(infoCode: number): Uint8Array {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(EDNS_OPTION_EDE, 0);
  b.writeUInt16BE(2, 2);
  b.writeUInt16BE(infoCode, 4);
  return b;
}

export function encodeResponse(
  plan: ResponsePlan,
  limit: number,
  reserve = 0,
): { wire: Buffer; truncated: boolean } {
  const header = {
    id: plan.id,
    opcode: plan.opcode,
    aa: plan.aa,
    rd: plan.rd,
    cd: plan.cd,
    rcode: plan.rcode & 0xf,
  };
  const options = plan.edns?.ede === undefined ? undefined : edeOption(plan.edns.ede);
  const optSize = plan.edns ? OPT_SIZE + (options?.length ?? 0) : 0;
  const b = new MessageBuilder(limit - reserve - optSize, header);
  if (plan.question) {
    const q = plan.question;
    b.addQuestion(q.name.wire, q.name.key, q.qtype, q.qclass);
  }
  const questionEnd = b.length;
  let truncated = false;
  for (const rrset of plan.answer) {
    if (!b.addRRset("answer", rrset)) {
      truncated = true;
      break;
    }
  }
  if (!truncated) {
    for (const rrset of plan.authority) {
      if (!b.addRRset("authority", rrset)) {
        truncated = true;
        break;
      }
    }
  }
  if (truncated) {
    b.truncateToQuestion(questionEnd);
    b.setFlags({ ...header, tc: true });
  } else {
    for (const rrset of plan.additional) b.addRRset("additional", rrset);
  }
  if (plan.edns) {
    b.setLimit(limit - reserve);
    b.addOpt(MAX_UDP_PAYLOAD, plan.rcode >> 4, plan.edns.dnssecOk, options);
  }
  return { wire: b.finish(), truncated };
}
