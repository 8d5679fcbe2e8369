/**
 * Turns records read off the wire into the canonical presentation strings @dnscove/dns produces
 * for our own records, so "ours" and "theirs" compare as exact string sets whatever server
 * software, case or name compression each side used.
 */
import { rdataFromWire, TYPE_CODES, type WireRecordType } from "@dnscove/dns";
import { rcodeName, type WireMessage, type WireRecord } from "./read-message.js";

const CLASS_IN = 1;
const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_SOA = 6;

const NAMES_BY_CODE = new Map<number, WireRecordType>(
  Object.entries(TYPE_CODES).map(([name, code]) => [code, name as WireRecordType]),
);

/** "AAAA" -> 28; RFC 3597 section 5 "TYPE123" -> 123; anything else throws. */
export function typeCode(type: string): number {
  const known = (TYPE_CODES as Readonly<Record<string, number>>)[type];
  if (known !== undefined) return known;
  const generic = /^TYPE([0-9]{1,5})$/.exec(type);
  if (generic && Number(generic[1]) <= 0xffff) return Number(generic[1]);
  throw new Error(`unsupported record type ${type}`);
}

export function typeName(code: number): string {
  return NAMES_BY_CODE.get(code) ?? `TYPE${code}`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Canonical presentation of one record's RDATA: @dnscove/dns's form for the types it knows, the
 * RFC 3597 section 5 generic form (\# length hex) for the rest and for RDATA it rejects.
 */
export function canonicalRdata(record: Pick<WireRecord, "type" | "rdata">): string {
  const name = NAMES_BY_CODE.get(record.type);
  if (name !== undefined) {
    try {
      return rdataFromWire(name, record.rdata);
    } catch {
      // Invalid for its type: still comparable, byte for byte.
    }
  }
  return record.rdata.length === 0 ? "\\# 0" : `\\# ${record.rdata.length} ${hex(record.rdata)}`;
}

/** Lowercase absolute name with a trailing dot, for comparisons with WireRecord names. */
export function absoluteName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function isReferral(message: WireMessage): boolean {
  return (
    message.answers.length === 0 &&
    message.authorities.some((r) => r.type === TYPE_NS) &&
    !message.authorities.some((r) => r.type === TYPE_SOA)
  );
}

export interface RrsetAnswer {
  /** Sorted canonical RDATA; a CNAME found instead of the asked type shows as "CNAME <target>". */
  records: string[];
  /** Lowest TTL among the records (RFC 2181 section 5.2 says they are equal); undefined when none. */
  ttl: number | undefined;
  /** Where the records came from. */
  via: "answer" | "referral" | "cname" | "none";
  rcode: string;
}

/**
 * The rrset (name, type) as one authoritative response presents it. A non-recursive question at
 * or below a zone cut is answered with a referral (RFC 1034 section 4.3.2, step 3b): the NS set
 * of the cut is then in the authority section and its glue in the additional section, so both
 * are read from there.
 */
export function rrsetFromResponse(message: WireMessage, name: string, type: number): RrsetAnswer {
  const owner = absoluteName(name);
  const rcode = rcodeName(message.rcode);
  const pick = (records: WireRecord[]) =>
    records.filter((r) => r.name === owner && r.type === type && r.class === CLASS_IN);
  const summarise = (records: WireRecord[], via: RrsetAnswer["via"]): RrsetAnswer => ({
    records: sortedUnique(records.map(canonicalRdata)),
    ttl: Math.min(...records.map((r) => r.ttl)),
    via,
    rcode,
  });
  const inAnswer = pick(message.answers);
  if (inAnswer.length > 0) return summarise(inAnswer, "answer");
  if (isReferral(message)) {
    const fromReferral = type === TYPE_NS ? pick(message.authorities) : pick(message.additionals);
    if (fromReferral.length > 0) return summarise(fromReferral, "referral");
  }
  if (type !== TYPE_CNAME) {
    const cname = message.answers.filter((r) => r.name === owner && r.type === TYPE_CNAME);
    if (cname.length > 0) {
      return {
        records: sortedUnique(cname.map((r) => `CNAME ${canonicalRdata(r)}`)),
        ttl: undefined,
        via: "cname",
        rcode,
      };
    }
  }
  return { records: [], ttl: undefined, via: "none", rcode };
}

/**
 * Whole-answer description for probe questions (a random name, a name under a wildcard): the
 * rcode, then every answer record as "owner TYPE rdata", sorted. The authority section is left
 * out: its SOA differs between providers by design.
 */
export function describeAnswer(message: WireMessage): string[] {
  const lines = message.answers
    .filter((r) => r.class === CLASS_IN)
    .map((r) => `${r.name} ${typeName(r.type)} ${canonicalRdata(r)}`);
  return [rcodeName(message.rcode), ...sortedUnique(lines)];
}

/** The NS names (canonical, trailing dot) of records owned by `owner`. */
export function nsTargets(records: WireRecord[], owner: string): string[] {
  const name = absoluteName(owner);
  return sortedUnique(
    records.filter((r) => r.type === TYPE_NS && r.name === name && r.class === CLASS_IN).map(canonicalRdata),
  );
}
