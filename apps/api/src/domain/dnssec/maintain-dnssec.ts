/**
 * The dnssec job's work on one zone (issue 16, docs/dnssec.md "Refresh and rollovers"): each call
 * takes at most one step, under the zone's row lock, and publishes when it took one. The waits are
 * the RFC 6781 / RFC 7583 ones, from the key rows' timestamps and `services.clock`:
 * - refresh: the earliest signature falls due (`dnssec_refresh_at`) → a new serial; the publish
 *   re-signs what is due (zone-signer.ts), no user change needed;
 * - ZSK pre-publish rollover (RFC 6781 section 4.1.1.1): the active ZSK is older than the lifetime →
 *   a new ZSK is published; after the DNSKEY TTL + propagation it signs and the old one retires;
 *   after the largest TTL of the zone + propagation the old one is removed;
 * - KSK rollover end, and the end of going insecure: only once the parent's DS (asked through
 *   `parentDs`) names the new KSK only, or is gone, and stayed so for the DS TTL + propagation.
 */
import type { Db, DbTransaction, JournalEntry } from "@dnscove/db";
import { readZoneAt, recordZoneChanges } from "@dnscove/db";
import type { Algorithm } from "@dnscove/dnssec";
import { systemActor } from "../audit/audit-entry.js";
import { dnssecKeysChanged, dnssecUnsigned } from "../audit/audit-events.js";
import { recordAudit } from "../audit/record-audit.js";
import { publishZoneById } from "../publish/publish-zone.js";
import type { Services } from "../services.js";
import { isDnssecType } from "./dnssec-types.js";
import { dsLine, generateDistinctKey, insertKeyRow, newKeyRow, readKeyRows } from "./key-rows.js";
import { bumpZoneSerial } from "./zone-dnssec-lock.js";

/** What the parent serves as the zone's DS: presentation RDATA lines and their TTL; null: unknown. */
export type ParentDs = { records: string[]; ttl: number } | null;

export type MaintenanceStep =
  | "refresh"
  | "zsk-publish"
  | "zsk-activate"
  | "zsk-retire"
  | "ksk-finish"
  | "unsigned"
  | null;

async function lockZoneRow(tx: DbTransaction, zoneId: string) {
  // The same lock writers and the publisher take (zone-dnssec-lock.ts); any tenant (a job).
  await tx.$executeRaw`UPDATE "zones" SET "published_serial" = "published_serial" WHERE "id" = ${zoneId}`;
  return tx.zone.findUnique({ where: { id: zoneId } });
}

/** The longest TTL the zone serves: the wait before an old ZSK's signatures have left every cache. */
async function largestTtl(tx: DbTransaction, zoneId: string, services: Services): Promise<number> {
  const row = await tx.rRset.aggregate({ where: { zoneId }, _max: { ttl: true } });
  const z = services.settings.zone;
  return Math.max(row._max.ttl ?? 0, z.soaTtl, z.nsTtl, services.settings.dnssec.dnskeyTtl);
}

/**
 * One maintenance step for the zone, if one is due; answers the step taken. `parentDs` is asked
 * only when a KSK rollover or the insecure transition waits on the parent.
 */
export async function maintainDnssec(
  services: Services,
  zoneId: string,
  parentDs: (origin: string) => Promise<ParentDs>,
): Promise<MaintenanceStep> {
  const { db, clock, settings } = services;
  const peek = await db.zone.findUnique({ where: { id: zoneId } });
  if (!peek || peek.dnssecState === "off") return null;
  const peekKeys = await db.dnssecKey.findMany({ where: { zoneId } });
  const waitsOnParent =
    peek.dnssecState === "going-insecure" || peekKeys.some((k) => k.role === "ksk" && k.state === "retiring");
  // Network I/O before the transaction: no row lock is held while the parent's servers answer.
  const parent = waitsOnParent ? await parentDs(`${peek.origin}.`) : null;
  const propagation = settings.dnssec.propagationSeconds * 1000;
  const step = await db.$transaction(async (tx): Promise<MaintenanceStep> => {
    const zone = await lockZoneRow(tx, zoneId);
    if (!zone || zone.dnssecState === "off") return null;
    const now = clock.now();
    const t = now.getTime();
    const ref = { id: zone.id, origin: zone.origin };
    const actor = systemActor(zone.tenantId, "dnssec");
    const rows = await readKeyRows(tx, zoneId);
    const audit = async (serial: number, s: string) =>
      recordAudit(tx, clock, actor, dnssecKeysChanged(ref, serial, s, await readKeyRows(tx, zoneId)));
    const dsTtl = (parent?.ttl ?? 0) * 1000;

    if (zone.dnssecState === "going-insecure") {
      // RFC 8078 section 4: stop signing only once the parent has no DS left, and its TTL has passed.
      if (!parent || parent.records.length > 0) {
        if (zone.dnssecParentSeenAt)
          await tx.zone.update({ where: { id: zoneId }, data: { dnssecParentSeenAt: null } });
        return null;
      }
      if (!zone.dnssecParentSeenAt) {
        await tx.zone.update({ where: { id: zoneId }, data: { dnssecParentSeenAt: now } });
        return null;
      }
      if (t < zone.dnssecParentSeenAt.getTime() + dsTtl + propagation) return null;
      const serial = await bumpZoneSerial(tx, zoneId, now);
      const published = await readZoneAt(tx as unknown as Db, zoneId, zone.publishedSerial);
      const removals: JournalEntry[] = (published?.rrsets ?? [])
        .filter((r) => isDnssecType(r.type))
        .map((r) => ({
          name: r.name,
          type: r.type,
          before: { ttl: r.ttl, records: JSON.stringify([...r.records].sort()) },
          after: null,
        }));
      await recordZoneChanges(tx, zoneId, serial, removals);
      await tx.dnssecKey.deleteMany({ where: { zoneId } });
      await tx.zone.update({
        where: { id: zoneId },
        data: {
          dnssecState: "off",
          dnssecAlgorithm: null,
          dnssecStateSince: now,
          dnssecRefreshAt: null,
          dnssecParentSeenAt: null,
        },
      });
      services.signers.delete(zoneId);
      await recordAudit(tx, clock, actor, dnssecUnsigned(ref, serial));
      return "unsigned";
    }

    const oldKsk = rows.find((k) => k.role === "ksk" && k.state === "retiring");
    if (oldKsk) {
      const wanted = new Set(
        rows
          .filter((k) => k.role === "ksk" && k.state === "active")
          .map((k) => dsLine(zone.origin, k).split(" IN DS ")[1]),
      );
      const norm = (ds: string) => {
        const [tag, alg, type, ...hex] = ds.trim().split(/\s+/);
        return `${tag} ${alg} ${type} ${hex.join("").toUpperCase()}`;
      };
      const names = parent?.records.map(norm) ?? [];
      const done = names.length > 0 && names.every((d) => wanted.has(d));
      if (!done) {
        if (zone.dnssecParentSeenAt)
          await tx.zone.update({ where: { id: zoneId }, data: { dnssecParentSeenAt: null } });
      } else if (!zone.dnssecParentSeenAt) {
        await tx.zone.update({ where: { id: zoneId }, data: { dnssecParentSeenAt: now } });
      } else if (t >= zone.dnssecParentSeenAt.getTime() + dsTtl + propagation) {
        // RFC 6781 section 4.1.2: the old DS has expired from caches; the old KSK can go.
        await tx.dnssecKey.delete({ where: { id: oldKsk.id } });
        await tx.zone.update({ where: { id: zoneId }, data: { dnssecParentSeenAt: null } });
        const serial = await bumpZoneSerial(tx, zoneId, now);
        await audit(serial, "ksk-finish");
        return "ksk-finish";
      }
    }

    const zsks = rows.filter((k) => k.role === "zsk");
    const active = zsks.find((k) => k.state === "active");
    const waiting = zsks.find((k) => k.state === "published");
    const retiring = zsks.find((k) => k.state === "retiring");
    const dnskeyWait = settings.dnssec.dnskeyTtl * 1000 + propagation;
    if (retiring?.inactiveAt) {
      const wait = (await largestTtl(tx, zoneId, services)) * 1000 + propagation;
      if (t >= retiring.inactiveAt.getTime() + wait) {
        await tx.dnssecKey.delete({ where: { id: retiring.id } });
        const serial = await bumpZoneSerial(tx, zoneId, now);
        await audit(serial, "zsk-retire");
        return "zsk-retire";
      }
    } else if (waiting?.publishedAt && active) {
      if (t >= waiting.publishedAt.getTime() + dnskeyWait) {
        await tx.dnssecKey.update({ where: { id: waiting.id }, data: { state: "active", activatedAt: now } });
        await tx.dnssecKey.update({ where: { id: active.id }, data: { state: "retiring", inactiveAt: now } });
        const serial = await bumpZoneSerial(tx, zoneId, now);
        await audit(serial, "zsk-activate");
        return "zsk-activate";
      }
    } else if (
      active?.activatedAt &&
      t >= active.activatedAt.getTime() + settings.dnssec.zskLifetimeSeconds * 1000
    ) {
      const secret = settings.dnssec.keySecret;
      if (secret !== undefined) {
        const next = generateDistinctKey(
          "zsk",
          active.algorithm as Algorithm,
          rows.map((k) => k.keyTag),
        );
        await insertKeyRow(tx, { ...newKeyRow(zoneId, next, secret, "published", now) });
        const serial = await bumpZoneSerial(tx, zoneId, now);
        await audit(serial, "zsk-publish");
        return "zsk-publish";
      }
    }

    if (zone.dnssecRefreshAt && t >= zone.dnssecRefreshAt.getTime()) {
      // No user change needed: the publish re-signs every signature that is due.
      await bumpZoneSerial(tx, zoneId, now);
      return "refresh";
    }
    return null;
  });
  if (step !== null) await publishZoneById(services, zoneId);
  return step;
}
