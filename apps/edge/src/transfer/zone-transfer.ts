/**
 * Outgoing zone transfers as a hidden primary.
 *
 * - AXFR (RFC 5936) over TCP only: SOA first and last, the records split over messages of at most
 *   ~16 KB (a single record larger than that gets a message of its own, up to 65535 octets). The
 *   question is in the first message only (RFC 5936 section 2.2.1 allows empty later ones).
 * - IXFR (RFC 1995): no history is kept, so a client that is behind gets the whole zone in AXFR
 *   form, which RFC 1995 section 4 allows. A client that is up to date gets the current SOA alone.
 *   Over UDP the answer is the current SOA alone, so the client retries over TCP (RFC 1995 section 2).
 * - AXFR over UDP is not defined (RFC 5936 section 4.2); it is answered NOTIMP, whatever the name,
 *   as Knot and NSD do.
 * - CD is clear in every response (the edge is not security-aware, RFC 4035 section 3.1.6) and the
 *   OPT record echoes DO (RFC 3225 section 3).
 * - Access: the zone must be hosted with exactly this origin (else NOTAUTH), the source address must
 *   be allowed and, if required, the request must carry a valid TSIG (else REFUSED).
 */
import { CLASS_ANY, CLASS_IN, RCODE, TYPE } from "../wire/constants.js";
import { type DecodedMessage, type DecodedQuestion, soaSerialOf } from "../wire/decode-message.js";
import { type HeaderFields, MessageBuilder, type WireRR } from "../wire/message-builder.js";
import type { LoadedZone } from "../zones/loaded-zone.js";
import type { ZoneSet } from "../zones/zone-set.js";

/** Target size of one AXFR message. */
export const AXFR_MESSAGE_SIZE = 16_384;
const OPT_SIZE = 11;

/** RFC 1982 serial arithmetic: true when a >= b. */
export function serialAtLeast(a: number, b: number): boolean {
  return a === b || (a - b) >>> 0 < 0x80000000;
}

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

export function transferResponses(req: TransferRequest, zones: ZoneSet): Buffer[] {
  const { msg, question: q } = req;
  const edns = msg.edns !== undefined;
  const header: HeaderFields = {
    id: msg.header.id,
    opcode: msg.header.opcode,
    aa: true,
    rcode: RCODE.NOERROR,
    // RD is copied into the response (RFC 1035 section 4.1.1).
    rd: msg.header.rd,
    cd: false,
  };
  const dnssecOk = msg.edns?.dnssecOk ?? false;
  const hard = 65535 - req.reserve - (edns ? OPT_SIZE : 0);

  const single = (rcode: number, opts: { aa?: boolean; tc?: boolean; soa?: LoadedZone } = {}): Buffer[] => {
    const limit = req.transport === "tcp" ? 65535 : 512;
    const b = new MessageBuilder(limit - req.reserve - (edns ? OPT_SIZE : 0), {
      ...header,
      aa: opts.aa ?? false,
      tc: opts.tc ?? false,
      rcode,
    });
    b.addQuestion(q.name.wire, q.name.key, q.qtype, q.qclass);
    if (opts.soa) b.addRRset("answer", opts.soa.packed(opts.soa.soa, opts.soa.origin));
    if (edns) {
      b.setLimit(limit - req.reserve);
      b.addOpt(1232, 0, dnssecOk);
    }
    return [b.finish()];
  };

  if (msg.edns && msg.edns.version > 0) {
    const b = new MessageBuilder(512, { ...header, aa: false, rcode: 0 });
    b.addQuestion(q.name.wire, q.name.key, q.qtype, q.qclass);
    b.addOpt(1232, RCODE.BADVERS >> 4, false);
    return [b.finish()];
  }
  if (q.qtype === TYPE.AXFR && req.transport === "udp") return single(RCODE.NOTIMP);
  if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return single(RCODE.REFUSED);
  const zone = zones.findForName(q.name.key);
  if (!zone || zone.origin !== q.name.key) return single(RCODE.NOTAUTH);
  if (!req.addressAllowed || (req.requireTsig && !req.tsigValid)) return single(RCODE.REFUSED);

  if (q.qtype === TYPE.IXFR) {
    const soaRR = msg.authority.find((rr) => rr.type === TYPE.SOA);
    const clientSerial = soaRR ? soaSerialOf(msg, soaRR) : undefined;
    if (clientSerial !== undefined && serialAtLeast(clientSerial, zone.serial))
      return single(RCODE.NOERROR, { aa: true, soa: zone });
    if (req.transport === "udp") return single(RCODE.NOERROR, { aa: true, soa: zone });
  }

  // Full zone, AXFR format (also used for IXFR, RFC 1995 section 4).
  const out: Buffer[] = [];
  const soft = AXFR_MESSAGE_SIZE - req.reserve - (edns ? OPT_SIZE : 0);
  const fresh = (first: boolean): MessageBuilder => {
    const b = new MessageBuilder(soft, header);
    if (first) b.addQuestion(q.name.wire, q.name.key, q.qtype, q.qclass);
    return b;
  };
  const finish = (b: MessageBuilder): void => {
    if (edns) {
      b.setLimit(65535);
      b.addOpt(1232, 0, dnssecOk);
    }
    out.push(b.finish());
  };
  let b = fresh(true);
  const emit = (rr: WireRR): void => {
    b.setLimit(soft);
    if (b.addRRset("answer", [rr])) return;
    if (b.count("answer") > 0) {
      finish(b);
      b = fresh(false);
      if (b.addRRset("answer", [rr])) return;
    }
    b.setLimit(hard);
    if (!b.addRRset("answer", [rr])) throw new Error("record too large for a DNS message");
  };
  for (const { owner, ref } of zone.transferRRsets()) for (const rr of zone.toWire(ref, owner)) emit(rr);
  for (const rr of zone.toWire(zone.soa, zone.origin)) emit(rr);
  finish(b);
  return out;
}
