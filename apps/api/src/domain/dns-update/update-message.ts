/**
 * Reads an RFC 2136 UPDATE message (already decoded and TSIG-verified) into prerequisites and
 * updates in canonical presentation form. Structural problems are FORMERR (RFC 2136 §3.1.1,
 * §3.2, §3.4.1.2); names outside the zone NOTZONE (§3.2.1, §3.4.1.3).
 */

import {
  canonicalRecord,
  RECORD_TYPES,
  type RecordType,
  rdataFromWire,
  TYPE_CODES,
  type WireRecordType,
} from "@dnscove/dns";
import {
  CLASS_ANY,
  CLASS_IN,
  CLASS_NONE,
  type DecodedMessage,
  type DecodedRR,
  Reader,
  TYPE,
} from "@dnscove/edge";

export const UPDATE_RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
} as const;

/** An UPDATE answered with `rcode` and nothing changed; `reason` goes to the log, not the wire. */
export class UpdateRefused extends Error {
  constructor(
    readonly rcode: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The types a zone can hold as data: what clients may write, and the apex SOA. */
const TYPE_NAMES = new Map<number, RecordType | "SOA">(
  [...RECORD_TYPES, "SOA" as const].map((name) => [TYPE_CODES[name], name]),
);
/**
 * DNSSEC records are the signer's (RFC 4035), never a client's to write. DS is delegation data,
 * written like any other record (the same rules as the API's).
 */
const DNSSEC_TYPES = new Set([46, 47, 48, 50, 51, 59, 60]);

export type Prerequisite =
  | { kind: "name-in-use" | "name-not-in-use"; name: string }
  | { kind: "rrset-exists" | "rrset-absent"; name: string; type: WireRecordType }
  | { kind: "rrset-equals"; name: string; type: WireRecordType; records: string[] };

export type Update =
  | { kind: "add"; name: string; type: RecordType; ttl: number; record: string }
  | { kind: "delete-rrset"; name: string; type: WireRecordType }
  | { kind: "delete-name"; name: string }
  | { kind: "delete-record"; name: string; type: WireRecordType; record: string };

export interface UpdateRequest {
  /** The zone section's name: absolute, lowercase, trailing dot. */
  zone: string;
  prerequisites: Prerequisite[];
  updates: Update[];
}

export function readUpdate(msg: DecodedMessage): UpdateRequest {
  // §3.1.1: exactly one zone, of type SOA.
  const zoneRR = msg.questions[0];
  if (msg.questions.length !== 1 || !zoneRR || zoneRR.qtype !== TYPE.SOA) {
    throw new UpdateRefused(UPDATE_RCODE.FORMERR, "the zone section must hold one SOA question");
  }
  if (zoneRR.qclass !== CLASS_IN) throw new UpdateRefused(UPDATE_RCODE.NOTAUTH, "zone class is not IN");
  const zone = zoneRR.name.key;
  const inZone = (rr: DecodedRR) => {
    const name = rr.name.key;
    if (name !== zone && !name.endsWith(`.${zone}`)) {
      throw new UpdateRefused(UPDATE_RCODE.NOTZONE, `${name} is outside ${zone}`);
    }
    return name;
  };
  const prerequisites = msg.answers.flatMap((rr) => readPrerequisite(msg, rr, inZone(rr)) ?? []);
  const updates = msg.authority.map((rr) => readUpdateRR(msg, rr, inZone(rr), zone));
  return { zone, prerequisites, updates };
}

function typeOf(rr: DecodedRR): RecordType | "SOA" {
  const type = TYPE_NAMES.get(rr.type);
  // A type DNSCove does not serve cannot exist in the zone; writing one is refused.
  if (!type) throw new UpdateRefused(UPDATE_RCODE.REFUSED, `type ${rr.type} is not supported`);
  return type;
}

function readPrerequisite(msg: DecodedMessage, rr: DecodedRR, name: string): Prerequisite | null {
  if (rr.ttl !== 0) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "a prerequisite's TTL must be 0");
  if (rr.klass === CLASS_ANY || rr.klass === CLASS_NONE) {
    if (rr.rdlength !== 0) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "prerequisite RDATA must be empty");
    const exists = rr.klass === CLASS_ANY;
    if (rr.type === TYPE.ANY) return { kind: exists ? "name-in-use" : "name-not-in-use", name };
    if (!TYPE_NAMES.has(rr.type)) {
      // A type DNSCove does not serve never exists: "exists" fails (§3.2.1), "absent" holds.
      if (exists) throw new UpdateRefused(UPDATE_RCODE.NXRRSET, `no ${rr.type} rrset at ${name}`);
      return null;
    }
    return { kind: exists ? "rrset-exists" : "rrset-absent", name, type: typeOf(rr) };
  }
  if (rr.klass !== CLASS_IN) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "prerequisite class");
  const type = typeOf(rr);
  return { kind: "rrset-equals", name, type, records: [readRdata(msg, rr, type)] };
}

function readUpdateRR(msg: DecodedMessage, rr: DecodedRR, name: string, zone: string): Update {
  // §3.4.1.2 prescan.
  if (rr.type === TYPE.AXFR || rr.type === TYPE.IXFR || rr.type === 254 || rr.type === TYPE.TSIG) {
    throw new UpdateRefused(UPDATE_RCODE.FORMERR, `type ${rr.type} in the update section`);
  }
  if (DNSSEC_TYPES.has(rr.type)) {
    throw new UpdateRefused(UPDATE_RCODE.REFUSED, "DNSSEC records are managed by DNSCove");
  }
  const apex = name === zone;
  if (apex && (rr.type === TYPE.SOA || rr.type === TYPE.NS)) {
    // §3.4.2.3/§3.4.2.4 give apex SOA and NS special rules; here both are system-managed.
    throw new UpdateRefused(UPDATE_RCODE.REFUSED, "the apex SOA and NS are managed by DNSCove");
  }
  if (rr.klass === CLASS_ANY) {
    if (rr.ttl !== 0 || rr.rdlength !== 0) {
      throw new UpdateRefused(UPDATE_RCODE.FORMERR, "a class ANY update has TTL 0 and no RDATA");
    }
    if (rr.type === TYPE.ANY) return { kind: "delete-name", name };
    return { kind: "delete-rrset", name, type: typeOf(rr) };
  }
  if (rr.type === TYPE.ANY) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "type ANY with RDATA");
  if (rr.klass === CLASS_NONE) {
    if (rr.ttl !== 0) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "a class NONE update has TTL 0");
    const type = typeOf(rr);
    return { kind: "delete-record", name, type, record: readRdata(msg, rr, type) };
  }
  if (rr.klass !== CLASS_IN) throw new UpdateRefused(UPDATE_RCODE.FORMERR, "update class");
  const type = typeOf(rr);
  if (type === "SOA") throw new UpdateRefused(UPDATE_RCODE.REFUSED, "SOA records are managed by DNSCove");
  return { kind: "add", name, type, ttl: rr.ttl, record: readRdata(msg, rr, type) };
}

/**
 * RDATA in canonical presentation form. Senders may compress the names of the RFC 1035 types
 * (RFC 3597 §4), so those are read with the message decoder, which follows pointers.
 */
function readRdata(msg: DecodedMessage, rr: DecodedRR, type: WireRecordType): string {
  const raw = msg.raw;
  const r = new Reader(raw, rr.rdataOffset);
  try {
    switch (type) {
      case "CNAME":
      case "NS":
      case "PTR":
        return canonicalRecord(type, r.name().key);
      case "MX": {
        const preference = r.u16();
        return canonicalRecord(type, `${preference} ${r.name().key}`);
      }
      default:
        return rdataFromWire(type, raw.subarray(rr.rdataOffset, rr.rdataOffset + rr.rdlength));
    }
  } catch {
    throw new UpdateRefused(UPDATE_RCODE.FORMERR, `malformed ${type} RDATA`);
  }
}
