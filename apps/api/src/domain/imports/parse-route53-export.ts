/**
 * Route53 export parser: `aws route53 list-resource-record-sets` output (raw text, or the object
 * already parsed) -> the canonical
 * rrsets DNSCove imports, plus a report of everything it does not import and why.
 * See dns-harness.md §5 for the shapes and the importer traps this handles.
 *
 * Rules (each implemented in a sibling module that documents its decisions):
 * - Input (route53-input.ts): merged output, or ONE complete `--no-paginate` page. A truncated page
 *   (`IsTruncated: true`, `NextRecordName`, or `NextToken` from `--max-items`) is rejected.
 * - Origin: the name owning the SOA. `options.origin`, when given, must agree with the SOA; without
 *   an SOA it names the zone, and failing that the apex is the NS owner every name is under.
 * - Names (route53-names.ts): octal escapes decoded to octets, then UTF-8 -> IDNA through the
 *   canonicaliser. Every name must be inside the origin (else error). A name Route53 accepts but
 *   DNSCove cannot host (`@`, `/`, space, a dot or a `*` inside a label, invalid IDN, ...) is
 *   skipped with the canonicaliser's reason: it is a valid DNS name, not malformed input.
 * - Values (route53-records.ts): octal escapes in quoted strings and hostnames decoded, then
 *   `canonicalRecords`. A value the canonicaliser rejects is an error naming
 *   `ResourceRecordSets[i].ResourceRecords[j].Value` (all or nothing).
 * - Apex SOA and apex NS are skipped (replaced by DNSCove's); the apex NS values are returned as
 *   `previousNameservers` (canonical, sorted). SOA below the apex, apex DS and apex CNAME are
 *   skipped; NS below the apex (delegations) and their DS are imported.
 * - Types outside RECORD_TYPES (e.g. a future Route53 type) are skipped, never a crash.
 * - TrafficPolicyInstanceId records are skipped; routing-policy groups: route53-routing.ts;
 *   aliases: route53-aliases.ts.
 * - Two record sets with the same name and type after decoding (or a plain record set beside a
 *   routing-policy group, or a repeated SetIdentifier) are an error.
 * - After that, the result must pass what the rrset API checks for each rrset (TTL 0..604800,
 *   record count, wire size; `checkCanonicalRRset`, the part of `canonicalizeChange` left once the
 *   records are canonical) and across names (`checkCoexistence`), except
 *   that two cases are skipped with a reason instead: a DS whose delegation NS is not imported, and
 *   other data at a delegation point (occluded: resolvers are referred to the child zone).
 * - Output: rrsets in DNS order (reversed labels, then type); skipped entries in export order, with
 *   the canonical name (or the Route53 name, escapes kept, when it cannot be hosted).
 */
import {
  canonicalOrigin,
  canonicalRecordsWithSize,
  DnsInputError,
  DnsRecordsError,
  isRecordType,
  type RecordType,
} from "@dnscove/dns";
import { type Cooperative, runToEnd, runYielding, SLICE } from "../../lib/cooperative.js";
import { checkCoexistence } from "../rrsets/check-coexistence.js";
import { checkCanonicalRRset } from "../rrsets/rrset-change.js";
import { inZoneAliasReason, outOfZoneAliasReason } from "./route53-aliases.js";
import { Route53ImportError } from "./route53-import-error.js";
import { type Route53ExportInput, type Route53RecordSet, readRoute53Export } from "./route53-input.js";
import {
  canonicalOwner,
  type DecodedName,
  decodeRoute53Name,
  displayName,
  isInsideOrigin,
  originOf,
} from "./route53-names.js";
import { route53ValueToPresentation } from "./route53-records.js";
import { describePolicy, routingSkipReason } from "./route53-routing.js";
import type { SkippedRecord } from "./schemas.js";

export { Route53ImportError } from "./route53-import-error.js";

export interface ImportedRRset {
  /** absolute, lowercase, trailing dot */
  name: string;
  type: RecordType;
  ttl: number;
  /** canonical, sorted, as canonicalRecords returns */
  records: string[];
}

export interface ParsedRoute53Zone {
  /** canonicalOrigin form: lowercase A-label, no trailing dot */
  origin: string;
  /** never SOA; never apex NS */
  rrsets: ImportedRRset[];
  /** every record not imported, with a specific reason */
  skipped: SkippedRecord[];
  /** the export's apex NS values (absolute, trailing dot), kept for the parity check */
  previousNameservers: string[];
}

interface Entry {
  rs: Route53RecordSet;
  labels: DecodedName;
  /** Canonical owner name when hostable, else the Route53 spelling (escapes kept, lowercase). */
  name: string;
  hostable: boolean;
  unhostableReason?: string;
  /** `${name} ${type}` */
  key: string;
}

interface Built extends ImportedRRset {
  /** Summed RDATA length of `records` in wire format, from their one canonicalisation. */
  rdataOctets: number;
  /** The record set it came from, for error paths. */
  path: string;
  ttlPath: string;
}

const APEX_SOA_REASON = "apex SOA is managed by DNSCove; replaced by DNSCove's SOA";
const APEX_NS_REASON = "apex NS replaced by DNSCove's nameservers; kept for the parity check";

function valuePath(rs: Route53RecordSet, j: number): string {
  return `${rs.path}.ResourceRecords[${j}].Value`;
}

/** Canonical records of one Route53 record set and their RDATA size; errors name the offending value. */
function canonicalValues(entry: Entry, type: RecordType): { records: string[]; rdataOctets: number } {
  const { rs } = entry;
  const values = (rs.values ?? []).map((value, j) => {
    try {
      return route53ValueToPresentation(type, value);
    } catch (error) {
      if (error instanceof DnsInputError) {
        throw new Route53ImportError(valuePath(rs, j), `${entry.name} ${type}: ${error.message}`);
      }
      throw error;
    }
  });
  try {
    return canonicalRecordsWithSize(type, values);
  } catch (error) {
    if (error instanceof DnsRecordsError) {
      const [first] = error.issues;
      const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more in this record set)` : "";
      throw new Route53ImportError(
        valuePath(rs, first?.index ?? 0),
        `${entry.name} ${type}: ${first?.message ?? error.message}${more}`,
      );
    }
    throw error;
  }
}

function decodeName(raw: string, path: string): DecodedName {
  try {
    return decodeRoute53Name(raw);
  } catch (error) {
    if (error instanceof DnsInputError) throw new Route53ImportError(path, error.message);
    throw error;
  }
}

function determineOrigin(sets: Route53RecordSet[], labels: DecodedName[], given: string | undefined): string {
  const soas = sets.filter((rs) => rs.type === "SOA");
  if (given !== undefined) {
    const atGiven = soas.some((rs) => originOf(labels[rs.index] ?? []).origin === given);
    const [first] = soas;
    if (first && !atGiven) {
      throw new Route53ImportError(
        `${first.path}.Name`,
        `the export's SOA is at ${displayName(labels[first.index] ?? [])}, but origin ${given} was given; they must agree`,
      );
    }
    return given;
  }
  if (soas.length > 1) {
    throw new Route53ImportError(
      `${soas[1]?.path}.Name`,
      "the export holds more than one SOA record set; pass origin to name the zone",
    );
  }
  const [soa] = soas;
  if (soa) {
    const found = originOf(labels[soa.index] ?? []);
    if (found.origin === undefined) {
      throw new Route53ImportError(
        `${soa.path}.Name`,
        `the SOA's name is not a valid zone name: ${found.error}`,
      );
    }
    return found.origin;
  }
  // No SOA: the apex is an NS owner that every name in the export is at or below. Only the NS
  // owners with the fewest labels can be it (the apex contains every other NS owner).
  const owners = sets.filter((rs) => rs.type === "NS" && rs.setIdentifier === undefined);
  const fewest = Math.min(...owners.map((rs) => labels[rs.index]?.length ?? 0));
  for (const rs of owners) {
    if ((labels[rs.index]?.length ?? 0) !== fewest) continue;
    const candidate = originOf(labels[rs.index] ?? []).origin;
    if (candidate !== undefined && labels.every((l) => isInsideOrigin(l, candidate))) return candidate;
  }
  throw new Route53ImportError(
    "ResourceRecordSets",
    "cannot tell the zone's origin: the export has no SOA record (the apex is the name owning the SOA); pass origin",
  );
}

/**
 * Sort key of a canonical name in DNS order: its labels from the root, joined by NUL. NUL sorts
 * below every character of a label, so comparing keys as strings compares label by label, a name
 * before the names below it (the order of comparing the reversed label lists; computed once per
 * name instead of once per comparison, issue 14).
 */
function dnsOrderKey(name: string): string {
  return name.split(".").reverse().join("\0");
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { Route53ExportInput } from "./route53-input.js";

/** `input`: the export's text, or `{ object }` when the caller has parsed it already. */
export function parseRoute53Export(
  input: string | Route53ExportInput,
  options: { origin?: string } = {},
): ParsedRoute53Zone {
  return runToEnd(parseSteps(input, options));
}

/**
 * The same parse, giving the event loop a turn every SLICE record sets: a 100,000-rrset export is
 * seconds of CPU, and the import route must not stall every other request (and tenant) meanwhile.
 */
export function parseRoute53ExportYielding(
  input: string | Route53ExportInput,
  options: { origin?: string } = {},
): Promise<ParsedRoute53Zone> {
  return runYielding(parseSteps(input, options));
}

function* parseSteps(
  input: string | Route53ExportInput,
  options: { origin?: string },
): Cooperative<ParsedRoute53Zone> {
  const sets = yield* readRoute53Export(input);
  const labels: DecodedName[] = [];
  for (const rs of sets) {
    labels.push(decodeName(rs.name, `${rs.path}.Name`));
    if (labels.length % SLICE === 0) yield;
  }
  const origin = determineOrigin(sets, labels, givenOrigin(options.origin));
  const entries = yield* placeEntries(sets, labels, origin);
  refuseDuplicates(entries);
  yield;

  const skips = new SkipLog();
  const sorted = yield* sortEntries(entries, `${origin}.`, skips);
  const { built } = sorted;
  mergeRoutingGroups(sorted.groups, built, skips);
  flattenAliases(sorted.aliases, built, origin, skips);
  skipOccludedAtDelegations(entries, built, skips);
  yield;
  yield* checkLikeTheApi(built);
  yield;

  const keyed = [...built.values()].map((b) => ({ key: dnsOrderKey(b.name), b }));
  keyed.sort((x, y) => compareKeys(x.key, y.key) || compareKeys(x.b.type, y.b.type));
  const rrsets = keyed.map(({ b: { name, type, ttl, records } }) => ({ name, type, ttl, records }));
  return { origin, rrsets, skipped: skips.inExportOrder(), previousNameservers: sorted.previousNameservers };
}

/** Records not imported, reported in export order; the first reason at a name and type is kept for aliases to it. */
class SkipLog {
  private readonly skipped: { index: number; record: SkippedRecord }[] = [];
  private readonly reasonAt = new Map<string, string>();

  skip(e: Entry, reason: string): void {
    this.skipped.push({ index: e.rs.index, record: { name: e.name, type: e.rs.type, reason } });
    if (!this.reasonAt.has(e.key)) this.reasonAt.set(e.key, reason);
  }

  reasonFor(key: string): string | undefined {
    return this.reasonAt.get(key);
  }

  inExportOrder(): SkippedRecord[] {
    return [...this.skipped].sort((a, b) => a.index - b.index).map((s) => s.record);
  }
}

function givenOrigin(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  try {
    return canonicalOrigin(origin);
  } catch (error) {
    if (error instanceof DnsInputError) throw new Route53ImportError("origin", error.message);
    throw error;
  }
}

/** Names: every one inside the zone (an error otherwise), hostable or not. */
function* placeEntries(
  sets: Route53RecordSet[],
  labels: DecodedName[],
  origin: string,
): Cooperative<Entry[]> {
  const entries: Entry[] = [];
  for (const rs of sets) {
    const l = labels[rs.index] ?? [];
    if (!isInsideOrigin(l, origin)) {
      throw new Route53ImportError(`${rs.path}.Name`, `${displayName(l)} is not inside the zone ${origin}`);
    }
    const owner = canonicalOwner(l, origin);
    const name = owner.ok ? owner.name : displayName(l);
    const entry: Entry = { rs, labels: l, name, hostable: owner.ok, key: `${name} ${rs.type}` };
    if (!owner.ok) entry.unhostableReason = owner.reason;
    entries.push(entry);
    if (entries.length % SLICE === 0) yield;
  }
  return entries;
}

/** Duplicates after decoding, repeated SetIdentifiers, plain sets beside routing groups: errors. */
function refuseDuplicates(entries: Entry[]): void {
  const plainAt = new Map<string, Entry>();
  const groupAt = new Map<string, Entry[]>();
  for (const e of entries) {
    const { rs } = e;
    if (rs.setIdentifier === undefined) {
      const other = plainAt.get(e.key) ?? groupAt.get(e.key)?.[0];
      if (other) {
        const decoded = other.rs.name === rs.name ? "" : ` (${JSON.stringify(other.rs.name)} after decoding)`;
        throw new Route53ImportError(
          `${rs.path}.Name`,
          `duplicate record set ${e.name} ${rs.type}: ${other.rs.path} has the same name and type${decoded}`,
        );
      }
      plainAt.set(e.key, e);
    } else {
      const plain = plainAt.get(e.key);
      if (plain) {
        throw new Route53ImportError(
          `${rs.path}.SetIdentifier`,
          `${e.name} ${rs.type} is both a plain record set (${plain.rs.path}) and a routing-policy group`,
        );
      }
      const group = groupAt.get(e.key) ?? [];
      const same = group.find((g) => g.rs.setIdentifier === rs.setIdentifier);
      if (same) {
        throw new Route53ImportError(
          `${rs.path}.SetIdentifier`,
          `duplicate SetIdentifier ${JSON.stringify(rs.setIdentifier)} for ${e.name} ${rs.type} (also ${same.rs.path})`,
        );
      }
      group.push(e);
      groupAt.set(e.key, group);
    }
  }
}

interface SortedEntries {
  /** Plain record sets DNSCove hosts as they are, by `${name} ${type}`. */
  built: Map<string, Built>;
  aliases: Entry[];
  /** Routing-policy groups by `${name} ${type}`. */
  groups: Map<string, Entry[]>;
  previousNameservers: string[];
}

/** Each record set: skipped with its reason, or a plain rrset, an alias or a routing-group member. */
function* sortEntries(entries: Entry[], apex: string, skips: SkipLog): Cooperative<SortedEntries> {
  const sorted: SortedEntries = { built: new Map(), aliases: [], groups: new Map(), previousNameservers: [] };
  let done = 0;
  for (const e of entries) {
    if (++done % SLICE === 0) yield;
    const { rs } = e;
    const type = rs.type;
    const atApex = e.name === apex;
    if (!e.hostable) {
      skips.skip(e, `name cannot be hosted by DNSCove: ${e.unhostableReason}; skipped`);
    } else if (type === "SOA") {
      skips.skip(
        e,
        atApex
          ? APEX_SOA_REASON
          : "SOA below the zone apex is not allowed (DNSCove manages the apex SOA); skipped",
      );
    } else if (type === "NS" && atApex) {
      if (rs.values && rs.setIdentifier === undefined)
        sorted.previousNameservers = canonicalValues(e, "NS").records;
      skips.skip(e, APEX_NS_REASON);
    } else if (!isRecordType(type)) {
      skips.skip(e, `record type ${type} is not supported by DNSCove; skipped`);
    } else if (type === "DS" && atApex) {
      skips.skip(e, "DS for the zone apex belongs in the parent zone; skipped");
    } else if (type === "CNAME" && atApex) {
      skips.skip(e, "a CNAME cannot be at the zone apex; skipped");
    } else if (rs.trafficPolicyInstanceId !== undefined) {
      skips.skip(
        e,
        `managed by Route53 traffic policy instance ${rs.trafficPolicyInstanceId}; traffic policies have no ` +
          "equivalent in DNSCove; skipped",
      );
    } else if (rs.setIdentifier !== undefined) {
      const group = sorted.groups.get(e.key) ?? [];
      group.push(e);
      sorted.groups.set(e.key, group);
    } else if (rs.alias) {
      sorted.aliases.push(e);
    } else {
      sorted.built.set(e.key, {
        name: e.name,
        type,
        ttl: rs.ttl ?? 0,
        ...canonicalValues(e, type),
        path: rs.path,
        ttlPath: `${rs.path}.TTL`,
      });
    }
  }
  return sorted;
}

/** Routing-policy groups: merge faithful multivalue groups, skip the rest. */
function mergeRoutingGroups(groups: Map<string, Entry[]>, built: Map<string, Built>, skips: SkipLog): void {
  for (const group of groups.values()) {
    const multivalue = group.every((e) => e.rs.policy?.kind === "multivalue" && !e.rs.alias);
    const checked = group.filter((e) => e.rs.healthCheckId !== undefined);
    const [first] = group;
    if (first && multivalue && checked.length === 0) {
      const type = first.rs.type as RecordType;
      const union = new Set<string>();
      let lowest = first;
      for (const e of group) {
        for (const r of canonicalValues(e, type).records) union.add(r);
        if ((e.rs.ttl ?? 0) < (lowest.rs.ttl ?? 0)) lowest = e;
      }
      built.set(first.key, {
        name: first.name,
        type,
        ttl: lowest.rs.ttl ?? 0,
        ...canonicalRecordsWithSize(type, [...union]),
        path: first.rs.path,
        ttlPath: `${lowest.rs.path}.TTL`,
      });
      continue;
    }
    for (const e of group) {
      const r = {
        ...(e.rs.setIdentifier !== undefined ? { setIdentifier: e.rs.setIdentifier } : {}),
        policy: e.rs.policy,
        ...(e.rs.healthCheckId !== undefined ? { healthCheckId: e.rs.healthCheckId } : {}),
        ...(e.rs.alias ? { aliasTo: e.rs.alias.dnsName } : {}),
      };
      if (e.rs.policy?.kind !== "multivalue") {
        skips.skip(e, routingSkipReason(r));
      } else if (!multivalue) {
        skips.skip(
          e,
          `${describePolicy(r)} is mixed with other routing policies at this name and type; skipped`,
        );
      } else {
        const ids = checked
          .map((c) => `${JSON.stringify(c.rs.setIdentifier)}: ${c.rs.healthCheckId}`)
          .join(", ");
        const { healthCheckId: _, ...withoutCheck } = r;
        skips.skip(
          e,
          `${describePolicy(withoutCheck)}: the group uses health checks (${ids}), which DNSCove cannot evaluate, so ` +
            "merging it would keep answering with unhealthy values; skipped",
        );
      }
    }
  }
}

/** Aliases: flatten in-zone targets (after the groups are merged), report the rest. */
function flattenAliases(aliases: Entry[], built: Map<string, Built>, origin: string, skips: SkipLog): void {
  const aliasAt = new Map(aliases.map((e) => [e.key, e]));
  const flattened: Built[] = [];
  for (const e of aliases) {
    const alias = e.rs.alias;
    if (!alias) continue;
    const target = decodeName(alias.dnsName, `${e.rs.path}.AliasTarget.DNSName`);
    if (!isInsideOrigin(target, origin)) {
      skips.skip(e, outOfZoneAliasReason(displayName(target), alias.hostedZoneId));
      continue;
    }
    const owner = canonicalOwner(target, origin);
    const targetName = owner.ok ? owner.name : displayName(target);
    const targetKey = `${targetName} ${e.rs.type}`;
    const chained = aliasAt.get(targetKey);
    const found = built.get(targetKey);
    if (chained) {
      const to = chained.rs.alias?.dnsName ?? "";
      skips.skip(e, inZoneAliasReason(targetName, e.rs.type, `the target is itself an alias (to ${to})`));
    } else if (found) {
      flattened.push({ ...found, name: e.name, path: e.rs.path });
    } else {
      const why = skips.reasonFor(targetKey);
      skips.skip(
        e,
        inZoneAliasReason(
          targetName,
          e.rs.type,
          why === undefined
            ? `the export has no ${e.rs.type} record set at that name`
            : `the target is not imported (${why.replace(/; skipped$/, "")})`,
        ),
      );
    }
  }
  // Added after the loop, so an alias to an alias never sees a flattened target.
  for (const f of flattened) built.set(`${f.name} ${f.type}`, f);
}

/** Delegations: DS needs an imported NS; other data at a delegation point is occluded. */
function skipOccludedAtDelegations(entries: Entry[], built: Map<string, Built>, skips: SkipLog): void {
  // Built only when something is skipped: most zones have no occluded data (issue 14).
  let entryAt: Map<string, Entry> | undefined;
  const skipBuilt = (b: Built, reason: string) => {
    const key = `${b.name} ${b.type}`;
    built.delete(key);
    entryAt ??= new Map(entries.map((e) => [e.key, e]));
    const e = entryAt.get(key);
    if (e) skips.skip(e, reason);
  };
  // NS rrsets are never skipped here, so the delegation points are known before the loop.
  const delegations = new Set<string>();
  for (const b of built.values()) if (b.type === "NS") delegations.add(b.name);
  for (const b of [...built.values()]) {
    const hasNs = delegations.has(b.name);
    if (b.type === "DS" && !hasNs) {
      skipBuilt(b, `DS at ${b.name} has no imported NS delegation at the same name; skipped`);
    } else if (hasNs && b.type !== "NS" && b.type !== "DS" && b.type !== "CNAME") {
      skipBuilt(
        b,
        `${b.name} is a delegation point (NS): resolvers are referred to the child zone and never see ` +
          `this ${b.type} record set, and only DS may sit beside NS; skipped`,
      );
    }
  }
}

/** What the rrset API would check, so the import is exactly as valid as API input. */
function* checkLikeTheApi(built: Map<string, Built>): Cooperative<void> {
  const byName = new Map<string, Built[]>();
  for (const b of built.values()) {
    const list = byName.get(b.name);
    if (list) list.push(b);
    else byName.set(b.name, [b]);
  }
  // One type at a name (nearly every name) shares one set per type instead of a set per name.
  const single = new Map<string, ReadonlySet<string>>();
  const typesOf = (list: Built[]): ReadonlySet<string> => {
    const [only] = list;
    if (list.length > 1 || !only) return new Set(list.map((b) => b.type));
    const known = single.get(only.type);
    if (known) return known;
    const types = new Set([only.type]);
    single.set(only.type, types);
    return types;
  };
  let done = 0;
  for (const [name, list] of byName) {
    if (++done % SLICE === 0) yield;
    const [first] = list;
    const issues = checkCoexistence(name, typesOf(list), first?.path ?? "");
    const [issue] = issues;
    if (issue) throw new Route53ImportError(issue.path, issue.message);
  }
  // Names and records are canonical already (canonicalOwner, canonicalValues): what is left of the
  // API's per-rrset check is TTL, record count and wire size, without parsing every record again.
  for (const b of built.values()) {
    if (++done % SLICE === 0) yield;
    const [issue] = checkCanonicalRRset(b, "");
    if (issue) {
      const path = issue.path.startsWith("ttl")
        ? b.ttlPath
        : issue.path.startsWith("records")
          ? `${b.path}.ResourceRecords`
          : b.path;
      throw new Route53ImportError(path, `${b.name} ${b.type}: ${issue.message}`);
    }
  }
}
