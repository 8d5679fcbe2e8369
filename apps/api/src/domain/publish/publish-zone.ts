import { announcePublished, lockZone, providerOf, recordZoneChanges } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { systemActor } from "../audit/audit-entry.js";
import { zonePublished } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { type SignedPublish, signForPublish } from "../dnssec/zone-signer.js";
import { publishActorOf, recordPublish, SYSTEM_ACTOR } from "../history/publish-record.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import { toZoneView } from "../zones/zone-view.js";
import { compactionDue, compactSoon, newestSnapshotSerial, restartHistoryAt } from "./compact-history.js";
import type { PublishResult } from "./schemas.js";

export interface PublishOptions {
  /**
   * Skip a zone another transaction holds (PostgreSQL: a writer, or a publisher in another API
   * process) instead of waiting for it; answers null. The auto-publisher uses this so several API
   * processes never publish the same zone twice; the skipped zone is published on a later tick.
   */
  skipLocked?: boolean;
  /** Who asked for the publish, for the audit log; absent: the auto-publisher (a `system` actor). */
  by?: Actor;
}

/**
 * Publishes the zone's current content at its current serial: moves `published_serial` there. The
 * content travels as the change journal (`zone_changes`, written by every rrset write): edges apply
 * the rows since the serial they serve, so a publish costs what changed, not the zone (issue 14).
 * Full snapshots are written off this path, once the journal has outgrown the zone (compactSoon,
 * and the auto-publisher's pass for any it missed), and here only when no snapshot can be caught
 * up from (zones from before the journal). Nothing pending: nothing written. Returns the published
 * serial.
 *
 * The zone row is locked first (lockZone): writers bump the serial and journal under the same
 * lock, so serial S holds exactly the writes acknowledged with serials ≤ S — a secondary following
 * by IXFR (RFC 1995) sees the same zone at S as every edge.
 */
export async function publishZoneById(
  services: Services,
  zoneId: string,
  options: PublishOptions = {},
): Promise<number | null> {
  const { db, clock, settings } = services;
  const provider = providerOf(db);
  const started = process.hrtime.bigint();
  let due = false;
  let moved = false;
  let signed = null as SignedPublish | null;
  const serial = await db.$transaction(async (tx) => {
    const zone = await lockZone(tx, provider, zoneId, options);
    if (!zone) return null;
    if (zone.publishedSerial >= zone.serial) return zone.publishedSerial;
    const published = await tx.zoneChange.count({
      where: { zoneId, serial: { gt: zone.publishedSerial, lte: zone.serial } },
    });
    // DNSSEC (issue 16): a signed zone's signatures, NSEC3 chain and keys move to the new serial in
    // this transaction, journalled at it like data (dnssec-contract §1-2).
    const dnssec = await tx.zone.findUniqueOrThrow({
      where: { id: zoneId },
      select: { dnssecState: true },
    });
    signed = await signForPublish(tx, services.signers, settings, { ...zone, ...dnssec }, clock.now());
    if (signed) {
      await recordZoneChanges(tx, zoneId, zone.serial, signed.entries);
    }
    let changesSinceSnapshot = zone.changesSinceSnapshot + published + (signed?.entries.length ?? 0);
    let historyFrom = zone.historyFrom;
    // An edge rebuilds serial S from the newest snapshot plus the journal after it; a zone whose
    // journal starts later (migrated from before the journal existed) needs a snapshot first.
    const newest = await newestSnapshotSerial(tx, zoneId);
    if (newest === null || newest < zone.historyFrom) {
      await restartHistoryAt(tx, zone, zone.serial, settings.zone, clock.now(), signed?.rrsets ?? []);
      historyFrom = zone.serial;
      changesSinceSnapshot = 0;
    }
    await tx.zone.update({
      where: { id: zoneId },
      data: {
        publishedSerial: zone.serial,
        changesSinceSnapshot,
        historyFrom,
        ...(signed ? { dnssecRefreshAt: signed.refreshAt } : {}),
      },
    });
    await recordPublish(tx, {
      zoneId,
      serial: zone.serial,
      actor: options.by ? publishActorOf(options.by) : SYSTEM_ACTOR,
      rrsetRows: zone.rrsetCount,
      at: clock.now(),
    });
    const by = options.by ?? systemActor(zone.tenantId, "auto-publisher");
    await recordAudit(tx, clock, by, zonePublished(zone, zone.publishedSerial, zone.serial));
    await announcePublished(tx, zoneId);
    due = compactionDue(changesSinceSnapshot, zone.rrsetCount);
    moved = true;
    return zone.serial;
  });
  // Only now the signer may serve the next publish: had the transaction failed, it would hold
  // records that were never stored (the next publish then rebuilds it from the database).
  if (moved) signed?.commit();
  if (serial !== null) await services.edges.snapshotsChanged();
  // Only publishes that moved the serial: a no-op (nothing pending) would flatter the histogram.
  if (moved) {
    services.metrics.publishDuration.observe(
      { trigger: options.by ? "api" : "auto" },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }
  if (due) compactSoon(services, zoneId);
  return serial;
}
/** `POST /zones/{id}/publish`: publish now; answers once the edge serves the serial. */
export async function publishZone(services: Services, actor: Actor, zoneId: string): Promise<PublishResult> {
  authorize(actor, "tenant", zoneId);
  await findTenantZone(services.db, actor.tenantId, zoneId);
  const serial = (await publishZoneById(services, zoneId, { by: actor })) ?? 0;
  const publishError = await services.edges.awaitServing(zoneId, serial);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  return {
    zone: toZoneView(zone, services.settings.zone),
    published: publishError === null,
    serial,
    ...(publishError !== null ? { publish_error: publishError } : {}),
  };
}
