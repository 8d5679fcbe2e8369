import { RawTransactionTimeoutError } from "./raw-errors.js";

/**
 * The one place that tells "the database cannot be reached" from every other failure, for both
 * Prisma driver adapters, so callers can answer 503 + Retry-After instead of a 500. A failure
 * that is not about reaching the database (a constraint, a bad query) is never classified here.
 */

/** Prisma error codes about reaching the server: P1001 unreachable, P1002 timed out, P1008 operation timeout, P1017 closed, P2024 pool timeout. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

/** Driver adapter error kinds (Prisma 7 `DriverAdapterError.cause.kind`) that mean no usable connection. */
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

/**
 * Node socket errors: about the database only inside a Prisma error's cause chain (a mail server's
 * ETIMEDOUT or a client's ECONNRESET must not read as a database outage).
 */
const NODE_SOCKET = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

/** PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many connections). */
const NODE_OR_SQLSTATE = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // SQLite: another connection held the write lock longer than busy_timeout.
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);

const MESSAGES = [
  /can't reach database server/i,
  /connection terminated/i,
  /connection error and is not queryable/i,
  /terminating connection due to administrator command/i,
  /the database system is (shutting down|starting up)/i,
  /server closed the connection unexpectedly/i,
  /database is locked/i,
  /timed out fetching a new connection/i,
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== "object") return false;
  // The direct write path's transaction ran out of time (a lock held too long): busy, like SQLITE_BUSY.
  if (error instanceof RawTransactionTimeoutError) return true;
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (
    typeof e.code === "string" &&
    (PRISMA_CODES.has(e.code) ||
      NODE_OR_SQLSTATE.has(e.code) ||
      e.code.startsWith("08") ||
      (depth > 0 && NODE_SOCKET.has(e.code)))
  )
    return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === "string" && MESSAGES.some((pattern) => pattern.test(e.message as string)))
    return true;
  return (
    isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
  );
}
