import type { Algorithm } from "@dnscove/dnssec";
import { type Actor, authorize } from "../actor.js";
import { kskRolloverStarted } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { DnssecStateError, DnssecUnavailableError } from "../errors.js";
import { publishZoneById } from "../publish/publish-zone.js";
import type { Services } from "../services.js";
import { toDnssecView } from "./dnssec-view.js";
import { generateDistinctKey, insertKeyRow, newKeyRow, readKeyRows } from "./key-rows.js";
import type { DnssecView } from "./schemas.js";
import { bumpZoneSerial, lockTenantZone } from "./zone-dnssec-lock.js";

/**
 * `POST /zones/{id}/dnssec/ksk-rollover`: double-KSK rollover (RFC 6781 section 4.1.2) with the parent
 * told through CDS/CDNSKEY (RFC 7344). A new KSK joins the DNSKEY rrset and signs it beside the old
 * one, which turns `retiring`; CDS/CDNSKEY and `ds` name only the new KSK. The dnssec job removes the
 * old KSK once the parent's DS names the new one and the old DS's TTL has passed.
 */
export async function startKskRollover(
  services: Services,
  actor: Actor,
  zoneId: string,
): Promise<DnssecView> {
  authorize(actor, "tenant", zoneId);
  const { db, clock, settings } = services;
  const secret = settings.dnssec.keySecret;
  await db.$transaction(async (tx) => {
    const zone = await lockTenantZone(services, tx, actor.tenantId, zoneId);
    if (zone.dnssecState !== "signed")
      throw new DnssecStateError(
        zone.dnssecState === "off"
          ? "The zone is not signed; enable DNSSEC first."
          : "The zone is going insecure; enable DNSSEC again first.",
        "enabled",
      );
    if (secret === undefined) throw new DnssecUnavailableError();
    const rows = await readKeyRows(tx, zoneId);
    if (rows.some((k) => k.role === "ksk" && k.state === "retiring"))
      throw new DnssecStateError(
        "A KSK rollover is already under way; it finishes when the parent's DS names the new KSK.",
        "status",
      );
    const now = clock.now();
    const next = generateDistinctKey(
      "ksk",
      (zone.dnssecAlgorithm ?? 13) as Algorithm,
      rows.map((k) => k.keyTag),
    );
    for (const old of rows.filter((k) => k.role === "ksk")) {
      await tx.dnssecKey.update({ where: { id: old.id }, data: { state: "retiring", inactiveAt: now } });
    }
    const row = newKeyRow(zoneId, next, secret, "active", now);
    await insertKeyRow(tx, row);
    const serial = await bumpZoneSerial(tx, zoneId, now);
    await recordAudit(
      tx,
      clock,
      actor,
      kskRolloverStarted({ id: zone.id, origin: zone.origin }, serial, await readKeyRows(tx, zoneId)),
    );
  });
  const serial = await publishZoneById(services, zoneId, { by: actor });
  if (serial !== null) await services.edges.awaitServing(zoneId, serial);
  const zone = await db.zone.findUniqueOrThrow({ where: { id: zoneId } });
  return toDnssecView(
    zone,
    await db.dnssecKey.findMany({ where: { zoneId }, orderBy: [{ role: "asc" }, { createdAt: "asc" }] }),
  );
}
