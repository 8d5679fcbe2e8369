import type { DbTransaction, Provider, StoredRRsetRow } from "@dnscove/db";
import { yieldToEventLoop } from "../../lib/cooperative.js";

/**
 * Rows per INSERT. Each statement carries its rows as ONE JSON text parameter, so the count is not
 * bounded by the drivers' parameter limits; 1,000 keeps each statement (and the time between two
 * turns of the event loop) short.
 */
export const RRSET_ROWS_PER_INSERT = 1000;

/**
 * One JSON array of `[name, type, ttl, records]` rows, expanded by the database itself:
 * SQLite's json_each (https://sqlite.org/json1.html#jeach) and PostgreSQL's json_array_elements
 * (https://www.postgresql.org/docs/current/functions-json.html). `records` travels as a JSON string
 * and `json_extract` / `->>` return a JSON string's value unescaped, so the stored text is exactly
 * the `records` string given (`json`, not `jsonb`, in PostgreSQL: nothing is normalised).
 */
const INSERT_SQL: Record<Provider, string> = {
  sqlite:
    `INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records") ` +
    `SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ` +
    `json_extract(value, '$[3]') FROM json_each(?)`,
  postgres:
    `INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records") ` +
    `SELECT $1::text, e->>0, e->>1, (e->>2)::integer, e->>3 FROM json_array_elements($2::json) AS e`,
};

/**
 * Writes the rrset rows of a new zone, RRSET_ROWS_PER_INSERT rows per INSERT ... SELECT over one
 * JSON parameter. Not `createMany`: Prisma's query compiler builds and interprets a plan with every
 * row of the call in it, which took most of a 100,000-rrset import's time (issue 14). Not thousands
 * of bound parameters either: binding 5,000 values per statement cost more than the database
 * expanding one JSON text (issue 14, session 9). Between chunks the event loop gets a turn, so other
 * requests are answered (their reads on SQLite's read connection) while a big zone is written.
 */
export async function insertRRsetRows(
  tx: DbTransaction,
  provider: Provider,
  zoneId: string,
  rows: readonly StoredRRsetRow[],
): Promise<void> {
  const sql = INSERT_SQL[provider];
  for (let start = 0; start < rows.length; start += RRSET_ROWS_PER_INSERT) {
    if (start > 0) await yieldToEventLoop();
    const end = Math.min(start + RRSET_ROWS_PER_INSERT, rows.length);
    const tuples: [string, string, number, string][] = [];
    for (let i = start; i < end; i++) {
      const row = rows[i] as StoredRRsetRow;
      tuples.push([row.name, row.type, row.ttl, row.records]);
    }
    const inserted = await tx.$executeRawUnsafe(sql, zoneId, JSON.stringify(tuples));
    if (inserted !== tuples.length) throw new Error(`inserted ${inserted} rrset rows of ${tuples.length}`);
  }
}
