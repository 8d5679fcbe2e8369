/**
 * PostgreSQL's direct path (issue 14): one `pg.Pool` shared by Prisma's adapter and the write
 * path's transactions, so both draw from the same connections. The pool's connections are in pg's
 * pipeline mode (open-database.ts): a transaction sends BEGIN with its first statements and its
 * deferred writes with COMMIT, so a single-rrset change is two round trips. Statements are named
 * prepared statements (name from a hash of the text): each connection parses and plans a hot
 * statement once, instead of on every call. Transactions given one `queueKey` (an rrset change's
 * zone) run one at a time per process and wait in a KeyedQueue, not in PostgreSQL's lock queue.
 */
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import pg from "pg";
import { KeyedQueue } from "./keyed-queue.js";
import { RawQueryError, RawTransactionTimeoutError } from "./raw-errors.js";
import type { Sql } from "./raw-sql.js";
import {
  type DirectDriver,
  type RawTransactionOptions,
  type RawTx,
  settleTogether,
  toSql,
} from "./raw-transaction.js";

/**
 * Texts up to this long get a prepared-statement name. Each name stays parsed on each connection
 * for the connection's life, so the multi-row INSERTs of big batches (every row count its own
 * text) run unnamed.
 */
const NAMED_SQL_CHARS = 2048;
const NAME_CACHE = 1000;

/** SQLSTATE 57014 (statement_timeout hit) and 55P03 (lock_timeout): the transaction ran out of time. */
const OUT_OF_TIME = new Set(["57014", "55P03"]);

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/**
 * Results typed as Prisma's raw queries type them: `timestamp` (without time zone, how every
 * DateTime column is declared) read as UTC, where pg would read local time; `int8` (COUNT(*),
 * sums) as a number, where pg gives a string.
 */
const RESULT_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

export class PostgresDirect implements DirectDriver {
  readonly #names = new Map<string, string>();
  /** Transactions waiting for their turn at a row (RawTransactionOptions.queueKey). */
  readonly #queue = new KeyedQueue();

  constructor(
    readonly pool: pg.Pool,
    private readonly timeoutMs: number,
  ) {}

  async transaction<T>(fn: (tx: RawTx) => Promise<T>, options: RawTransactionOptions = {}): Promise<T> {
    const { queueKey } = options;
    if (queueKey === undefined) return this.#transaction(fn, this.timeoutMs);
    const queued = performance.now();
    return this.#queue.run(
      queueKey,
      // The time limit covers the wait and the transaction together, as it covered a wait for the
      // row lock inside PostgreSQL.
      () => this.#transaction(fn, Math.max(1, this.timeoutMs - (performance.now() - queued))),
      this.timeoutMs,
      () => new RawTransactionTimeoutError(this.timeoutMs),
    );
  }

  async #transaction<T>(fn: (tx: RawTx) => Promise<T>, timeoutMs: number): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new RawQueryError(error);
    }
    // `open`: this transaction still holds the connection. Past the limit the timer closes the
    // connection (PostgreSQL rolls back a transaction whose connection is gone); statement_timeout
    // bounds a lock wait on the server itself.
    let open = true;
    let expired = false;
    let expire: (error: Error) => void = () => undefined;
    const expiry = new Promise<never>((_, reject) => {
      expire = reject;
    });
    let broken: Error | undefined;
    const timer = setTimeout(() => {
      if (!open) return;
      expired = true;
      open = false;
      client.release(new RawTransactionTimeoutError(this.timeoutMs));
      expire(new RawTransactionTimeoutError(this.timeoutMs));
    }, timeoutMs);
    timer.unref();
    const guard = () => {
      if (expired) throw new RawTransactionTimeoutError(this.timeoutMs);
      if (!open) throw new Error("The transaction has already ended.");
    };
    // BEGIN leaves with the transaction's first statements, in the same write (a simple query may
    // carry several statements; the pipeline keeps their order), never in a round trip of its own.
    let begun: Promise<void> | undefined;
    const begin = () => {
      if (begun) return;
      begun = this.#simple(
        client,
        `BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(timeoutMs))}`,
      );
      begun.catch(() => undefined);
    };
    const send = (query: Sql) =>
      corked(client, () => {
        begin();
        return this.#query(client, query);
      });
    // Writes nobody awaits (writeBeforeCommit), sent with COMMIT.
    const atCommit: Sql[] = [];
    const tx: RawTx = {
      $queryRaw: async <R>(query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        return (await send(toSql(query, values))).rows as R;
      },
      $executeRaw: async (query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        return (await send(toSql(query, values))).rowCount ?? 0;
      },
      // The pool's connections are pipelined (open-database.ts): statements issued in one turn of
      // the event loop leave together and PostgreSQL answers them in order, one round trip for all.
      runTogether: <R extends readonly unknown[]>(work: { [K in keyof R]: () => Promise<R[K]> }) => {
        guard();
        return corked(client, () => settleTogether<R>(work));
      },
      writeBeforeCommit: (query: Sql) => {
        guard();
        atCommit.push(query);
      },
    };
    try {
      const work = fn(tx);
      // A callback still running past the limit fails on its next statement; nobody awaits it then.
      work.catch(() => undefined);
      const result = await Promise.race([work, expiry]);
      guard();
      // The deferred writes and COMMIT in one round trip. A failed write aborts the transaction,
      // and PostgreSQL answers the COMMIT of an aborted transaction with ROLLBACK, not an error:
      // the write's own failure is the transaction's.
      const sent = corked(client, () => {
        begin();
        return [begun, ...atCommit.map((query) => send(query)), this.#simple(client, "COMMIT")];
      });
      const settled = await Promise.race([Promise.allSettled(sent), expiry]);
      const failed = settled.find((outcome) => outcome.status === "rejected");
      if (failed) throw failed.reason;
      return result;
    } catch (error) {
      if (open) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is unusable: closed rather than returned to the pool.
          broken = rollbackError as Error;
        }
      }
      throw expired ? new RawTransactionTimeoutError(this.timeoutMs) : error;
    } finally {
      clearTimeout(timer);
      if (open) {
        open = false;
        client.release(broken);
      }
    }
  }

  async query<T>(query: Sql): Promise<T> {
    try {
      return (await this.pool.query(this.#config(query))).rows as T;
    } catch (error) {
      throw this.#error(error);
    }
  }

  async #query(client: pg.PoolClient, query: Sql): Promise<pg.QueryResult> {
    try {
      return await client.query(this.#config(query));
    } catch (error) {
      throw this.#error(error);
    }
  }

  async #simple(client: pg.PoolClient, text: string): Promise<void> {
    try {
      await client.query(text);
    } catch (error) {
      throw this.#error(error);
    }
  }

  #error(error: unknown): Error {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && OUT_OF_TIME.has(code))
      return new RawTransactionTimeoutError(this.timeoutMs);
    return new RawQueryError(error);
  }

  #config(query: Sql): pg.QueryConfig {
    const text = query.text;
    return { name: this.#name(text), text, values: query.values.map(bindable), types: RESULT_TYPES };
  }

  #name(text: string): string | undefined {
    if (text.length > NAMED_SQL_CHARS) return undefined;
    let name = this.#names.get(text);
    if (name === undefined) {
      if (this.#names.size >= NAME_CACHE) this.#names.clear();
      name = `dnsc_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
      this.#names.set(text, name);
    }
    return name;
  }
}

/**
 * Runs `issue` (which sends statements without awaiting them) with the connection's socket corked,
 * so what it sends leaves in one `writev` instead of one per statement: pg corks only around each
 * query's own messages (query.js `submit`), and the write per statement was about a quarter of the
 * API's CPU on PostgreSQL (docs/benchmarks.md). Cork and uncork nest, so pg's own pairs inside
 * keep working. `connection.stream` is pg's internal socket; without it nothing is corked.
 */
function corked<R>(client: pg.PoolClient, issue: () => R): R {
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  const cork = typeof stream?.cork === "function" && typeof stream.uncork === "function";
  if (cork) stream.cork?.();
  try {
    return issue();
  } finally {
    if (cork) stream.uncork?.();
  }
}

/**
 * Bound values as Prisma's pg adapter binds them (its `mapArg`): a Date as UTC wall-clock text, for
 * the `timestamp` columns (pg's own conversion would use the process's local time zone).
 */
function bindable(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const ms = value.getUTCMilliseconds();
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
    `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}` +
    (ms ? `.${String(ms).padStart(3, "0")}` : "")
  );
}
