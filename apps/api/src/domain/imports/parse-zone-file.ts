/**
 * Zone-file import: an RFC 1035 master file (as BIND and Knot write it) -> the canonical rrsets
 * DNSCove imports, plus every record it does not import and why. The same outcome rules as the
 * Route53 import (parse-route53-export.ts), so a zone moves the same way from either source:
 *
 * - Syntax (packages/dns zone-file.ts): a malformed file is a ZoneFileImportError naming the line.
 * - The origin is given; an SOA, if any, must be at it. Records outside the origin are skipped
 *   (BIND ignores out-of-zone data the same way), as are classes other than IN.
 * - Apex SOA and apex NS are skipped (replaced by DNSCove's); the apex NS targets are returned as
 *   `previousNameservers` for the parity check. SOA below the apex, apex DS and apex CNAME are
 *   skipped; DNSSEC data (DNSCove's own signer makes it) and types DNSCove does not host are skipped.
 * - Record data goes through the one canonicaliser; a record it rejects is an error naming its line.
 * - Records of one name and type form one rrset wherever they are in the file; exact duplicates
 *   are dropped and differing TTLs take the lowest (RFC 2181 section 5: one TTL per rrset).
 * - Then what the rrset API checks (TTL, record count, wire size, CNAME and NS coexistence), and
 *   the Route53 import's delegation rules (DS needs NS; other data at a delegation is skipped).
 */
import {
  canonicalOrigin,
  canonicalOwnerName,
  canonicalRecordsWithSize,
  DnsInputError,
  DnsRecordsError,
  isRecordType,
  type RecordType,
  readZoneFileSteps,
  ZoneFileError,
  type ZoneFileRecord,
} from "@dnscove/dns";
import { type Cooperative, runToEnd, runYielding, SLICE } from "../../lib/cooperative.js";
import { checkCoexistence } from "../rrsets/check-coexistence.js";
import { checkCanonicalRRset } from "../rrsets/rrset-change.js";
import type { ImportedRRset } from "./parse-route53-export.js";
import type { SkippedRecord } from "./schemas.js";

/** Malformed input; `path` is `zone_file` or `origin`, the message names the line. Nothing is imported. */
export class ZoneFileImportError extends Error {
  constructor(
    readonly path: "zone_file" | "origin",
    message: string,
  ) {
    super(message);
    this.name = "ZoneFileImportError";
  }
}

export interface ParsedZoneFile {
  /** canonicalOrigin form: lowercase A-label, no trailing dot */
  origin: string;
  /** never SOA; never apex NS; DNS order */
  rrsets: ImportedRRset[];
  /** in file order */
  skipped: SkippedRecord[];
  /** the file's apex NS targets (absolute, canonical, sorted) */
  previousNameservers: string[];
}

/** Same wording as the Route53 import: the user sees one reason for one outcome. */
const APEX_SOA_REASON = "apex SOA is managed by DNSCove; replaced by DNSCove's SOA";
const APEX_NS_REASON = "apex NS replaced by DNSCove's nameservers; kept for the parity check";
const DNSSEC_TYPES = new Set([
  "RRSIG",
  "NSEC",
  "NSEC3",
  "NSEC3PARAM",
  "DNSKEY",
  "CDS",
  "CDNSKEY",
  "KEY",
  "SIG",
]);
/** The old signer's keys and signatures: DNSCove signs a zone itself (docs/dnssec.md). */
const DNSSEC_REASON = "DNSSEC records are made by DNSCove's own signer (enable DNSSEC on the zone); skipped";

interface Group {
  name: string;
  type: RecordType;
  ttl: number;
  records: Map<string, number>;
  rdataOctets: number;
  line: number;
  ttlLine: number;
}

export function parseZoneFile(text: string, origin: string): ParsedZoneFile {
  return runToEnd(parseSteps(text, origin));
}

/** The same parse, giving the event loop a turn every SLICE entries (a big file is seconds of CPU). */
export function parseZoneFileYielding(text: string, origin: string): Promise<ParsedZoneFile> {
  return runYielding(parseSteps(text, origin));
}

function lineError(line: number, message: string): ZoneFileImportError {
  return new ZoneFileImportError("zone_file", `line ${line}: ${message}`);
}

function* parseSteps(text: string, givenOrigin: string): Cooperative<ParsedZoneFile> {
  let origin: string;
  try {
    origin = canonicalOrigin(givenOrigin);
  } catch (error) {
    if (error instanceof DnsInputError) throw new ZoneFileImportError("origin", error.message);
    throw error;
  }
  const apex = `${origin}.`;
  let records: ZoneFileRecord[];
  try {
    records = yield* readZoneFileSteps(text, { origin: apex, slice: SLICE });
  } catch (error) {
    if (error instanceof ZoneFileError) throw new ZoneFileImportError("zone_file", error.message);
    throw error;
  }
  const skipped: SkippedRecord[] = [];
  const groups = new Map<string, Group>();
  let previousNameservers: string[] = [];
  const apexNs = new Set<string>();
  let done = 0;
  for (const r of records) {
    if (++done % SLICE === 0) yield;
    const skip = (name: string, reason: string) => skipped.push({ name, type: r.type, reason });
    if (r.class !== "IN") {
      skip(r.owner, `class ${r.class} is not served by DNSCove (only IN); skipped`);
      continue;
    }
    let name: string;
    try {
      name = canonicalOwnerName(r.owner, origin);
    } catch (error) {
      if (!(error instanceof DnsInputError)) throw error;
      if (!isUnder(r.owner, apex)) skip(r.owner, `outside the zone ${apex}; skipped`);
      else skip(r.owner, `name cannot be hosted by DNSCove: ${error.message}; skipped`);
      continue;
    }
    if (!isUnder(name, apex)) {
      skip(r.owner, `outside the zone ${apex}; skipped`);
      continue;
    }
    const atApex = name === apex;
    const type = r.type;
    if (type === "SOA") {
      if (atApex) skip(name, APEX_SOA_REASON);
      else skip(name, "SOA below the zone apex is not allowed (DNSCove manages the apex SOA); skipped");
      continue;
    }
    if (type === "NS" && atApex) {
      if (!r.generic) apexNs.add(canonical(r, "NS").text);
      skip(name, APEX_NS_REASON);
      continue;
    }
    if (DNSSEC_TYPES.has(type) || (type === "DS" && atApex)) {
      skip(name, type === "DS" ? "DS for the zone apex belongs in the parent zone; skipped" : DNSSEC_REASON);
      continue;
    }
    if (!isRecordType(type)) {
      skip(name, `record type ${type} is not supported by DNSCove; skipped`);
      continue;
    }
    if (r.generic) {
      skip(
        name,
        `RFC 3597 generic RDATA (\\#) for ${type} is not supported; write it in ${type}'s own syntax`,
      );
      continue;
    }
    if (type === "CNAME" && atApex) {
      skip(name, "a CNAME cannot be at the zone apex; skipped");
      continue;
    }
    const { text: record, octets } = canonical(r, type);
    const key = `${name} ${type}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        name,
        type,
        ttl: r.ttl,
        records: new Map([[record, r.line]]),
        rdataOctets: octets,
        line: r.line,
        ttlLine: r.line,
      });
      continue;
    }
    if (r.ttl < group.ttl) {
      group.ttl = r.ttl;
      group.ttlLine = r.line;
    }
    if (group.records.has(record)) continue; // RFC 2181 section 5: duplicates are dropped
    if (type === "CNAME") {
      throw lineError(
        r.line,
        `${name} CNAME: a CNAME rrset can hold only one record (another is on line ${group.line})`,
      );
    }
    group.records.set(record, r.line);
    group.rdataOctets += octets;
  }
  previousNameservers = [...apexNs].sort();
  yield;
  skipAtDelegations(groups, skipped);
  yield* checkLikeTheApi(groups);
  yield;
  const keyed = [...groups.values()].map((g) => ({ key: g.name.split(".").reverse().join("\0"), g }));
  keyed.sort((x, y) =>
    x.key < y.key ? -1 : x.key > y.key ? 1 : x.g.type < y.g.type ? -1 : x.g.type > y.g.type ? 1 : 0,
  );
  const rrsets = keyed.map(({ g }) => ({
    name: g.name,
    type: g.type,
    ttl: g.ttl,
    records: [...g.records.keys()].sort(),
  }));
  return { origin, rrsets, skipped, previousNameservers };
}

/** Whether absolute `name` is `apex` or below it (ASCII case-insensitive). */
function isUnder(name: string, apex: string): boolean {
  const n = name.toLowerCase();
  return n === apex || n.endsWith(`.${apex}`);
}

function canonical(r: ZoneFileRecord, type: RecordType): { text: string; octets: number } {
  try {
    const { records, rdataOctets } = canonicalRecordsWithSize(type, [r.rdata]);
    return { text: records[0] ?? "", octets: rdataOctets };
  } catch (error) {
    if (error instanceof DnsRecordsError) {
      throw lineError(r.line, `${r.owner} ${type}: ${error.issues[0]?.message ?? error.message}`);
    }
    throw error;
  }
}

/** The Route53 import's delegation rules: DS needs an imported NS; other data at a delegation is occluded. */
function skipAtDelegations(groups: Map<string, Group>, skipped: SkippedRecord[]): void {
  const delegations = new Set<string>();
  for (const g of groups.values()) if (g.type === "NS") delegations.add(g.name);
  for (const [key, g] of groups) {
    const hasNs = delegations.has(g.name);
    let reason: string | undefined;
    if (g.type === "DS" && !hasNs) {
      reason = `DS at ${g.name} has no imported NS delegation at the same name; skipped`;
    } else if (hasNs && g.type !== "NS" && g.type !== "DS" && g.type !== "CNAME") {
      reason =
        `${g.name} is a delegation point (NS): resolvers are referred to the child zone and never see ` +
        `this ${g.type} record set, and only DS may sit beside NS; skipped`;
    }
    if (reason === undefined) continue;
    groups.delete(key);
    skipped.push({ name: g.name, type: g.type, reason });
  }
}

function* checkLikeTheApi(groups: Map<string, Group>): Cooperative<void> {
  let done = 0;
  const byName = new Map<string, Group[]>();
  for (const g of groups.values()) {
    const list = byName.get(g.name);
    if (list) list.push(g);
    else byName.set(g.name, [g]);
  }
  for (const [name, list] of byName) {
    if (++done % SLICE === 0) yield;
    const [issue] = checkCoexistence(name, new Set(list.map((g) => g.type)), "");
    if (issue) throw lineError(Math.max(...list.map((g) => g.line)), issue.message);
  }
  for (const g of groups.values()) {
    if (++done % SLICE === 0) yield;
    const [issue] = checkCanonicalRRset({ ...g, records: [...g.records.keys()] }, "");
    if (issue) {
      const line = issue.path.startsWith("ttl") ? g.ttlLine : g.line;
      throw lineError(line, `${g.name} ${g.type}: ${issue.message}`);
    }
  }
}
