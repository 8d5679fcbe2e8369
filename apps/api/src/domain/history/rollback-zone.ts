import { type JournalEntry, lockZone, providerOf, type StoredRRsetRow } from "@dnscove/db";
import { DEFAULT_TTL } from "@dnscove/dns";
import { type Actor, authorize } from "../actor.js";
import { isSystemManaged } from "../dnssec/dnssec-types.js";
import { NotFoundError } from "../errors.js";
import { changeRRsetsIn } from "../rrsets/change-rrsets.js";
import type { RRsetChangeInput } from "../rrsets/schemas.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import { prismaTransaction, transactMaybeDry } from "./dry-run.js";
import { readPublished } from "./get-snapshot.js";
import type { RollbackResult } from "./schemas.js";
import { diffOfEntries } from "./zone-diff.js";

/**
 * `POST /zones/{id}/rollback`: makes the zone's rrsets equal those of published serial `serial`, as
 * one new serial (serials never go back, RFC 1982, so secondaries follow by IXFR as for any change).
 * The difference is applied through the rrset change itself (changeRRsetsIn: the same checks,
 * quota, brake on mass deletes, journal and audit), in a transaction that locked the zone before
 * reading its current rrsets, so nothing written meanwhile is lost or undone unseen. The apex SOA
 * and NS are system-managed and not part of a rollback. A zone that already equals the snapshot
 * answers UNCHANGED without a new serial: nothing to publish, nothing for secondaries to fetch.
 */
export async function rollbackZone(
  services: Services,
  actor: Actor,
  zoneId: string,
  input: { serial: number; dry_run: boolean; confirm_mass_delete: boolean },
): Promise<RollbackResult> {
  authorize(actor, "zone-records", zoneId);
  const { db } = services;
  const zone = await findTenantZone(db, actor.tenantId, zoneId);
  // A published serial's content never changes: read it before locking the zone.
  const { content } = await readPublished(db, zone, input.serial);
  const apex = content.origin;
  const target = new Map<string, JournalEntry>();
  for (const rrset of content.rrsets) {
    // DNSSEC records are the signer's: a rollback never restores old signatures or keys.
    if (isSystemManaged(apex, rrset)) continue;
    target.set(`${rrset.name} ${rrset.type}`, {
      name: rrset.name,
      type: rrset.type,
      before: null,
      after: { ttl: rrset.ttl, records: JSON.stringify(rrset.records) },
    });
  }

  return transactMaybeDry(prismaTransaction(db), input.dry_run, async (tx) => {
    const locked = await lockZone(tx, providerOf(db), zoneId);
    if (!locked) throw new NotFoundError("Zone");
    const rows = await tx.$queryRaw<StoredRRsetRow[]>`
      SELECT "name", "type", "ttl", "records" FROM "rrsets" WHERE "zone_id" = ${zoneId}`;
    const entries: JournalEntry[] = [];
    for (const row of rows) {
      const key = `${row.name} ${row.type}`;
      const before = { ttl: Number(row.ttl), records: row.records };
      const wanted = target.get(key);
      target.delete(key);
      const after = wanted?.after ?? null;
      if (after && after.ttl === before.ttl && after.records === before.records) continue;
      entries.push({ name: row.name, type: row.type, before, after });
    }
    entries.push(...target.values());
    const result = {
      dry_run: input.dry_run,
      rolled_back_to: input.serial,
    };
    if (entries.length === 0) {
      const diff = { from: locked.serial, to: locked.serial, ...diffOfEntries([]) };
      return { status: "UNCHANGED" as const, ...result, serial: locked.serial, diff };
    }
    const inputs: RRsetChangeInput[] = entries.map((entry) =>
      entry.after
        ? {
            action: "UPSERT",
            name: entry.name,
            type: entry.type,
            ttl: entry.after.ttl,
            records: JSON.parse(entry.after.records) as string[],
          }
        : { action: "DELETE", name: entry.name, type: entry.type, ttl: DEFAULT_TTL },
    );
    const applied = await changeRRsetsIn(tx, services, actor, zoneId, inputs, true, {
      confirmMassDelete: input.confirm_mass_delete,
      dryRun: input.dry_run,
      withDiff: true,
      rollbackTo: input.serial,
    });
    const diff = { from: locked.serial, to: applied.serial, ...(applied.diff ?? diffOfEntries(entries)) };
    return {
      status: input.dry_run ? ("DRY_RUN" as const) : ("PENDING" as const),
      ...result,
      serial: applied.serial,
      diff,
    };
  });
}
