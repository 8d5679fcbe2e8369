import { MAX_UDP_PAYLOAD } from "./constants.js";
import { MessageBuilder } from "./message-builder.js";
/** Size of an OPT record without options: root name, type, class, TTL, RDLENGTH. */
const OPT_SIZE = 11;
export function encodeResponse(plan, limit, reserve = 0) {
    const header = {
        id: plan.id,
        opcode: plan.opcode,
        aa: plan.aa,
        rd: plan.rd,
        cd: plan.cd,
        rcode: plan.rcode & 0xf,
    };
    const b = new MessageBuilder(limit - reserve - (plan.edns ? OPT_SIZE : 0), header);
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
    }
    else {
        for (const rrset of plan.additional)
            b.addRRset("additional", rrset);
    }
    if (plan.edns) {
        b.setLimit(limit - reserve);
        b.addOpt(MAX_UDP_PAYLOAD, plan.rcode >> 4, plan.edns.dnssecOk);
    }
    return { wire: b.finish(), truncated };
}
//# sourceMappingURL=encode-response.js.map