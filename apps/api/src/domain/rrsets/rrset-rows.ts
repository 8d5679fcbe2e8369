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

/** One INSERT; many rows go through createMany (one statement, its plan compiled per call). */
export async function insertRRsets(tx: DbTransaction, rows: readonly NewRRsetRow[]): Promise<void> {
  const [only] = rows;
  if (rows.length === 1 && only) {
    await tx.$executeRaw`
      INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records")
      VALUES (${only.zoneId}, ${only.name}, ${only.type}, ${only.ttl}, ${only.records})`;
  } else if (rows.length > 1) {
    await tx.rRset.createMany({ data: [...rows] });
  }
}

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
