import type { DbTransaction, Provider } from "@dnscove/db";

/**
 * The statements of an rrset change, as SQL both databases run unchanged (the tables and columns
 * of packages/db/migrations). A model query (`tx.zone.update`, `tx.rRset.findMany`) costs about
 * three times a raw one in Prisma's client (parameterising, plan lookup, result mapping), and a
 * single-rrset change is nothing but these few statements: issue 14 asks for thousands a second.
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
 * Increments the zone's serial and answers its origin, new serial and rrset count; null when the
 * tenant has no such zone. First in every change: on PostgreSQL the UPDATE takes the zone's row
 * lock for the rest of the transaction, so concurrent changes to one zone are checked one after
 * the other (SQLite's single writer does the same for the whole database).
 */
export async function bumpSerial(
  tx: DbTransaction,
  zoneId: string,
  tenantId: string,
  now: Date,
): Promise<BumpedZone | null> {
  const rows = await tx.$queryRaw<BumpedZone[]>`
    UPDATE "zones" SET "serial" = "serial" + 1, "updated_at" = ${now}
    WHERE "id" = ${zoneId} AND "tenant_id" = ${tenantId}
    RETURNING "origin", "serial", "rrset_count" AS "rrsetCount"`;
  return rows[0] ?? null;
}

/** The stored rrsets of the zone at any of `names` (every type). */
export function readRRsetsAt(
  tx: DbTransaction,
  provider: Provider,
  zoneId: string,
  names: readonly string[],
): Promise<StoredRRset[]> {
  // One placeholder per name: `?` for SQLite, `$n` for PostgreSQL (a batch has at most 1,000).
  const placeholder = (index: number) => (provider === "postgres" ? `$${index + 2}` : "?");
  const list = names.map((_, index) => placeholder(index)).join(", ");
  return tx.$queryRawUnsafe<StoredRRset[]>(
    `SELECT "name", "type", "ttl", "records" FROM "rrsets"
     WHERE "zone_id" = ${provider === "postgres" ? "$1" : "?"} AND "name" IN (${list})`,
    zoneId,
    ...names,
  );
}

export async function addToRRsetCount(tx: DbTransaction, zoneId: string, added: number): Promise<void> {
  await tx.$executeRaw`UPDATE "zones" SET "rrset_count" = "rrset_count" + ${added} WHERE "id" = ${zoneId}`;
}

/**
 * The new rows in multi-row INSERTs of at most INSERT_ROWS rows each (a 1,000-rrset batch: one
 * statement); createMany would parameterise and plan each row through Prisma's client first.
 */
export async function insertRRsets(
  tx: DbTransaction,
  provider: Provider,
  rows: readonly NewRRsetRow[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_ROWS) {
    const chunk = rows.slice(start, start + INSERT_ROWS);
    const values: (string | number)[] = [];
    const tuples = chunk.map((row) => {
      const first = values.length;
      values.push(row.zoneId, row.name, row.type, row.ttl, row.records);
      const marks = [0, 1, 2, 3, 4].map((offset) =>
        provider === "postgres" ? `$${first + offset + 1}` : "?",
      );
      return `(${marks.join(", ")})`;
    });
    await tx.$executeRawUnsafe(
      `INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records") VALUES ${tuples.join(", ")}`,
      ...values,
    );
  }
}

/**
 * Rows per INSERT: 5 parameters each stays far below SQLite's 32,766 and PostgreSQL's 65,535
 * bound parameters per statement.
 */
const INSERT_ROWS = 1000;

export async function replaceRRset(tx: DbTransaction, row: NewRRsetRow): Promise<void> {
  await tx.$executeRaw`
    UPDATE "rrsets" SET "ttl" = ${row.ttl}, "records" = ${row.records}
    WHERE "zone_id" = ${row.zoneId} AND "name" = ${row.name} AND "type" = ${row.type}`;
}

export async function deleteRRset(
  tx: DbTransaction,
  zoneId: string,
  rrset: { name: string; type: string },
): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "rrsets" WHERE "zone_id" = ${zoneId} AND "name" = ${rrset.name} AND "type" = ${rrset.type}`;
}
