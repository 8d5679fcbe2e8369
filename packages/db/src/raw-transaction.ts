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
  /**
   * Starts every `work` at once and waits for all of them (the first failure is thrown once all
   * have settled). On PostgreSQL's pipelined connection their statements leave together: one round
   * trip for all. A direct SQLite transaction runs them one after the other. Each `work` must send
   * its first statement before its first `await` for the statements to travel together.
   * A Prisma transaction client has no such member: use `runTogether(tx, …)`.
   */
  runTogether?<T extends readonly unknown[]>(work: { [K in keyof T]: () => Promise<T[K]> }): Promise<T>;
  /**
   * A write whose result nobody awaits: PostgreSQL sends it with COMMIT (its failure fails the
   * commit, and the transaction rolls back); SQLite runs it at once. Use `writesAtCommit(tx)`.
   */
  writeBeforeCommit?(query: Sql): void;
  /**
   * What an earlier member of this transaction left under `key` (carry), if anything. On
   * PostgreSQL the changes to one zone that wait together run one after another in one
   * transaction (RawTransactionOptions.queueKey), and a member can go on from where the one before
   * it left off instead of asking the database again. PostgreSQL's direct transactions have it
   * (one alone carries to itself and writes at its COMMIT); SQLite's and Prisma's do not.
   */
  carried?(key: string): unknown;
  /**
   * Leaves `value` under `key` for the members after this one, with the writes it stands for:
   * `writes()` of the last value left is sent just before COMMIT, so what several members add up
   * to is written once. It counts only if this member succeeds (a member rolled back leaves
   * nothing). Statements that read what those writes write must not run in this transaction.
   */
  carry?(key: string, value: unknown, writes: () => readonly Sql[]): void;
}

export interface RawTransactionOptions {
  /**
   * The row the transaction locks first (a zone's id, for an rrset change). On PostgreSQL,
   * transactions of one process with the same key run one at a time, in arrival order, and the
   * ones waiting wait here, without a connection, instead of in PostgreSQL's lock queue: 16
   * changes to one zone waiting on its row lock made up ~43% of the server's CPU per change
   * (docs/benchmarks.md), and held 16 of the pool's connections that other zones' requests needed.
   * The row lock still orders transactions across processes. The wait counts toward the
   * transaction's time limit. Those waiting when one ends run in its PostgreSQL transaction, one
   * after the other, each in a savepoint, and share its COMMIT: no caller is answered before the
   * COMMIT that holds it. So `fn` may run more than once: when a group's transaction is rolled back
   * as a whole (a write sent with COMMIT failed), each of its members runs again alone. `fn` must
   * do nothing outside `tx` that a second run would get wrong. SQLite ignores it: its transactions already run one at a time on one
   * connection, and those ready together share a COMMIT (direct-sqlite.ts), which one at a time
   * per key would prevent.
   */
  queueKey?: string;
}

/** One provider's direct access, registered by openDatabase beside the Prisma client it shares. */
export interface DirectDriver {
  transaction<T>(fn: (tx: RawTx) => Promise<T>, options?: RawTransactionOptions): Promise<T>;
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
export function runRawTransaction<T>(
  db: Db,
  fn: (tx: RawTx) => Promise<T>,
  options: RawTransactionOptions = {},
): Promise<T> {
  const driver = drivers.get(db);
  return driver ? driver.transaction(fn, options) : db.$transaction((tx) => fn(tx));
}

/** `tx.runTogether(work)`, or the works one after the other on a transaction without it. */
export async function runTogether<T extends readonly unknown[]>(
  tx: RawTx,
  work: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  if (tx.runTogether) return tx.runTogether<T>(work);
  const results: unknown[] = [];
  for (const run of work as readonly (() => Promise<unknown>)[]) results.push(await run());
  return results as unknown as T;
}

/**
 * Starts each of `work` at once, waits for all, and throws the first failure only once every one
 * has settled: the drivers' `runTogether`. Nothing is left running when it returns or throws.
 */
export async function settleTogether<T extends readonly unknown[]>(
  work: {
    [K in keyof T]: () => Promise<T[K]>;
  },
): Promise<T> {
  const started = (work as readonly (() => Promise<unknown>)[]).map((run) => {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  });
  const settled = await Promise.allSettled(started);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * A view of `tx` for writes whose results nobody needs before COMMIT (`$executeRaw` resolves 0 at
 * once; the row count is not known yet): on PostgreSQL they travel with the COMMIT, saving their
 * round trips while the transaction holds its locks. Reads through it throw. On a transaction
 * without `writeBeforeCommit` (a Prisma client) it is `tx` itself.
 * Statements on `tx` after such a write run BEFORE it on PostgreSQL: write through it last.
 */
export function writesAtCommit(tx: RawTx): RawTx {
  const defer = tx.writeBeforeCommit?.bind(tx);
  if (!defer) return tx;
  return {
    $queryRaw: () => Promise.reject(new Error("writesAtCommit(tx) is for writes only")),
    $executeRaw: async (query: TemplateStringsArray | Sql, ...values: unknown[]) => {
      defer(toSql(query, values));
      return 0;
    },
  };
}

/**
 * One raw statement outside any transaction, on the same direct path (per-request lookups). On
 * PostgreSQL the ones asked for in one turn of the event loop share a connection and run one after
 * another there (PostgresDirect.query): keep it for quick lookups, which a slow one would hold up.
 */
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
