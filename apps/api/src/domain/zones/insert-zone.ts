import type { DbTransaction, Provider, StoredRRsetRow } from "@dnscove/db";
import { newZoneId } from "../../lib/ids.js";
import type { DomainSettings } from "../domain-settings.js";
import { ConflictError, QuotaExceededError } from "../errors.js";
import { type PublishActor, recordPublish } from "../history/publish-record.js";
import { insertRRsetRows } from "./insert-rrset-rows.js";
import { refusePublicSuffix } from "./public-suffix.js";
import { storeSnapshot } from "./store-snapshot.js";

export interface NewZone {
  tenantId: string;
  /** canonicalOrigin form */
  origin: string;
  /** Canonical rrsets to start with (an import); none for an empty zone. */
  rrsets?: { name: string; type: string; ttl: number; records: string[] }[];
  /** Nameservers that served the zone before (an import), for the parity check. */
  previousNs?: string[];
  /** What the import skipped, so the parity check can ask the old provider about it. */
  importSkipped?: { name: string; type: string; reason: string }[];
  /** Who creates it: the snapshot history names them for serial 1. */
  actor: PublishActor;
}

/**
 * Writes a new zone at serial 1 with its content and publishes that serial in the same
 * transaction, so the edge can answer (and the delegation check pass) as soon as it commits.
 * Every path that creates a zone comes through here, so the public-suffix rule and the quotas
 * are checked once, for all of them.
 */
export async function insertZone(
  tx: DbTransaction,
  zone: NewZone,
  settings: Pick<DomainSettings, "zone" | "quotas">,
  now: Date,
  provider: Provider,
) {
  const { origin, tenantId } = zone;
  const { zone: defaults, quotas } = settings;
  refusePublicSuffix(origin);
  const rrsetCount = zone.rrsets?.length ?? 0;
  if (rrsetCount > quotas.rrsetsPerZone) {
    throw new QuotaExceededError(
      `The zone would hold ${rrsetCount} rrsets; the limit is ${quotas.rrsetsPerZone} per zone.`,
    );
  }
  // A write that changes nothing takes the tenant row's lock (PostgreSQL; SQLite has one writer), so
  // one tenant's concurrent creates are counted one after another and cannot overshoot the quota
  // together. The key is set to itself: no foreign-key action runs (the key did not change).
  await tx.tenant.update({ where: { id: tenantId }, data: { id: tenantId }, select: { id: true } });
  const held = await tx.zone.count({ where: { tenantId } });
  if (held >= quotas.zonesPerTenant) {
    throw new QuotaExceededError(
      `The account holds ${held} zones; the limit is ${quotas.zonesPerTenant} per account.`,
    );
  }
  // One origin is hosted once. A parent or child of another tenant's zone is refused too: serving
  // it would let one tenant answer for names another tenant was delegated.
  const parents = origin.split(".").map((_, i, labels) => labels.slice(i).join("."));
  const clash = await tx.zone.findFirst({
    where: {
      OR: [
        { origin },
        { origin: { in: parents }, tenantId: { not: tenantId } },
        { origin: { endsWith: `.${origin}` }, tenantId: { not: tenantId } },
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
  const created = await tx.zone
    .create({
      data: {
        id: newZoneId(),
        tenantId,
        origin,
        status: "PENDING_VERIFICATION",
        serial: 1,
        publishedSerial: 1,
        historyFrom: 1,
        previousNs: zone.previousNs ? JSON.stringify(zone.previousNs) : null,
        importSkipped: zone.importSkipped ? JSON.stringify(zone.importSkipped) : null,
        rrsetCount,
        createdAt: now,
        updatedAt: now,
      },
    })
    .catch((error: unknown) => {
      // Two creates of one origin at once (another API process): both passed the check above;
      // the unique index refuses the second, which is the same conflict, not a server error.
      if ((error as { code?: unknown } | null)?.code === "P2002") {
        throw new ConflictError("ZONE_EXISTS", `The zone ${origin} is already hosted.`, [
          { path: "origin", message: "already hosted" },
        ]);
      }
      throw error;
    });
  const rows: StoredRRsetRow[] = (zone.rrsets ?? []).map((rrset) => ({
    name: rrset.name,
    type: rrset.type,
    ttl: rrset.ttl,
    records: JSON.stringify(rrset.records),
  }));
  await insertRRsetRows(tx, provider, created.id, rows);
  await storeSnapshot(tx, created, rows, defaults, now);
  await recordPublish(tx, {
    zoneId: created.id,
    serial: 1,
    actor: zone.actor,
    rrsetRows: rrsetCount,
    at: now,
  });
  return created;
}
