import { canonicalOrigin, DnsInputError } from "@dnscove/dns";
import { newZoneId } from "../../lib/ids.js";
import { type Actor, authorize } from "../actor.js";
import { ConflictError, ValidationError } from "../errors.js";
import { storeSnapshot } from "../publish/store-snapshot.js";
import type { Services } from "../services.js";
import { toZoneView, type ZoneView } from "./zone-view.js";

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
    if (error instanceof DnsInputError)
      throw new ValidationError([{ path: "origin", message: error.message }]);
    throw error;
  }

  const zone = await db.$transaction(async (tx) => {
    // One origin is hosted once. A parent or child of another tenant's zone is refused too: serving
    // it would let one tenant answer for names another tenant was delegated.
    const parents = origin.split(".").map((_, i, labels) => labels.slice(i).join("."));
    const clash = await tx.zone.findFirst({
      where: {
        OR: [
          { origin },
          { origin: { in: parents }, tenantId: { not: actor.tenantId } },
          { origin: { endsWith: `.${origin}` }, tenantId: { not: actor.tenantId } },
        ],
      },
    });
    if (clash) {
      throw new ConflictError(
        "ZONE_EXISTS",
        clash.origin === origin
          ? `The zone ${origin} is already hosted.`
          : `The zone ${origin} overlaps a zone hosted by another account.`,
        [{ path: "origin", message: "already hosted" }],
      );
    }
    const now = clock.now();
    const created = await tx.zone.create({
      data: {
        id: newZoneId(),
        tenantId: actor.tenantId,
        origin,
        status: "PENDING_VERIFICATION",
        serial: 1,
        publishedSerial: 1,
        createdAt: now,
        updatedAt: now,
      },
    });
    await storeSnapshot(tx, created, [], settings.zone, now);
    return created;
  });
  await services.edges.published(zone.id, zone.publishedSerial);
  return toZoneView(zone, settings.zone);
}
