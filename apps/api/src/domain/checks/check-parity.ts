import { decodeSnapshot } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { ConflictError } from "../errors.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { ZoneStatus } from "../zones/zone-view.js";

/** How many rrsets one parity run compares; larger zones answer `truncated: true`. */
export const PARITY_BUDGET = 2000;

export interface ParityReport {
  parity: {
    origin: string;
    matches: boolean;
    checked: number;
    mismatched: number;
    truncated: boolean;
    mismatches: { name: string; type: string; ours: string[]; theirs: string[] }[];
    ttl_differences: { name: string; type: string; ours: number; theirs: number }[];
    their_servers: string[];
    error?: string;
    checked_at: string;
  };
  /** Every rrset matches, nothing was truncated, and the parent delegates to our nameservers alone. */
  safe_to_delete: boolean;
  status: ZoneStatus;
}

/**
 * Compares what the old provider serves with what our edge serves (the published snapshot, minus
 * the SOA and apex NS, which differ by design), so a user knows when the old zone can go.
 */
export async function checkZoneParity(
  services: Services,
  actor: Actor,
  zoneId: string,
): Promise<ParityReport> {
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
  const snapshot = await db.snapshot.findUniqueOrThrow({
    where: { zoneId_serial: { zoneId: zone.id, serial: zone.publishedSerial } },
  });
  const apex = `${zone.origin}.`;
  const rrsets = decodeSnapshot(snapshot.content).rrsets.filter(
    (rrset) => !(rrset.name === apex && (rrset.type === "SOA" || rrset.type === "NS")),
  );
  const [parity, delegation] = await Promise.all([
    dnsChecks.parity({ origin: zone.origin, rrsets, oldNameservers, budget: PARITY_BUDGET }),
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
      ...(parity.error ? { error: parity.error } : {}),
      checked_at: services.clock.now().toISOString(),
    },
    safe_to_delete: parity.matches && !parity.truncated && delegatedAlone,
    status: zone.status as ZoneStatus,
  };
}
