/**
 * The change journal (`zone_changes`, issue 14): what each accepted write changed, by serial. Writers
 * record into it in their own transaction; edges and IXFR (RFC 1995) read it back as the net
 * difference between two published serials.
 */
import type { Db } from "./open-database.js";
import { joinSql, sql } from "./raw-sql.js";
import type { RawTx } from "./raw-transaction.js";
import { yieldToEventLoop } from "./snapshot-sliced.js";

/** An rrset as the journal holds it: TTL and the records as a JSON array (canonical text). */
export interface JournalRRset {
  ttl: number;
  records: string;
}

/** One rrset's change in one write; null `before`: it was absent; null `after`: it was removed. */
export interface JournalEntry {
  name: string;
  type: string;
  before: JournalRRset | null;
  after: JournalRRset | null;
}

function same(a: JournalRRset | null, b: JournalRRset | null): boolean {
  return a === null || b === null ? a === b : a.ttl === b.ttl && a.records === b.records;
}

/**
 * Records what a write changed, under the serial the write took (same transaction). Changes that
 * change nothing (a DELETE of an absent rrset, an UPSERT of the same content) are left out.
 */
export async function recordZoneChanges(
  tx: RawTx,
  zoneId: string,
  serial: number,
  entries: readonly JournalEntry[],
): Promise<void> {
  const rows = entries
    .filter((e) => !same(e.before, e.after))
    .map(
      (e) =>
        sql`(${zoneId}, ${serial}, ${e.name}, ${e.type}, ${e.before?.ttl ?? null}, ${e.before?.records ?? null}, ${e.after?.ttl ?? null}, ${e.after?.records ?? null})`,
    );
  // Multi-row INSERTs as raw SQL: createMany plans every row through Prisma's client on each call
  // (about half a second for 1,000 rows, issue 14). 8 values a row stays far below SQLite's
  // 32,766 and PostgreSQL's 65,535 bound parameters per statement.
  for (let start = 0; start < rows.length; start += JOURNAL_INSERT_ROWS) {
    await tx.$executeRaw`
      INSERT INTO "zone_changes"
        ("zone_id", "serial", "name", "type", "before_ttl", "before_records", "after_ttl", "after_records")
      VALUES ${joinSql(rows.slice(start, start + JOURNAL_INSERT_ROWS))}`;
  }
}

const JOURNAL_INSERT_ROWS = 1000;

/** A journal row as read back. */
export interface ZoneChangeRow extends JournalEntry {
  serial: number;
}

interface RawRow {
  serial: number | bigint;
  name: string;
  type: string;
  before_ttl: number | bigint | null;
  before_records: string | null;
  after_ttl: number | bigint | null;
  after_records: string | null;
}

function toRRset(ttl: number | bigint | null, records: string | null): JournalRRset | null {
  return records === null || ttl === null ? null : { ttl: Number(ttl), records };
}

/**
 * About this much row text per query: the driver converts a result synchronously, in one turn of
 * the event loop, so a page is sized by bytes, not rows. A 1,000 × 40-record TXT batch is ~3.4 kB
 * a row: 100 rows held an edge's loop ~340 kB long; a one-A-record row is ~100 bytes, and 100-row
 * pages made catching up (or answering IXFR) across 150,000 such rows 1,500 queries.
 */
export const JOURNAL_PAGE_BYTES = 128 * 1024;
/** The first page, before the rows' size is known, and the bounds of every later one. */
const FIRST_PAGE_ROWS = 32;
const MIN_PAGE_ROWS = 8;
const MAX_PAGE_ROWS = 2000;

/** The rows the next page may hold for about `pageBytes`, from the last page's average row size. */
export function nextPageRows(lastRows: number, lastBytes: number, pageBytes = JOURNAL_PAGE_BYTES): number {
  const perRow = Math.max(1, lastBytes / Math.max(1, lastRows));
  return Math.min(MAX_PAGE_ROWS, Math.max(MIN_PAGE_ROWS, Math.floor(pageBytes / perRow)));
}

const rowBytes = (row: RawRow): number =>
  row.name.length + row.type.length + (row.before_records?.length ?? 0) + (row.after_records?.length ?? 0);

/**
 * The journal rows of `zoneId` with `after < serial ≤ upTo`, in serial order, read a page of about
 * JOURNAL_PAGE_BYTES at a time with the event loop free in between (an edge keeps answering
 * queries meanwhile).
 */
export async function readZoneChanges(
  db: Db,
  zoneId: string,
  after: number,
  upTo: number,
  pageBytes = JOURNAL_PAGE_BYTES,
): Promise<ZoneChangeRow[]> {
  const out: ZoneChangeRow[] = [];
  // Keyset pagination on the primary key (zone_id, serial, name, type).
  let from = { serial: after, name: "", type: "" };
  let first = true;
  let limit = FIRST_PAGE_ROWS;
  for (;;) {
    const rows = first
      ? await db.$queryRaw<RawRow[]>`
          SELECT "serial", "name", "type", "before_ttl", "before_records", "after_ttl", "after_records"
          FROM "zone_changes" WHERE "zone_id" = ${zoneId} AND "serial" > ${after} AND "serial" <= ${upTo}
          ORDER BY "serial", "name", "type" LIMIT ${limit}`
      : await db.$queryRaw<RawRow[]>`
          SELECT "serial", "name", "type", "before_ttl", "before_records", "after_ttl", "after_records"
          FROM "zone_changes" WHERE "zone_id" = ${zoneId} AND "serial" <= ${upTo}
            AND ("serial" > ${from.serial}
              OR ("serial" = ${from.serial} AND ("name" > ${from.name}
                OR ("name" = ${from.name} AND "type" > ${from.type}))))
          ORDER BY "serial", "name", "type" LIMIT ${limit}`;
    first = false;
    let bytes = 0;
    for (const row of rows) {
      bytes += rowBytes(row);
      out.push({
        serial: Number(row.serial),
        name: row.name,
        type: row.type,
        before: toRRset(row.before_ttl, row.before_records),
        after: toRRset(row.after_ttl, row.after_records),
      });
    }
    if (rows.length < limit) return out;
    const last = out[out.length - 1] as ZoneChangeRow;
    from = { serial: last.serial, name: last.name, type: last.type };
    limit = nextPageRows(rows.length, bytes, pageBytes);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The net difference the rows (in serial order) make: per rrset, its state before the first row and
 * after the last; rrsets that ended as they began are left out. RFC 1995 section 5 lets a server
 * condense a run of changes into one difference sequence this way.
 */
export function netChanges(rows: readonly ZoneChangeRow[]): JournalEntry[] {
  const byKey = new Map<string, JournalEntry>();
  for (const row of rows) condense(byKey, row);
  return [...byKey.values()].filter((e) => !same(e.before, e.after));
}

/**
 * netChanges with a turn of the event loop every `rowsPerSlice` rows: the API condenses a whole
 * journal at once when it compacts (200,000 rows after a 200,000-rrset fill, about half a second
 * in one piece, during which its other requests waited).
 */
export async function netChangesSliced(
  rows: readonly ZoneChangeRow[],
  rowsPerSlice = 5000,
): Promise<JournalEntry[]> {
  const byKey = new Map<string, JournalEntry>();
  for (const [i, row] of rows.entries()) {
    if (i % rowsPerSlice === rowsPerSlice - 1) await yieldToEventLoop();
    condense(byKey, row);
  }
  return [...byKey.values()].filter((e) => !same(e.before, e.after));
}

/** Folds one row into the net change of its rrset: the first `before`, the latest `after`. */
function condense(byKey: Map<string, JournalEntry>, row: ZoneChangeRow): void {
  const key = `${row.name} ${row.type}`;
  const seen = byKey.get(key);
  if (seen) seen.after = row.after;
  else byKey.set(key, { name: row.name, type: row.type, before: row.before, after: row.after });
}
