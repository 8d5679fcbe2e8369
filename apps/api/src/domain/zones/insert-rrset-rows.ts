import type { DbTransaction, Provider, StoredRRsetRow } from "@dnscove/db";
import { yieldToEventLoop } from "../../lib/cooperative.js";

/**
 * Rows per INSERT: 5 parameters each, 5,000 per statement, well under SQLite's 32,766 bound
 * variables (SQLITE_MAX_VARIABLE_NUMBER since 3.32) and PostgreSQL's 65,535 parameters per
 * statement (a 16-bit count in the Bind message).
 */
export const RRSET_ROWS_PER_INSERT = 1000;

const COLUMNS = 5;

/**
 * Writes the rrset rows of a new zone as multi-row INSERTs of at most RRSET_ROWS_PER_INSERT rows.
 * Not `createMany`: Prisma's query compiler builds and interprets a plan with every row of the
 * call in it, which took most of a 100,000-rrset import's time (issue 14); a raw statement per
 * chunk hands the values to the driver as they are. Between chunks the event loop gets a turn, so
 * other requests are answered (their reads on SQLite's read connection) while a big zone is written.
 */
export async function insertRRsetRows(
  tx: DbTransaction,
  provider: Provider,
  zoneId: string,
  rows: readonly StoredRRsetRow[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += RRSET_ROWS_PER_INSERT) {
    if (start > 0) await yieldToEventLoop();
    const chunk = rows.slice(start, start + RRSET_ROWS_PER_INSERT);
    const values: (string | number)[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const n = values.length;
      tuples.push(
        provider === "postgres"
          ? `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`
          : `(?, ?, ?, ?, ?)`,
      );
      values.push(zoneId, row.name, row.type, row.ttl, row.records);
    }
    if (values.length !== chunk.length * COLUMNS) throw new Error("rrset row shape mismatch");
    await tx.$executeRawUnsafe(
      `INSERT INTO "rrsets" ("zone_id", "name", "type", "ttl", "records") VALUES ${tuples.join(", ")}`,
      ...values,
    );
  }
}
