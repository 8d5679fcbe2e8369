import type { Algorithm } from "@dnscove/dnssec";
import { type Actor, authorize } from "../actor.js";
import { dnssecDisabled, dnssecEnabled } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { DnssecStateError, DnssecUnavailableError } from "../errors.js";
import { publishZoneById } from "../publish/publish-zone.js";
import type { Services } from "../services.js";
import { toDnssecView } from "./dnssec-view.js";
import { generateDistinctKey, insertKeyRow, newKeyRow, readKeyRows } from "./key-rows.js";
import { algorithmName, DNSSEC_ALGORITHMS, type DnssecView, type SetDnssecRequest } from "./schemas.js";
import { bumpZoneSerial, lockTenantZone } from "./zone-dnssec-lock.js";

/**
 * `PUT /zones/{id}/dnssec`. Enabling an unsigned zone makes a KSK and a ZSK (private halves sealed
 * with DNSCOVE_DNSSEC_KEY_SECRET) and takes a serial; the publish that follows, before the answer,
 * signs the whole zone at it. Enabling a zone that is going insecure cancels the transition (the
 * CDS/CDNSKEY name the KSK again). Disabling starts the insecure transition (RFC 8078 section 4):
 * the zone stays signed until the parent has dropped the DS (the dnssec job watches it). Asking for
 * the state the zone is already in changes nothing and writes nothing (PUT is idempotent).
 */
export async function setDnssec(
  services: Services,
  actor: Actor,
  zoneId: string,
  input: SetDnssecRequest,
): Promise<DnssecView> {
  authorize(actor, "tenant", zoneId);
  const { db, clock, settings } = services;
  const secret = settings.dnssec.keySecret;
  if (input.enabled && secret === undefined) throw new DnssecUnavailableError();
  const wanted: Algorithm | undefined =
    input.algorithm === undefined ? undefined : DNSSEC_ALGORITHMS[input.algorithm];
  const changed = await db.$transaction(async (tx) => {
    const zone = await lockTenantZone(services, tx, actor.tenantId, zoneId);
    const ref = { id: zone.id, origin: zone.origin };
    const now = clock.now();
    if (input.enabled) {
      if (zone.dnssecState !== "off") {
        if (wanted !== undefined && zone.dnssecAlgorithm !== wanted) {
          throw new DnssecStateError(
            `The zone is signed with ${algorithmName(zone.dnssecAlgorithm ?? 13)}; changing the algorithm is not supported (disable DNSSEC, wait for the zone to be unsigned, enable again).`,
            "algorithm",
          );
        }
        if (zone.dnssecState === "signed") return false;
        // Going insecure → signed again: the keys never left; CDS/CDNSKEY name the KSK again.
        const serial = await bumpZoneSerial(tx, zoneId, now);
        await tx.zone.update({
          where: { id: zoneId },
          data: { dnssecState: "signed", dnssecStateSince: now },
        });
        const rows = await readKeyRows(tx, zoneId);
        await recordAudit(
          tx,
          clock,
          actor,
          dnssecEnabled(ref, serial, zone.dnssecAlgorithm ?? 13, rows, true),
        );
        return true;
      }
      const algorithm = wanted ?? DNSSEC_ALGORITHMS.ECDSAP256SHA256;
      const ksk = generateDistinctKey("ksk", algorithm, []);
      const zsk = generateDistinctKey("zsk", algorithm, [ksk.keyTag]);
      const rows = [
        newKeyRow(zoneId, ksk, secret as string, "active", now),
        newKeyRow(zoneId, zsk, secret as string, "active", now),
      ];
      for (const row of rows) await insertKeyRow(tx, row);
      const serial = await bumpZoneSerial(tx, zoneId, now);
      await tx.zone.update({
        where: { id: zoneId },
        data: { dnssecState: "signed", dnssecAlgorithm: algorithm, dnssecStateSince: now },
      });
      await recordAudit(tx, clock, actor, dnssecEnabled(ref, serial, algorithm, rows, false));
      return true;
    }
    if (zone.dnssecState !== "signed") return false;
    const serial = await bumpZoneSerial(tx, zoneId, now);
    await tx.zone.update({
      where: { id: zoneId },
      data: { dnssecState: "going-insecure", dnssecStateSince: now },
    });
    await recordAudit(tx, clock, actor, dnssecDisabled(ref, serial));
    return true;
  });
  if (changed) {
    const serial = await publishZoneById(services, zoneId, { by: actor });
    if (serial !== null) await services.edges.awaitServing(zoneId, serial);
  }
  const zone = await db.zone.findUniqueOrThrow({ where: { id: zoneId } });
  const rows = await db.dnssecKey.findMany({
    where: { zoneId },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  return toDnssecView(zone, rows);
}
