/**
 * The write path's own transactions (issue 14): raw SQL straight on the database driver, without
 * Prisma's interactive-transaction machinery, which was most of the API's CPU per single-rrset
 * change. Functions written against `RawTx` run unchanged on a Prisma transaction client or on a
 * direct transaction, so the same statements serve both paths.
 */
import type { Db } from "./open-database.js";
import { type Sql, sql } from "./raw-sql.js";

/**
 * The narrow transaction the write path needs: raw statements only, in Prisma's call shapes (a
 * `sql` fragment or a tagged template). A Prisma transaction client satisfies it too.
 * Results have the types Prisma's raw queries give: INTEGER columns as numbers, DATETIME /
 * TIMESTAMP columns as Dates, text as strings.
 */
export interface RawTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]): Promise<number>;
}

/** One provider's direct access, registered by openDatabase beside the Prisma client it shares. */
export interface DirectDriver {
  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
  query<T>(query: Sql): Promise<T>;
}

const drivers = new WeakMap<object, DirectDriver>();

export function rememberDirectDriver(db: Db, driver: DirectDriver): void {
  drivers.set(db, driver);
}

/**
 * Runs `fn` in one transaction on the driver under `db` (all or nothing: a throw rolls back and
 * rethrows). Limited like Prisma's interactive transactions (openDatabase's transactionTimeoutMs):
 * past it the transaction is rolled back and RawTransactionTimeoutError thrown. Inside `fn`, use
 * only `tx`: a query on `db` itself waits for this transaction to end (on SQLite, forever).
 * A `db` not made by openDatabase falls back to a Prisma interactive transaction.
 */
export function runRawTransaction<T>(db: Db, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  const driver = drivers.get(db);
  return driver ? driver.transaction(fn) : db.$transaction((tx) => fn(tx));
}

/** One raw statement outside any transaction, on the same direct path (per-request lookups). */
export function rawQuery<T>(db: Db, query: Sql): Promise<T> {
  const driver = drivers.get(db);
  return driver ? driver.query<T>(query) : db.$queryRaw<T>(query);
}

/** A tagged-template call (`tx.$queryRaw\`…\``) or a ready fragment, as one `Sql`. */
export function toSql(query: TemplateStringsArray | Sql, values: readonly unknown[]): Sql {
  return Array.isArray(query)
    ? sql(query as TemplateStringsArray, ...(values as Parameters<typeof sql>[1][]))
    : (query as Sql);
}
