import { type Db, type JournalEntry, type JournalRRset, netChanges, readZoneChanges } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { isDnssecType } from "../dnssec/dnssec-types.js";
import { type FieldIssue, HistoryGoneError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import type { RRsetDiff, ZoneDiff } from "./schemas.js";

function content(rrset: JournalRRset): { ttl: number; records: string[] } {
  return { ttl: rrset.ttl, records: JSON.parse(rrset.records) as string[] };
}

const byKey = (a: { name: string; type: string }, b: { name: string; type: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0;

/**
 * The diff that journal entries (one per rrset, before → after, canonical text) describe. Entries
 * whose two sides are equal are left out, so an UPSERT of the same content is no difference.
 */
export function diffOfEntries(entries: readonly JournalEntry[]): RRsetDiff {
  const diff: RRsetDiff = { added: [], removed: [], changed: [] };
  for (const { name, type, before, after } of entries) {
    if (before && after) {
      if (before.ttl === after.ttl && before.records === after.records) continue;
      diff.changed.push({ name, type, before: content(before), after: content(after) });
    } else if (after) diff.added.push({ name, type, ...content(after) });
    else if (before) diff.removed.push({ name, type, ...content(before) });
  }
  diff.added.sort(byKey);
  diff.removed.sort(byKey);
  diff.changed.sort(byKey);
  return diff;
}

/**
 * The net changes from serial `from` to serial `to` (either order) read from the journal: O(what
 * changed in between), never the zone's size (issue 14). Both serials must be in the kept history
 * (at or above `historyFrom`); the caller checks.
 */
export async function journalDiff(db: Db, zoneId: string, from: number, to: number): Promise<JournalEntry[]> {
  if (from === to) return [];
  const low = Math.min(from, to);
  const high = Math.max(from, to);
  // DNSSEC records travel in the journal too (the signer's, at each publish); users see their content.
  const net = netChanges(await readZoneChanges(db, zoneId, low, high)).filter((e) => !isDnssecType(e.type));
  return from < to ? net : net.map((e) => ({ name: e.name, type: e.type, before: e.after, after: e.before }));
}

/** `GET /zones/{id}/diff?from=&to=`: `to` defaults to the current serial (unpublished changes included). */
export async function diffZone(
  services: Services,
  actor: Actor,
  zoneId: string,
  query: { from: number; to?: number | undefined },
): Promise<ZoneDiff> {
  authorize(actor, "zone-records", zoneId);
  const { db } = services;
  const zone = await findTenantZone(db, actor.tenantId, zoneId);
  const from = query.from;
  const to = query.to ?? zone.serial;
  const issues: FieldIssue[] = [];
  for (const [path, serial] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (serial > zone.serial) {
      issues.push({ path, message: `the zone's serial is ${zone.serial}; ${serial} does not exist yet` });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  // The older of the two must be in the kept history; the error names that parameter.
  const [olderPath, older] = from <= to ? (["from", from] as const) : (["to", to] as const);
  const gone = (historyFrom: number) => {
    if (older < historyFrom) throw new HistoryGoneError(older, historyFrom, olderPath);
  };
  gone(zone.historyFrom);
  const entries = await journalDiff(db, zoneId, from, to);
  // Compaction may have pruned the journal while it was read: then the rows read are incomplete.
  const after = await db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } });
  gone(after?.historyFrom ?? zone.historyFrom);
  return { from, to, ...diffOfEntries(entries) };
}
