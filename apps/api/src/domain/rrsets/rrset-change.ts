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
    issues.push({ path: at("ttl"), message: `must be an integer from ${TTL_MIN} to ${TTL_MAX}` });
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
    issues.push({ path, message: `at most ${MAX_RECORDS_PER_RRSET} records per rrset` });
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
  return records;
}
