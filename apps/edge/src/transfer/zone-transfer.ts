/**
 * Outgoing zone transfers as a hidden primary.
 *
 * - AXFR (RFC 5936) over TCP only: SOA first and last, the records split over messages of at most
 *   ~16 KB (a single record larger than that gets a message of its own, up to 65535 octets). The
 *   question is in the first message only (RFC 5936 section 2.2.1 allows empty later ones).
 * - IXFR (RFC 1995) over TCP, for a client at serial C behind the served serial S: the condensed
 *   difference C → S from the change journal (ixfr-difference.ts, zone-history.ts), split over
 *   messages like AXFR. The whole zone in AXFR form instead (RFC 1995 section 4 allows it) when the
 *   journal no longer reaches back to C (C < history_from), when C is not older than S in plain
 *   numbers (RFC 1982 wrap-around: the journal is keyed by plain serials), when the database cannot
 *   be read, or when the difference would be bigger than the zone (more journal rows than the zone
 *   has rrsets, counted before reading them, or more records than the zone holds). A client
 *   that is up to date (C ≥ S in RFC 1982 arithmetic) gets the current SOA alone (RFC 1995 section
 *   2). Over UDP the answer is the current SOA alone, so the client retries over TCP (RFC 1995
 *   section 2).
 * - The journal read is asynchronous; the difference is built synchronously afterwards against the
 *   same LoadedZone, and only if it still serves S (the sync may apply a newer serial meanwhile:
 *   then the read is redone once, and after that the current zone goes out in AXFR form).
 * - AXFR over UDP is not defined (RFC 5936 section 4.2); it is answered NOTIMP, whatever the name,
 *   as Knot and NSD do.
 * - CD is clear in every response (an authoritative server SHOULD clear it, RFC 4035 section
 *   3.1.6) and the OPT record echoes DO (RFC 3225 section 3).
 * - A signed zone's DNSSEC records go out like any other; each RRSIG with its original-TTL field
 *   as TTL (LoadedZone.toWire, ixfr-difference.ts; RFC 4035 section 2.2).
 * - Access: the zone must be hosted with exactly this origin (else NOTAUTH), the source address must
 *   be allowed and, if required, the request must carry a valid TSIG (else REFUSED).
 */
import { CLASS_ANY, CLASS_IN, RCODE, TYPE } from "../wire/constants.js";
import { type DecodedMessage, type DecodedQuestion, soaSerialOf } from "../wire/decode-message.js";
import { type HeaderFields, MessageBuilder, type WireRR } from "../wire/message-builder.js";
import type { LoadedZone } from "../zones/loaded-zone.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { ixfrDifference } from "./ixfr-difference.js";
import type { ZoneHistory } from "./zone-history.js";

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

/** How one transfer request was answered (logged by the request handler; tests read it). */
export interface TransferReport {
  zone: string;
  qtype: "AXFR" | "IXFR";
  /** The serial answered with. */
  serial: number;
  /** IXFR: the client's serial. */
  clientSerial?: number;
  /** difference: RFC 1995 incremental; axfr: the whole zone; soa: the current SOA alone. */
  form: "difference" | "axfr" | "soa";
  /** Why an IXFR got the whole zone. */
  fallback?: string;
  deleted?: number;
  added?: number;
  messages: number;
}

const HALF_SERIAL_SPACE = 0x80000000;

/**
 * The response messages to an AXFR or IXFR request: at once, or (an IXFR answered from the journal)
 * once the journal is read. `history` absent: every IXFR of a client behind gets the AXFR form.
 */
export function transferResponses(
  req: TransferRequest,
  zones: ZoneSet,
  history?: ZoneHistory,
  report?: (r: TransferReport) => void,
): Buffer[] | Promise<Buffer[]> {
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
  const qtype = q.qtype === TYPE.IXFR ? "IXFR" : "AXFR";

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

  /** Records split over messages of about AXFR_MESSAGE_SIZE (RFC 5936 section 2.2). */
  const split = (records: Iterable<WireRR>): Buffer[] => {
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
    for (const rr of records) {
      b.setLimit(soft);
      if (b.addRRset("answer", [rr])) continue;
      if (b.count("answer") > 0) {
        finish(b);
        b = fresh(false);
        if (b.addRRset("answer", [rr])) continue;
      }
      b.setLimit(hard);
      if (!b.addRRset("answer", [rr])) throw new Error("record too large for a DNS message");
    }
    finish(b);
    return out;
  };

  /** The whole zone, AXFR format (also an IXFR answer, RFC 1995 section 4). */
  const whole = (zone: LoadedZone, clientSerial?: number, fallback?: string): Buffer[] => {
    const messages = split(
      (function* () {
        for (const { owner, ref } of zone.transferRRsets()) yield* zone.toWire(ref, owner);
        yield* zone.toWire(zone.soa, zone.origin);
      })(),
    );
    report?.({
      zone: zone.origin,
      qtype,
      serial: zone.serial,
      ...(clientSerial !== undefined ? { clientSerial } : {}),
      form: "axfr",
      ...(fallback ? { fallback } : {}),
      messages: messages.length,
    });
    return messages;
  };

  const upToDate = (zone: LoadedZone, clientSerial: number | undefined): Buffer[] => {
    report?.({
      zone: zone.origin,
      qtype,
      serial: zone.serial,
      ...(clientSerial !== undefined ? { clientSerial } : {}),
      form: "soa",
      messages: 1,
    });
    return single(RCODE.NOERROR, { aa: true, soa: zone });
  };

  if (msg.edns && msg.edns.version > 0) {
    const b = new MessageBuilder(512, { ...header, aa: false, rcode: 0 });
    b.addQuestion(q.name.wire, q.name.key, q.qtype, q.qclass);
    b.addOpt(1232, RCODE.BADVERS >> 4, false);
    return [b.finish()];
  }
  if (q.qtype === TYPE.AXFR && req.transport === "udp") return single(RCODE.NOTIMP);
  if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return single(RCODE.REFUSED);
  const found = zones.findEntryForName(q.name.key);
  if (!found || found.zone.origin !== q.name.key) return single(RCODE.NOTAUTH);
  if (!req.addressAllowed || (req.requireTsig && !req.tsigValid)) return single(RCODE.REFUSED);
  if (q.qtype !== TYPE.IXFR) return whole(found.zone);

  const soaRR = msg.authority.find((rr) => rr.type === TYPE.SOA);
  const clientSerial = soaRR ? soaSerialOf(msg, soaRR) : undefined;
  if (clientSerial !== undefined && serialAtLeast(clientSerial, found.zone.serial))
    return upToDate(found.zone, clientSerial);
  if (req.transport === "udp") return upToDate(found.zone, clientSerial);
  if (clientSerial === undefined) return whole(found.zone, undefined, "no client serial");
  if (!history) return whole(found.zone, clientSerial, "no history");
  const from = clientSerial;

  /** The difference from `from` to whatever is served once the journal is read (see the header). */
  const incremental = async (): Promise<Buffer[]> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const entry = zones.findEntryForName(q.name.key);
      if (!entry || entry.zone.origin !== q.name.key) return single(RCODE.NOTAUTH);
      const zone = entry.zone;
      const to = zone.serial;
      if (serialAtLeast(from, to)) return upToDate(zone, from);
      // The journal is keyed by plain serials: a wrap-around between C and S goes out whole.
      if (!(from < to && to - from < HALF_SERIAL_SPACE)) return whole(zone, from, "serial wrapped");
      let entries: Awaited<ReturnType<ZoneHistory["diff"]>>;
      try {
        // One journal row is one rrset changed (≥ 1 record): more rows than the zone has rrsets
        // make a difference bigger than the zone.
        entries = await history.diff(entry.zoneId, from, to, zone.rrsetCount);
      } catch {
        const now = zones.findEntryForName(q.name.key);
        if (!now || now.zone.origin !== q.name.key) return single(RCODE.NOTAUTH);
        return whole(now.zone, from, "history unreadable");
      }
      const now = zones.findEntryForName(q.name.key);
      if (now?.zone !== zone || zone.serial !== to) continue;
      if (entries === null) return whole(zone, from, "history does not reach back");
      if (entries === "too-big") return whole(zone, from, "difference bigger than the zone");
      let diff: ReturnType<typeof ixfrDifference>;
      try {
        diff = ixfrDifference(zone, from, entries);
      } catch {
        return whole(zone, from, "journal record not encodable");
      }
      if (!diff) return whole(zone, from, "difference bigger than the zone");
      const messages = split(diff.records);
      report?.({
        zone: zone.origin,
        qtype,
        serial: to,
        clientSerial: from,
        form: "difference",
        deleted: diff.deleted,
        added: diff.added,
        messages: messages.length,
      });
      return messages;
    }
    const now = zones.findEntryForName(q.name.key);
    if (!now || now.zone.origin !== q.name.key) return single(RCODE.NOTAUTH);
    return whole(now.zone, from, "served serial moved during the read");
  };
  return incremental();
}
