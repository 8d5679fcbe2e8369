import { announcePublished, providerOf } from "@dnscove/db";
import { canonicalOrigin, DnsInputError } from "@dnscove/dns";
import { type Actor, authorize } from "../actor.js";
import { zoneCreated } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { ValidationError } from "../errors.js";
import { publishActorOf } from "../history/publish-record.js";
import type { Services } from "../services.js";
import { insertZone } from "./insert-zone.js";
import type { ZoneView } from "./schemas.js";
import { toZoneView } from "./zone-view.js";

/**
 * Creates a zone and publishes serial 1 (SOA and apex NS) in the same transaction, so the
 * delegation check can pass as soon as the parent delegates (api-contract.md).
 */
export async function createZone(
  services: Services,
  actor: Actor,
  input: { origin: string },
): Promise<ZoneView> {
  authorize(actor, "tenant");
  const { db, clock, settings } = services;
  let origin: string;
  try {
    origin = canonicalOrigin(input.origin);
  } catch (error) {
    if (error instanceof DnsInputError) {
      throw new ValidationError([{ path: "origin", message: error.message }]);
    }
    throw error;
  }
  const zone = await db.$transaction(async (tx) => {
    const zone = await insertZone(
      tx,
      { tenantId: actor.tenantId, origin, actor: publishActorOf(actor) },
      settings,
      clock.now(),
      providerOf(db),
    );
    await recordAudit(tx, clock, actor, zoneCreated(zone, zone.serial));
    // Last: the feed's row stays locked until commit (lock order: zone, audit head, feed).
    await announcePublished(tx, zone.id);
    return zone;
  });
  await services.edges.snapshotsChanged();
  return toZoneView(zone, settings.zone);
}
