import {
  canonicalOwnerName,
  canonicalRecordsWithSize,
  DnsInputError,
  DnsRecordsError,
  isRecordType,
  isValidTtl,
  RECORD_TYPES,
  type RecordType,
  TTL_MAX,
  TTL_MIN,
} from "@dnscove/dns";
import type { FieldIssue } from "../errors.js";
import type { ChangeAction, RRsetChangeInput } from "./schemas.js";

/** A change in canonical form, ready to apply. */
export interface RRsetChange {
  action: ChangeAction;
  name: string;
  type: RecordType;
  ttl: number;
  records: string[];
  /** Where the change was in the request body, for error paths: "" or "changes[3]." */
  path: string;
}

export const MAX_RECORDS_PER_RRSET = 500;
/** The rrset must fit in one DNS message with room for the question and the SOA (RFC 1035 §4.2.2). */
export const MAX_RRSET_WIRE_OCTETS = 60_000;
/** Per answer record: compressed owner (2) + type, class (4) + TTL (4) + RDLENGTH (2). */
const RECORD_OVERHEAD_OCTETS = 12;
const TTL_MESSAGE = `must be an integer from ${TTL_MIN} to ${TTL_MAX}`;
const COUNT_MESSAGE = `at most ${MAX_RECORDS_PER_RRSET} records per rrset`;

/**
 * Checks and canonicalises one change against the zone `origin`, reporting every problem found
 * with its field path. Rules that need the zone's other rrsets live in `check-coexistence.ts`.
 */
export function canonicalizeChange(
  input: RRsetChangeInput,
  origin: string,
  path: string,
): { change?: RRsetChange; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const at = (field: string) => `${path}${field}`;

  let name = "";
  try {
    name = canonicalOwnerName(input.name, origin);
  } catch (error) {
    if (!(error instanceof DnsInputError)) throw error;
    issues.push({ path: at("name"), message: error.message });
  }
  const apex = name === `${origin}.`;

  const type = input.type.trim().toUpperCase();
  if (type === "SOA") {
    issues.push({ path: at("type"), message: "SOA records are managed by DNSCove" });
  } else if (!isRecordType(type)) {
    issues.push({ path: at("type"), message: `unsupported type; one of ${RECORD_TYPES.join(", ")}` });
  } else if (apex && type === "NS") {
    issues.push({ path: at("type"), message: "NS records at the zone apex are managed by DNSCove" });
  } else if (apex && type === "CNAME") {
    issues.push({ path: at("type"), message: "a CNAME cannot be at the zone apex" });
  } else if (apex && type === "DS") {
    issues.push({ path: at("type"), message: "DS records for the apex belong in the parent zone" });
  }

  if (!isValidTtl(input.ttl)) {
    issues.push({ path: at("ttl"), message: TTL_MESSAGE });
  }

  let records: string[] = [];
  if (input.action !== "DELETE") {
    records = checkRecords(input.action, type, input.records, at("records"), issues);
  }
  if (issues.length > 0 || !isRecordType(type)) return { issues };
  return { change: { action: input.action, name, type, ttl: input.ttl, records, path }, issues };
}

function checkRecords(
  action: ChangeAction,
  type: string,
  given: string[] | undefined,
  path: string,
  issues: FieldIssue[],
): string[] {
  if (!given || given.length === 0) {
    issues.push({ path, message: `${action} needs at least one record` });
    return [];
  }
  if (given.length > MAX_RECORDS_PER_RRSET) {
    issues.push({ path, message: COUNT_MESSAGE });
    return [];
  }
  if (!isRecordType(type)) return [];
  let records: string[];
  let rdataOctets: number;
  try {
    // One parse gives the canonical records and their RDATA size (issue 14: no second parse).
    ({ records, rdataOctets } = canonicalRecordsWithSize(type, given));
  } catch (error) {
    if (error instanceof DnsRecordsError) {
      for (const issue of error.issues)
        issues.push({ path: `${path}[${issue.index}]`, message: issue.message });
      return [];
    }
    throw error;
  }
  checkSize(type, records, rdataOctets, path, issues);
  return records;
}

/**
 * What `canonicalizeChange` checks of an UPSERT whose records are already canonical (a Route53
 * import canonicalises each record once, issue 14), same order and messages: TTL, record count,
 * one CNAME record, wire size. `rdataOctets` is what canonicalRecordsWithSize returned with `records`.
 */
export function checkCanonicalRRset(
  rrset: { type: RecordType; ttl: number; records: readonly string[]; rdataOctets: number },
  path: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isValidTtl(rrset.ttl)) issues.push({ path: `${path}ttl`, message: TTL_MESSAGE });
  const at = `${path}records`;
  if (rrset.records.length === 0) issues.push({ path: at, message: "UPSERT needs at least one record" });
  else if (rrset.records.length > MAX_RECORDS_PER_RRSET) issues.push({ path: at, message: COUNT_MESSAGE });
  else checkSize(rrset.type, rrset.records, rrset.rdataOctets, at, issues);
  return issues;
}

/** One CNAME record; the rrset fits in one DNS message. */
function checkSize(
  type: string,
  records: readonly string[],
  rdataOctets: number,
  path: string,
  issues: FieldIssue[],
): void {
  if (type === "CNAME" && records.length > 1) {
    issues.push({ path, message: "a CNAME rrset holds exactly one record" });
  }
  const wire = rdataOctets + RECORD_OVERHEAD_OCTETS * records.length;
  if (wire > MAX_RRSET_WIRE_OCTETS) {
    issues.push({
      path,
      message: `the rrset is ${wire} octets on the wire; at most ${MAX_RRSET_WIRE_OCTETS}`,
    });
  }
}
