import { readZoneAt } from "@dnscove/db";
import { canonicalOwnerName, DnsInputError, isRecordType } from "@dnscove/dns";
import { type Actor, authorize } from "../actor.js";
import { isSystemManaged } from "../dnssec/dnssec-types.js";
import { ConflictError } from "../errors.js";
import type { SkippedRecord } from "../imports/schemas.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { ZoneStatus } from "../zones/schemas.js";
import type { ParityResult } from "./schemas.js";

/** How many rrsets one parity run compares; larger zones answer `truncated: true`. */
export const PARITY_BUDGET = 2000;

/**
 * Compares what the old provider serves with what our edge serves (the published snapshot, minus
 * the SOA and apex NS, which differ by design), so a user knows when the old zone can go.
 */
export async function checkZoneParity(
  services: Services,
  actor: Actor,
  zoneId: string,
): Promise<ParityResult> {
  authorize(actor, "zone-records", zoneId);
  const { db, settings, dnsChecks } = services;
  const zone = await findTenantZone(db, actor.tenantId, zoneId);
  const oldNameservers = zone.previousNs ? (JSON.parse(zone.previousNs) as string[]) : [];
  if (oldNameservers.length === 0) {
    throw new ConflictError(
      "NO_PREVIOUS_NAMESERVERS",
      "The zone has no previous nameservers to compare with; parity applies to imported zones.",
    );
  }
  // What the edges serve: the newest snapshot and the change journal after it (issue 14).
  const published = await readZoneAt(db, zone.id, zone.publishedSerial);
  if (!published) throw new Error(`zone ${zone.id} at ${zone.publishedSerial} cannot be rebuilt`);
  const apex = `${zone.origin}.`;
  // The old provider's DNSSEC records (if any) are its own keys' and could never match ours.
  const rrsets = published.rrsets.filter((rrset) => !isSystemManaged(apex, rrset));
  const { questions, notCompared } = skippedQuestions(zone, rrsets);
  const [parity, delegation] = await Promise.all([
    dnsChecks.parity({
      origin: zone.origin,
      rrsets: [...rrsets, ...questions],
      oldNameservers,
      budget: PARITY_BUDGET,
    }),
    dnsChecks.delegation(zone.origin, settings.zone.nameservers),
  ]);
  const delegatedAlone = delegation.delegated && delegation.extra.length === 0;
  return {
    parity: {
      origin: zone.origin,
      matches: parity.matches,
      checked: parity.checked,
      mismatched: parity.mismatched,
      truncated: parity.truncated,
      mismatches: parity.mismatches,
      ttl_differences: parity.ttlDifferences,
      their_servers: parity.theirServers,
      not_compared: notCompared,
      ...(parity.error ? { error: parity.error } : {}),
      checked_at: services.clock.now().toISOString(),
    },
    safe_to_delete: parity.matches && !parity.truncated && delegatedAlone && notCompared.length === 0,
    status: zone.status as ZoneStatus,
  };
}

/**
 * What the import skipped (aliases to AWS resources, routing policies…) is asked about too: while
 * the old provider answers for it and we do not, deleting the old zone would lose it. A record the
 * user has since added here is compared like any other; what cannot be asked is reported.
 */
function skippedQuestions(
  zone: { origin: string; importSkipped: string | null },
  hosted: { name: string; type: string }[],
): {
  questions: { name: string; type: string; ttl: number; records: string[] }[];
  notCompared: SkippedRecord[];
} {
  const apex = `${zone.origin}.`;
  const seen = new Set(hosted.map((rrset) => `${rrset.name} ${rrset.type}`));
  const questions: { name: string; type: string; ttl: number; records: string[] }[] = [];
  const notCompared: SkippedRecord[] = [];
  for (const skipped of JSON.parse(zone.importSkipped ?? "[]") as SkippedRecord[]) {
    if (skipped.name === apex && (skipped.type === "SOA" || skipped.type === "NS")) continue;
    let name: string;
    try {
      name = canonicalOwnerName(skipped.name, zone.origin);
    } catch (error) {
      if (!(error instanceof DnsInputError)) throw error;
      notCompared.push(skipped);
      continue;
    }
    if (!isRecordType(skipped.type)) {
      notCompared.push(skipped);
      continue;
    }
    const key = `${name} ${skipped.type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    questions.push({ name, type: skipped.type, ttl: 0, records: [] });
  }
  return { questions, notCompared };
}
