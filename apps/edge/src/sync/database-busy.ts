/**
 * True when a write failed only because another process holds SQLite's write lock.
 *
 * Edge processes open SQLite with a short busy timeout: better-sqlite3 waits for the lock
 * synchronously, so a long wait would freeze the process's DNS answers while the API imports
 * thousands of rrsets in one transaction. Such writes (heartbeat, served serial) are retried on
 * the next poll instead. Reads never wait in WAL mode (https://www.sqlite.org/wal.html).
 * Prisma reports SQLITE_BUSY from its better-sqlite3 adapter as P1008 "Operation has timed out".
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { message, code } = e as { message?: unknown; code?: unknown };
    if (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "P1008")) return true;
    if (
      typeof message === "string" &&
      /SQLITE_BUSY|database is locked|Operation has timed out/i.test(message)
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
