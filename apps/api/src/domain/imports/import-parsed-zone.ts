import { announcePublished, providerOf } from "@dnscove/db";
import type { Actor } from "../actor.js";
import { zoneImported } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { prismaTransaction, transactMaybeDry } from "../history/dry-run.js";
import { publishActorOf } from "../history/publish-record.js";
import type { Services } from "../services.js";
import { insertZone } from "../zones/insert-zone.js";
import { toZoneView } from "../zones/zone-view.js";
import type { ImportedRRset } from "./parse-route53-export.js";
import type { Route53ImportResult, SkippedRecord } from "./schemas.js";

/** What every import hands over once its input is parsed and checked. */
export interface ParsedImport {
  origin: string;
  rrsets: ImportedRRset[];
  skipped: SkippedRecord[];
  previousNameservers: string[];
}

/**
 * Creates the zone of a parsed import, all or nothing: published at serial 1 with everything
 * imported, the old apex nameservers kept for the parity check, one audit entry. A dry run does
 * all of it in a transaction it rolls back and answers the `diff`; no edge is told. Shared by the
 * Route53 and zone-file imports so both end the same way.
 */
export async function importParsedZone(
  services: Services,
  actor: Actor,
  parsed: ParsedImport,
  dryRun: boolean,
  source: "route53" | "zone-file",
): Promise<Route53ImportResult> {
  const { db, clock, settings } = services;
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
    await recordAudit(tx, clock, actor, zoneImported(zone, zone.serial, counts, source));
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
