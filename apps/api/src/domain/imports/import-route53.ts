import { announcePublished, providerOf } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { zoneImported } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { ValidationError } from "../errors.js";
import { prismaTransaction, transactMaybeDry } from "../history/dry-run.js";
import { publishActorOf } from "../history/publish-record.js";
import type { Services } from "../services.js";
import { insertZone } from "../zones/insert-zone.js";
import { toZoneView } from "../zones/zone-view.js";
import { parseRoute53ExportYielding, Route53ImportError } from "./parse-route53-export.js";
import type { Route53ImportResult } from "./schemas.js";

/**
 * Creates a zone from `aws route53 list-resource-record-sets` output, all or nothing: a malformed
 * record answers 400 naming it and nothing is written. The zone is published at serial 1 with
 * everything imported; the old apex nameservers are kept for the parity check. A dry run does all
 * of it in a transaction it rolls back, and answers what the import would create (`diff`, every
 * rrset added at serial 1); nothing is written and no edge is told.
 */
export async function importRoute53(
  services: Services,
  actor: Actor,
  input: { json: string; origin?: string | undefined; dry_run?: boolean | undefined },
): Promise<Route53ImportResult> {
  authorize(actor, "tenant");
  const { db, clock, settings } = services;
  let parsed: Awaited<ReturnType<typeof parseRoute53ExportYielding>>;
  try {
    parsed = await parseRoute53ExportYielding(
      input.json,
      input.origin === undefined ? {} : { origin: input.origin },
    );
  } catch (error) {
    if (error instanceof Route53ImportError) {
      throw new ValidationError([
        { path: error.path ? `json.${error.path}` : "json", message: error.message },
      ]);
    }
    throw error;
  }
  const dryRun = input.dry_run ?? false;
  const zone = await transactMaybeDry(prismaTransaction(db), dryRun, async (tx) => {
    const zone = await insertZone(
      tx,
      {
        tenantId: actor.tenantId,
        origin: parsed.origin,
        rrsets: parsed.rrsets,
        previousNs: parsed.previousNameservers,
        importSkipped: parsed.skipped,
        actor: publishActorOf(actor),
      },
      settings,
      clock.now(),
      providerOf(db),
    );
    if (dryRun) return zone;
    const counts = { imported: parsed.rrsets.length, skipped: parsed.skipped.length };
    await recordAudit(tx, clock, actor, zoneImported(zone, zone.serial, counts));
    // Last: the feed's row stays locked until commit (lock order: zone, audit head, feed).
    await announcePublished(tx, zone.id);
    return zone;
  });
  if (dryRun) {
    const view = toZoneView(zone, settings.zone);
    return {
      zone: view,
      imported: parsed.rrsets.length,
      skipped: parsed.skipped,
      published: false,
      ns: view.ns,
      dry_run: true,
      diff: {
        added: parsed.rrsets
          .map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, records: r.records }))
          .sort((a, b) => (a.name === b.name ? (a.type < b.type ? -1 : 1) : a.name < b.name ? -1 : 1)),
        removed: [],
        changed: [],
      },
    };
  }
  await services.edges.snapshotsChanged();
  const publishError = await services.edges.awaitServing(zone.id, zone.publishedSerial);
  const view = toZoneView(zone, settings.zone);
  return {
    zone: view,
    imported: parsed.rrsets.length,
    skipped: parsed.skipped,
    published: publishError === null,
    ...(publishError !== null ? { publish_error: publishError } : {}),
    ns: view.ns,
  };
}
