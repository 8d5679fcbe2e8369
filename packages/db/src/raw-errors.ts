/**
 * Errors of the direct (non-Prisma) database path, shaped so the one classifier
 * (database-unavailable.ts) and the HTTP mapping treat them like the Prisma errors they replace.
 */

/** A driver error on the direct path; the driver's own error (SQLSTATE / SQLITE_* code) is `cause`. */
export class RawQueryError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "RawQueryError";
  }
}

/**
 * A direct transaction ran past its time limit (the same 15 s as Prisma's interactive
 * transactions, open-database.ts), waiting for a row lock included; it was rolled back, nothing
 * was written. Counted as "database unavailable" (503 + Retry-After): the database is too busy to
 * answer in time, the same class as SQLite's SQLITE_BUSY.
 */
export class RawTransactionTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The transaction did not finish within ${timeoutMs} ms and was rolled back.`);
    this.name = "RawTransactionTimeoutError";
  }
}
