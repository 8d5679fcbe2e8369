import type { Db } from "@dnscove/db";

/** Characters per read at least: one query's result handling then holds the event loop ~1 ms, not ~100. */
const MIN_CHUNK_CHARS = 128 * 1024;
/**
 * Reads per snapshot at most: SQLite (and PostgreSQL on a TOASTed value) loads the whole value for
 * each `substr`, so fixed pieces would make reading a 1,000,000-rrset snapshot quadratic (measured:
 * ~0.5 s per piece of a 90 MB row). Bigger zones get bigger pieces instead.
 */
const MAX_READS = 16;

/**
 * A stored snapshot's text, read in pieces with the event loop free in between. Prisma turns one
 * 3 MB row into a string synchronously (50-250 ms measured on a loaded 2-core machine), which an
 * edge answering queries cannot afford. A snapshot row is immutable, so the pieces always belong
 * together; `substr` (1-based, in characters) and `length` mean the same on SQLite and PostgreSQL.
 * Null when the row does not exist (yet).
 */
export async function readSnapshotText(db: Db, zoneId: string, serial: number): Promise<string | null> {
  const sized = await db.$queryRaw<{ chars: number | bigint | null }[]>`
    SELECT length(content) AS chars FROM snapshots WHERE zone_id = ${zoneId} AND serial = ${serial}`;
  if (sized.length === 0) return null;
  const chunk = Math.max(MIN_CHUNK_CHARS, Math.ceil(Number(sized[0]?.chars ?? 0) / MAX_READS));
  const parts: string[] = [];
  for (let from = 1; ; from += chunk) {
    const rows = await db.$queryRaw<{ part: string | null }[]>`
      SELECT substr(content, ${from}, ${chunk}) AS part FROM snapshots
      WHERE zone_id = ${zoneId} AND serial = ${serial}`;
    if (rows.length === 0) return null;
    const part = rows[0]?.part ?? "";
    if (part === "") break;
    parts.push(part);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return parts.join("");
}
