import type { Db, DbTransaction } from "./open-database.js";

/**
 * The publish feed (migration 0012, issue 14): what an edge reads on each poll is what was
 * published since its last look, not every zone. A publish, a zone creation and a zone removal each
 * take the next number from the one-row `publish_feed` table as the last statement of their
 * transaction. On PostgreSQL the UPDATE holds the row's lock until commit, and SQLite has one
 * writer, so numbers commit in order: once a reader sees the head at N, every number up to N is
 * committed and visible.
 */

/**
 * Takes the next feed number. Call it last in the transaction: it holds the feed until commit, and
 * every writer takes its locks in one order (zone row, tenant audit head, feed) so none deadlock.
 */
async function nextFeedNumber(tx: DbTransaction): Promise<number> {
  const rows = await tx.$queryRaw<{ seq: bigint | number }[]>`
    UPDATE "publish_feed" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq"`;
  const row = rows[0];
  if (!row) throw new Error("publish_feed has no row (migration 0012 not applied?)");
  return Number(row.seq);
}

/** Puts the zone on the feed: its `published_serial` just moved, or it was just created. */
export async function announcePublished(tx: DbTransaction, zoneId: string): Promise<void> {
  const seq = await nextFeedNumber(tx);
  await tx.$executeRaw`
    INSERT INTO "zone_feed" ("zone_id", "seq") VALUES (${zoneId}, ${seq})
    ON CONFLICT ("zone_id") DO UPDATE SET "seq" = excluded."seq"`;
}

/**
 * Puts a removed zone on the feed. Removals more than REMOVALS_WINDOW feed numbers old are pruned
 * as new ones come: an edge that far behind scans every zone instead (readRemovedZones).
 */
export async function announceRemoved(tx: DbTransaction, zoneId: string): Promise<void> {
  const seq = await nextFeedNumber(tx);
  await tx.$executeRaw`INSERT INTO "zone_removals" ("seq", "zone_id") VALUES (${seq}, ${zoneId})`;
  await tx.$executeRaw`DELETE FROM "zone_removals" WHERE "seq" <= ${seq - REMOVALS_WINDOW}`;
}

export const REMOVALS_WINDOW = 1_000_000;

/** A zone as an edge's poll reads it. */
export interface FeedZone {
  id: string;
  origin: string;
  publishedSerial: number;
  historyFrom: number;
}

/** The feed's head: every publish numbered up to it is committed. Read it before the zones. */
export async function readFeedHead(db: Db): Promise<number> {
  const rows = await db.$queryRaw<{ seq: bigint | number }[]>`
    SELECT "seq" FROM "publish_feed" WHERE "id" = 1`;
  return Number(rows[0]?.seq ?? 0);
}

/** Every zone (a full scan), or those published after feed number `since`. */
export function readPublishedZones(db: Db, since: number | null): Promise<FeedZone[]> {
  return since === null
    ? db.$queryRaw<FeedZone[]>`
        SELECT "id", "origin", "published_serial" AS "publishedSerial", "history_from" AS "historyFrom"
        FROM "zones"`
    : db.$queryRaw<FeedZone[]>`
        SELECT z."id", z."origin", z."published_serial" AS "publishedSerial",
          z."history_from" AS "historyFrom"
        FROM "zone_feed" f JOIN "zones" z ON z."id" = f."zone_id" WHERE f."seq" > ${since}`;
}

/**
 * Zones removed after feed number `since`, up to `head`; null when removals that old may have been
 * pruned (the caller then scans every zone to find what is gone).
 */
export async function readRemovedZones(db: Db, since: number, head: number): Promise<string[] | null> {
  if (head - since >= REMOVALS_WINDOW) return null;
  const rows = await db.$queryRaw<{ zoneId: string }[]>`
    SELECT "zone_id" AS "zoneId" FROM "zone_removals" WHERE "seq" > ${since}`;
  return rows.map((row) => row.zoneId);
}
