/**
 * Where IXFR (RFC 1995) finds the changes between two serials: the change journal (`zone_changes`,
 * issue 14) read through the edge's own database connection.
 */
import { type Db, type JournalEntry, netChanges, readZoneChanges } from "@dnscove/db";

export interface ZoneHistory {
  /**
   * The net change of every rrset from serial `from` to serial `to` (from < to, both published);
   * null when the journal no longer reaches back to `from` (it is whole only for serials >
   * `history_from`; compaction prunes it); "too-big" when more than `maxRows` journal rows lie in
   * between (counted before any is read: a difference that size is no smaller than the zone, and
   * reading it would only delay the answer). Rejects when the database cannot be read.
   */
  diff(zoneId: string, from: number, to: number, maxRows: number): Promise<JournalEntry[] | null | "too-big">;
}

/**
 * The journal as a ZoneHistory. Rows at or below a published serial never change; pruning moves
 * `history_from` first in its own transaction, so reading `history_from` again after the rows tells
 * whether they were whole (the same reasoning as sync/catch-up-zone.ts).
 */
export function databaseHistory(db: Db): ZoneHistory {
  const historyFrom = async (zoneId: string): Promise<number | undefined> =>
    (await db.zone.findUnique({ where: { id: zoneId }, select: { historyFrom: true } }))?.historyFrom;
  return {
    async diff(zoneId, from, to, maxRows) {
      const start = await historyFrom(zoneId);
      if (start === undefined || from < start) return null;
      const rows = await db.zoneChange.count({
        where: { zoneId, serial: { gt: from, lte: to } },
      });
      if (rows > maxRows) return "too-big";
      const changes = await readZoneChanges(db, zoneId, from, to);
      const still = await historyFrom(zoneId);
      if (still === undefined || from < still) return null;
      return netChanges(changes);
    },
  };
}
