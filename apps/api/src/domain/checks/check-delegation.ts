import { type Actor, authorize } from "../actor.js";
import { zoneStatusChanged } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { ZoneStatus } from "../zones/schemas.js";
import type { DelegationResult } from "./schemas.js";

const bare = (name: string) => name.replace(/\.$/, "");

/**
 * Asks the parent zone's servers which nameservers they delegate the zone to. A zone whose parent
 * delegates to every one of ours becomes ACTIVE; a later check that no longer finds the
 * delegation moves it back to PENDING_VERIFICATION (it keeps being served either way).
 */
export async function checkZoneDelegation(
  services: Services,
  actor: Actor,
  zoneId: string,
): Promise<DelegationResult> {
  authorize(actor, "zone-records", zoneId);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  const findings = await services.dnsChecks.delegation(zone.origin, services.settings.zone.nameservers);
  const status: ZoneStatus = findings.delegated ? "ACTIVE" : "PENDING_VERIFICATION";
  if (status !== zone.status) {
    // A status change is the one thing a check writes; it is audited as made by the caller.
    await services.db.$transaction(async (tx) => {
      await tx.zone.update({ where: { id: zone.id }, data: { status } });
      await recordAudit(tx, services.clock, actor, zoneStatusChanged(zone, zone.status, status));
    });
  }
  return {
    delegation: {
      origin: zone.origin,
      delegated: findings.delegated,
      expected: findings.expected.map(bare),
      found: findings.found.map(bare),
      missing: findings.missing.map(bare),
      extra: findings.extra.map(bare),
      servers: findings.servers.map((server) => ({ ...server, name: bare(server.name) })),
      ...(findings.error ? { error: findings.error } : {}),
      checked_at: services.clock.now().toISOString(),
    },
    status,
  };
}
