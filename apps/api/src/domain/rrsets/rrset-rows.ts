import { joinSql, type Provider, type RawTx, sql } from "@dnscove/db";

/**
 * The statements of an rrset change, as SQL both databases run unchanged (the tables and columns
 * of packages/db/migrations), but for how the zone row is locked and written (lockZoneForChange,
 * finishZoneRow). A model query (`tx.zone.update`, `tx.rRset.findMany`) costs about
 * three times a raw one in Prisma's client (parameterising, plan lookup, result mapping), and
 * createMany plans every row on every call; a single-rrset change is nothing but these few
 * statements, and issue 14 asks for thousands a second.
 */

/** An rrset row as a change reads it: `records` is the stored JSON array. */
export interface StoredRRset {
  name: string;
  type: string;
  ttl: number;
  records: string;
}

export interface NewRRsetRow extends StoredRRset {
  zoneId: string;
}

export interface BumpedZone {
  origin: string;
  serial: number;
  rrsetCount: number;
}

/**
 * Locks the zone's row for the rest of the transaction and answers its origin, the serial this
 * change takes (one more than the row's) and its rrset count; null when the tenant has no such
 * zone. First in every change, so concurrent changes to one zone are checked one after the other.
 * On PostgreSQL a `SELECT … FOR UPDATE`: the row is then written once, by finishZoneRow, serial
 * and count together, one new version of the row per change where a bump first and a count after
 * made two (issue 14). SQLite has no row locks: the serial is bumped at once, which takes the
 * database's write lock first (zone-lock.ts says why).
 */
export async function lockZoneForChange(
  tx: RawTx,
  provider: Provider,
  zoneId: string,
  tenantId: string,
  now: Date,
): Promise<BumpedZone | null> {
  if (provider === "postgres") {
    const rows = await tx.$queryRaw<BumpedZone[]>`
      SELECT "origin", "serial" + 1 AS "serial", "rrset_count" AS "rrsetCount" FROM "zones"
      WHERE "id" = ${zoneId} AND "tenant_id" = ${tenantId} FOR UPDATE`;
    return rows[0] ?? null;
  }
  const rows = await tx.$queryRaw<BumpedZone[]>`
    UPDATE "zones" SET "serial" = "serial" + 1, "updated_at" = ${now}
    WHERE "id" = ${zoneId} AND "tenant_id" = ${tenantId}
    RETURNING "origin", "serial", "rrset_count" AS "rrsetCount"`;
  return rows[0] ?? null;
}

/**
 * What lockZoneForChange left for the end of the change: on PostgreSQL the new serial, the rrset
 * count and `updated_at` in one UPDATE; on SQLite the count, when it changed.
 */
export async function finishZoneRow(
  tx: RawTx,
  provider: Provider,
  zoneId: string,
  serial: number,
  added: number,
  now: Date,
): Promise<void> {
  if (provider === "postgres") {
    await tx.$executeRaw`UPDATE "zones" SET "serial" = ${serial}, "rrset_count" = "rrset_count" + ${added},
      "updated_at" = ${now} WHERE "id" = ${zoneId}`;
  } else if (added !== 0) {
    await tx.$executeRaw`UPDATE "zones" SET "rrset_count" = "rrset_count" + ${added} WHERE "id" = ${zoneId}`;
  }
}

/**
 * The stored rrsets of the zone at any of `names` (every type). A batch names at most 1,000; a
 * rollback may name every rrset of the zone, so the names go in chunks of NAMES_PER_READ (SQLite
 * binds at most 32,766 parameters per statement).
 */
export async function readRRsetsAt(
  tx: RawTx,
  zoneId: string,
  names: readonly string[],
): Promise<StoredRRset[]> {
  const out: StoredRRset[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_READ) {
    out.push(
      ...(await tx.$queryRaw<StoredRRset[]>`
        SELECT "name", "type", "ttl", "records" FROM "rrsets"
        WHERE "zone_id" = ${zoneId} AND "name" IN (${joinSql(names.slice(start, start + NAMES_PER_READ))})`),
    );
  }
  return out;
}

const NAMES_PER_READ = 1000;

/**
 * The new rows in multi-row INSERTs of at most INSERT_ROWS rows (a 1,000-rrset batch: one
 * statement). 5 values a row stays far below SQLite's 32,766 and PostgreSQL's 65,535 bound
 * parameters per statement.
 */
export async function insertRRsets(tx: RawTx, rows: readonly NewRRsetRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_ROWS) {
    const values = rows
      .slice(start, start + INSERT_ROWS)
      .map((row) => sql`(${row.zoneId}, ${row.name}, ${row.type}, ${row.ttl}, ${row.records})`);
    await tx.$executeRaw`
      INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records") VALUES ${joinSql(values)}`;
  }
}

const INSERT_ROWS = 1000;

export async function replaceRRset(tx: RawTx, row: NewRRsetRow): Promise<void> {
  await tx.$executeRaw`
    UPDATE "rrsets" SET "ttl" = ${row.ttl}, "records" = ${row.records}
    WHERE "zone_id" = ${row.zoneId} AND "name" = ${row.name} AND "type" = ${row.type}`;
}

export async function deleteRRset(
  tx: RawTx,
  zoneId: string,
  rrset: { name: string; type: string },
): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "rrsets" WHERE "zone_id" = ${zoneId} AND "name" = ${rrset.name} AND "type" = ${rrset.type}`;
}
