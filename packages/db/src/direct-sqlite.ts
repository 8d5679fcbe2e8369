/**
 * SQLite's direct path (issue 14): Prisma and the write path share ONE better-sqlite3 connection.
 * A second connection would wait for Prisma's write lock synchronously (busy_timeout blocks the
 * event loop) while Prisma's interactive transaction, holding that lock across event-loop turns,
 * could never finish. So the Prisma adapter is wrapped: its transactions and its statements outside
 * a transaction take the same async lock (AsyncMutex) as the direct transactions here, and the
 * lock's holder owns the connection.
 *
 * A lone SELECT outside any transaction goes to a second, read-only connection instead, without the
 * lock: in WAL mode a reader never waits for the writer and sees every committed transaction. Without
 * it, one tenant's 100,000-rrset import held the lock for seconds and every other request (even its
 * session check) queued behind it; now only other writes wait, which SQLite's single writer means.
 * When the lock is free the direct path's SELECT runs on the writer's connection after all (query()):
 * it runs synchronously to its end, so no transaction can open around it, and the writer's page
 * cache already holds what was just written where the reader's would miss.
 *
 * Direct transactions commit in groups (issue 14): each runs inside a savepoint of one open
 * transaction, and that transaction commits once the event loop has run every transaction that was
 * ready in the same turn (setImmediate), or at once when anyone else needs the connection. A
 * transaction's caller is answered only after the COMMIT that holds it, so nothing is acknowledged
 * before it is in the WAL, and a transaction that fails rolls back only its own savepoint. One
 * COMMIT writes the pages that many small changes share (the zone row, the audit head, the index
 * pages) once; a COMMIT per change was ~10% of a single-rrset change's CPU.
 */
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { AsyncMutex } from "./async-mutex.js";
import { RawQueryError, RawTransactionTimeoutError } from "./raw-errors.js";
import type { Sql } from "./raw-sql.js";
import { type DirectDriver, type RawTx, toSql } from "./raw-transaction.js";

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type AdapterFactory = Pick<PrismaBetterSqlite3, "provider" | "adapterName" | "connect" | "connectToShadowDb">;

interface Prepared {
  statement: BetterSqlite3.Statement;
  reader: boolean;
  /** Columns declared DATETIME / TIMESTAMP / BOOLEAN: Prisma's raw queries return Dates / booleans. */
  dates: string[];
  booleans: string[];
}

/**
 * Prepared statements kept per connection: the adapter prepares every statement on every call,
 * which was a visible share of a single-rrset change. Texts longer than CACHED_SQL_CHARS (the
 * multi-row INSERTs of big batches, each row count its own text) are prepared each time: their
 * preparation is small beside their work, and they would only crowd out the hot statements.
 */
const CACHED_STATEMENTS = 200;
const CACHED_SQL_CHARS = 4096;

/** Why a group's members fail when SQLite has ended its transaction on its own. */
const ROLLED_BACK = "The transaction was rolled back.";

/** The savepoint each direct transaction runs in, inside its group's transaction. */
const MEMBER = "dnscove_tx";

/** One open transaction that direct transactions join until it commits. */
class CommitGroup {
  readonly committed: Promise<void>;
  settle: (error?: unknown) => void = () => undefined;
  commitScheduled = false;

  constructor() {
    this.committed = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Its members await it; a group whose every member failed has nobody waiting.
    this.committed.catch(() => undefined);
  }
}

export class SqliteDirect implements DirectDriver {
  readonly #mutex = new AsyncMutex();
  /** The group transaction open on the writer's connection, if any. */
  #group: CommitGroup | null = null;
  /** Prepared statements belong to the connection that prepared them. */
  readonly #statements = new WeakMap<BetterSqlite3.Database, Map<string, Prepared>>();
  #client: BetterSqlite3.Database | null = null;
  #reader: BetterSqlite3.Database | null = null;

  constructor(private readonly timeoutMs: number) {}

  /** Prisma's adapter factory, connecting to the connection this driver shares. */
  adapterFactory(inner: PrismaBetterSqlite3): AdapterFactory {
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: async () => this.#share(await inner.connect(), await inner.connect()),
      connectToShadowDb: () => inner.connectToShadowDb(),
    };
  }

  async transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    const release = await this.#mutex.acquire();
    let client: BetterSqlite3.Database;
    let group: CommitGroup | undefined;
    try {
      client = this.#connection();
      group = this.#joinGroup(client);
      this.#run(client, `SAVEPOINT ${MEMBER}`, []);
    } catch (error) {
      // The group's other members, if any, still commit.
      if (group) this.#scheduleCommit(group);
      release();
      throw error;
    }
    const joined = group;
    // `open`: this transaction still owns the connection. The timer ends an abandoned one (a
    // callback awaiting something that never settles) so the lock cannot be held for ever.
    let open = true;
    let expired = false;
    let expire: (error: Error) => void = () => undefined;
    const expiry = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const timer = setTimeout(() => {
      if (!open) return;
      expired = true;
      open = false;
      this.#rollbackMember(client, joined);
      release();
      expire(new RawTransactionTimeoutError(this.timeoutMs));
    }, this.timeoutMs);
    timer.unref();
    const guard = () => {
      if (expired) throw new RawTransactionTimeoutError(this.timeoutMs);
      if (!open) throw new Error("The transaction has already ended.");
    };
    const tx: RawTx = {
      $queryRaw: async <R>(query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        return this.#all(client, toSql(query, values)) as R;
      },
      $executeRaw: async (query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        const q = toSql(query, values);
        return this.#run(client, q.sql, q.values);
      },
      // One connection, one statement at a time: "together" is simply in order, and a write meant
      // for the commit runs now (same order, same outcome; its error surfaces at its call).
      runTogether: async <R extends readonly unknown[]>(work: { [K in keyof R]: () => Promise<R[K]> }) => {
        const results: unknown[] = [];
        for (const run of work as readonly (() => Promise<unknown>)[]) results.push(await run());
        return results as unknown as R;
      },
      writeBeforeCommit: (query: Sql) => {
        guard();
        this.#run(client, query.sql, query.values);
      },
    };
    try {
      const work = fn(tx);
      // A callback still running past the limit fails on its next statement; nobody awaits it then.
      work.catch(() => undefined);
      const result = await Promise.race([work, expiry]);
      guard();
      this.#run(client, `RELEASE ${MEMBER}`, []);
      open = false;
      clearTimeout(timer);
      this.#scheduleCommit(joined);
      // The next transaction may join the group while this one waits for its COMMIT.
      release();
      await joined.committed;
      return result;
    } catch (error) {
      if (open) this.#rollbackMember(client, joined);
      throw expired ? new RawTransactionTimeoutError(this.timeoutMs) : error;
    } finally {
      clearTimeout(timer);
      open = false;
      release();
    }
  }

  async query<T>(query: Sql): Promise<T> {
    if (isLoneRead(query.sql)) {
      // Nobody holds the lock, so no transaction is open on the writer's connection, and this
      // runs synchronously to the end before anyone can take it: the writer answers, its page
      // cache already warm with what it just wrote (the reader's would miss and re-read).
      // Not while a group waits for its COMMIT: the writer would answer what nobody has committed.
      if (!this.#mutex.locked && !this.#group && this.#client?.open) {
        return this.#all(this.#client, query) as T;
      }
      if (this.#reader?.open) return this.#all(this.#reader, query) as T;
    }
    const release = await this.#acquireCommitted();
    try {
      return this.#all(this.#connection(), query) as T;
    } finally {
      release();
    }
  }

  /** The lock for anyone but a direct transaction: the open group commits first. */
  async #acquireCommitted(): Promise<() => void> {
    const release = await this.#mutex.acquire();
    if (this.#group) this.#commit(this.#group);
    return release;
  }

  /** The open group, or a new one (BEGIN IMMEDIATE). Call it holding the lock. */
  #joinGroup(client: BetterSqlite3.Database): CommitGroup {
    if (this.#group && client.inTransaction) return this.#group;
    // SQLite ended the group's transaction on its own (an error that rolls back everything).
    if (this.#group) this.#fail(this.#group, new Error(ROLLED_BACK));
    this.#run(client, "BEGIN IMMEDIATE", []);
    this.#group = new CommitGroup();
    return this.#group;
  }

  /** Commits the group once every transaction ready in this turn of the event loop has joined it. */
  #scheduleCommit(group: CommitGroup): void {
    if (group.commitScheduled) return;
    group.commitScheduled = true;
    setImmediate(async () => {
      const release = await this.#mutex.acquire();
      try {
        this.#commit(group);
      } finally {
        release();
      }
    });
  }

  /** Call it holding the lock. Never throws: a failed COMMIT fails the group's members. */
  #commit(group: CommitGroup): void {
    if (this.#group !== group) return;
    this.#group = null;
    const client = this.#client;
    try {
      if (!client?.open || !client.inTransaction) throw new Error(ROLLED_BACK);
      this.#run(client, "COMMIT", []);
      group.settle();
    } catch (error) {
      if (client) this.#rollback(client);
      group.settle(error instanceof RawQueryError ? error : new RawQueryError(error));
    }
  }

  #fail(group: CommitGroup, error: Error): void {
    if (this.#group === group) this.#group = null;
    group.settle(new RawQueryError(error));
  }

  /**
   * Undoes one transaction's savepoint, leaving the group's other members to commit. Never throws:
   * it runs while another error is on its way up.
   */
  #rollbackMember(client: BetterSqlite3.Database, group: CommitGroup): void {
    try {
      if (client.open && client.inTransaction) {
        this.#run(client, `ROLLBACK TO ${MEMBER}`, []);
        this.#run(client, `RELEASE ${MEMBER}`, []);
        this.#scheduleCommit(group);
        return;
      }
    } catch {
      this.#rollback(client);
    }
    // SQLite rolled the whole transaction back: the members that finished earlier went with it.
    this.#fail(group, new Error(ROLLED_BACK));
  }

  #connection(): BetterSqlite3.Database {
    if (!this.#client?.open) throw new RawQueryError(new Error("The database connection is closed."));
    return this.#client;
  }

  /** Never throws: it runs while another error is on its way up. */
  #rollback(client: BetterSqlite3.Database): void {
    try {
      if (client.open && client.inTransaction) client.prepare("ROLLBACK").run();
    } catch {
      // SQLite has ended the transaction itself (an error that rolls back on its own).
    }
  }

  #prepare(client: BetterSqlite3.Database, text: string): Prepared {
    let statements = this.#statements.get(client);
    if (!statements) {
      statements = new Map();
      this.#statements.set(client, statements);
    }
    const cached = statements.get(text);
    if (cached) return cached;
    const statement = client.prepare(text);
    const prepared: Prepared = { statement, reader: statement.reader, dates: [], booleans: [] };
    if (statement.reader) {
      // The adapter's client reads every integer as a BigInt (defaultSafeIntegers); Prisma's raw
      // result turns the ones that fit into numbers, and every integer here fits.
      statement.safeIntegers(false);
      for (const column of statement.columns()) {
        const declared = column.type?.toUpperCase();
        if (declared === "DATETIME" || declared === "TIMESTAMP") prepared.dates.push(column.name);
        else if (declared === "BOOLEAN") prepared.booleans.push(column.name);
      }
    }
    if (text.length <= CACHED_SQL_CHARS) {
      if (statements.size >= CACHED_STATEMENTS) {
        const oldest = statements.keys().next().value as string;
        statements.delete(oldest);
      }
      statements.set(text, prepared);
    }
    return prepared;
  }

  #all(client: BetterSqlite3.Database, query: Sql): unknown[] {
    try {
      const prepared = this.#prepare(client, query.sql);
      const args = query.values.map(bindable);
      if (!prepared.reader) {
        prepared.statement.run(...args);
        return [];
      }
      const rows = prepared.statement.all(...args) as Record<string, unknown>[];
      if (prepared.dates.length > 0 || prepared.booleans.length > 0) {
        for (const row of rows) {
          for (const name of prepared.dates) row[name] = sqliteDate(row[name]);
          for (const name of prepared.booleans) if (row[name] !== null) row[name] = Boolean(row[name]);
        }
      }
      return rows;
    } catch (error) {
      throw new RawQueryError(error);
    }
  }

  #run(client: BetterSqlite3.Database, text: string, values: readonly unknown[]): number {
    try {
      return this.#prepare(client, text).statement.run(...values.map(bindable)).changes;
    } catch (error) {
      throw new RawQueryError(error);
    }
  }

  /**
   * The adapter with its transactions and free-standing statements under the shared lock, except
   * lone SELECTs, which `reader` (a second connection, made read-only here) answers.
   */
  #share(adapter: Adapter, reader: Adapter): Adapter {
    this.#client = clientOf(adapter);
    this.#reader = clientOf(reader);
    // Belt and braces: a statement misrouted here fails instead of writing outside the lock.
    this.#reader.pragma("query_only = ON");
    const exclusive = async <R>(run: () => Promise<R>): Promise<R> => {
      const release = await this.#acquireCommitted();
      try {
        return await run();
      } finally {
        release();
      }
    };
    const shared: Adapter = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) =>
        isLoneRead(query.sql) ? reader.queryRaw(query) : exclusive(() => adapter.queryRaw(query)),
      executeRaw: (query) => exclusive(() => adapter.executeRaw(query)),
      executeScript: (script) => exclusive(() => adapter.executeScript(script)),
      startTransaction: async (isolationLevel) => {
        const release = await this.#acquireCommitted();
        try {
          return lockedTransaction(await adapter.startTransaction(isolationLevel), release);
        } catch (error) {
          release();
          throw error;
        }
      },
      dispose: async () => {
        (await this.#acquireCommitted())();
        this.#client = null;
        this.#reader = null;
        await reader.dispose();
        await adapter.dispose();
      },
    };
    const info = adapter.getConnectionInfo?.bind(adapter);
    if (info) shared.getConnectionInfo = info;
    return shared;
  }
}

function clientOf(adapter: Adapter): BetterSqlite3.Database {
  return (adapter as unknown as { client: BetterSqlite3.Database }).client;
}

/**
 * A statement that only reads, so the read-only connection may answer it outside the lock. Only a
 * plain SELECT qualifies: a WITH may hold an INSERT, and Prisma's writes (INSERT … RETURNING)
 * come through queryRaw too.
 */
function isLoneRead(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql);
}

/** Prisma's transaction on the shared connection, giving the lock back when it ends either way. */
function lockedTransaction(tx: AdapterTransaction, release: () => void): AdapterTransaction {
  const locked: AdapterTransaction = {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: async () => {
      try {
        await tx.commit();
      } finally {
        release();
      }
    },
    rollback: async () => {
      try {
        await tx.rollback();
      } finally {
        release();
      }
    },
  };
  if (tx.createSavepoint) locked.createSavepoint = tx.createSavepoint.bind(tx);
  if (tx.rollbackToSavepoint) locked.rollbackToSavepoint = tx.rollbackToSavepoint.bind(tx);
  if (tx.releaseSavepoint) locked.releaseSavepoint = tx.releaseSavepoint.bind(tx);
  return locked;
}

/** Bound values as the adapter binds them (its `mapArg`): Dates as ISO text, booleans as 1/0. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * A DATETIME column as a Date. Prisma writes ISO text with an offset; SQLite's CURRENT_TIMESTAMP
 * defaults are `YYYY-MM-DD HH:MM:SS` in UTC without one, which JavaScript would read as local time.
 */
function sqliteDate(value: unknown): unknown {
  if (typeof value === "number") return new Date(value);
  if (typeof value !== "string") return value;
  const zoned = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value);
  return new Date(zoned ? value : `${value.replace(" ", "T")}Z`);
}
