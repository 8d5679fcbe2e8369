/** Record-level API: canonical presentation for one record or an rrset, and wire conversion. */
import type { RdataCodec } from "./codec.js";
import { DnsInputError, type DnsRecordIssue, DnsRecordsError } from "./errors.js";
import { isRecordType, type RecordType, TYPE_CODES, type WireRecordType } from "./record-types.js";
import { A, AAAA } from "./types/address.js";
import { CAA } from "./types/caa.js";
import { DS, SSHFP, TLSA } from "./types/digest.js";
import { DNSKEY, NSEC, NSEC3, NSEC3PARAM, RRSIG } from "./types/dnssec.js";
import { CNAME, NS, PTR } from "./types/hostname.js";
import { MX, SRV } from "./types/mx-srv.js";
import { NAPTR } from "./types/naptr.js";
import { SOA } from "./types/soa.js";
import { HTTPS, SVCB } from "./types/svcb.js";
import { SPF, TXT } from "./types/txt.js";
import { MAX_RDATA_OCTETS, WireReader, WireWriter } from "./wire.js";

/** The codec of one type with its value type erased. */
interface TypeHandler {
  /** Presentation -> [canonical presentation, wire]. */
  canonical(text: string): { text: string; wire: Uint8Array };
  /** Like `canonical`, but only the RDATA length, without copying the wire octets out. */
  canonicalWithSize(text: string): { text: string; octets: number };
  fromWire(wire: Uint8Array): string;
}

/**
 * One writer for every record: `codec.write` never re-enters `write` (SVCB builds its parameters in
 * its own writer), and `finish` copies, so reusing the buffer saves an allocation and its growth per
 * record.
 */
const writer = new WireWriter();

/** Writes `value` into the shared writer and checks its length; the caller copies or measures. */
function write<T>(codec: RdataCodec<T>, value: T): WireWriter {
  const w = writer.reset();
  codec.write(w, value);
  if (w.length > MAX_RDATA_OCTETS) throw new DnsInputError("record data longer than 65535 octets");
  return w;
}

function handler<T>(codec: RdataCodec<T>): TypeHandler {
  const canonical = (text: string) => {
    if (typeof text !== "string") throw new DnsInputError("record must be a string");
    const value = codec.parse(text);
    return { text: codec.format(value), wire: write(codec, value).finish() };
  };
  return {
    canonical,
    canonicalWithSize(text) {
      if (typeof text !== "string") throw new DnsInputError("record must be a string");
      const value = codec.parse(text);
      return { text: codec.format(value), octets: write(codec, value).length };
    },
    fromWire(wire) {
      if (!(wire instanceof Uint8Array)) throw new DnsInputError("RDATA must be a Uint8Array");
      if (wire.length > MAX_RDATA_OCTETS) throw new DnsInputError("record data longer than 65535 octets");
      const r = new WireReader(wire);
      const value = codec.read(r);
      r.expectEnd();
      // Re-parse what we print, so wire input gets exactly the validation presentation input gets.
      return canonical(codec.format(value)).text;
    },
  };
}

const HANDLERS: Record<WireRecordType, TypeHandler> = {
  A: handler(A),
  AAAA: handler(AAAA),
  CAA: handler(CAA),
  CDNSKEY: handler(DNSKEY),
  CDS: handler(DS),
  CNAME: handler(CNAME),
  DNSKEY: handler(DNSKEY),
  DS: handler(DS),
  HTTPS: handler(HTTPS),
  MX: handler(MX),
  NAPTR: handler(NAPTR),
  NS: handler(NS),
  NSEC: handler(NSEC),
  NSEC3: handler(NSEC3),
  NSEC3PARAM: handler(NSEC3PARAM),
  PTR: handler(PTR),
  RRSIG: handler(RRSIG),
  SOA: handler(SOA),
  SPF: handler(SPF),
  SRV: handler(SRV),
  SSHFP: handler(SSHFP),
  SVCB: handler(SVCB),
  TLSA: handler(TLSA),
  TXT: handler(TXT),
};

/** `wireOnly`: the system types (SOA, DNSSEC) too, which clients cannot write. */
function handlerFor(type: string, wireOnly: boolean): TypeHandler {
  if (isRecordType(type) || (wireOnly && Object.hasOwn(TYPE_CODES, type)))
    return HANDLERS[type as WireRecordType];
  throw new DnsInputError(`unsupported record type ${String(type)}`);
}

/** Parse one record's presentation-format RDATA and return its canonical presentation form. */
export function canonicalRecord(type: RecordType, rdata: string): string {
  return handlerFor(type, false).canonical(rdata).text;
}

/**
 * Canonicalise every record of an rrset and return them sorted by canonical string (plain code-unit
 * order, which is byte order since canonical forms are ASCII). An empty list returns []. Collects
 * an issue for every bad record, for every exact duplicate (on the later index), and for every
 * record after the first of a CNAME rrset (RFC 2181 section 10.1: a CNAME rrset holds one record).
 */
export function canonicalRecords(type: RecordType, records: readonly string[]): string[] {
  return canonicalRecordsWithSize(type, records).records;
}

/**
 * `canonicalRecords` plus the summed length of the kept records' RDATA in wire format, from the one
 * parse (the API's one-message size check, RFC 1035 section 4.2.2, needs it; parsing the canonical
 * text again through `rdataToWire` would double the cost of a large rrset).
 */
export function canonicalRecordsWithSize(
  type: RecordType,
  records: readonly string[],
): { records: string[]; rdataOctets: number } {
  const h = handlerFor(type, false);
  const issues: DnsRecordIssue[] = [];
  const seen = new Map<string, number>();
  const out: string[] = [];
  let rdataOctets = 0;
  records.forEach((record, index) => {
    let canonical: { text: string; octets: number };
    try {
      canonical = h.canonicalWithSize(record);
    } catch (e) {
      if (e instanceof DnsInputError) {
        issues.push({ index, message: e.message });
        return;
      }
      throw e;
    }
    const text = canonical.text;
    const first = seen.get(text);
    if (first !== undefined) {
      issues.push({ index, message: `duplicate of records[${first}]` });
      return;
    }
    if (type === "CNAME" && index > 0) {
      issues.push({ index, message: "a CNAME rrset can hold only one record" });
      return;
    }
    seen.set(text, index);
    out.push(text);
    rdataOctets += canonical.octets;
  });
  if (issues.length > 0) throw new DnsRecordsError(issues);
  // The default sort compares UTF-16 code units, the order documented above, without a call per comparison.
  return { records: out.sort(), rdataOctets };
}

/** Wire-format RDATA for a (canonical or not) presentation record; names uncompressed, lowercase. */
export function rdataToWire(type: WireRecordType, canonical: string): Uint8Array {
  return handlerFor(type, true).canonical(canonical).wire;
}

/** Wire RDATA -> canonical presentation. Compression pointers are rejected. */
export function rdataFromWire(type: WireRecordType, wire: Uint8Array): string {
  return handlerFor(type, true).fromWire(wire);
}
