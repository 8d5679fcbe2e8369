/**
 * One PostgreSQL transaction on one pooled connection, in which one or more callers' transactions
 * ("members") run one after another (direct-postgres.ts). The connection is in pg's pipeline mode
 * (open-database.ts): statements leave without waiting for the answers before them, and PostgreSQL
 * answers them in order. So BEGIN leaves with the first member's first statements, each member's
 * writes for COMMIT (writeBeforeCommit) leave with the next member's first statements or with
 * COMMIT, and every member after the first runs in a savepoint of its own, so that it alone can be
 * rolled back. A single-rrset change is then one round trip, plus one COMMIT for its whole group.
 * What members carry from one to the next (RawTx.carry) is written once, just before COMMIT.
 */
import type { Writable } from "node:stream";
import type pg from "pg";
import { RawTransactionTimeoutError } from "./raw-errors.js";
import type { Sql } from "./raw-sql.js";
import { type RawTx, settleTogether, toSql } from "./raw-transaction.js";

/** How statements are sent: named prepared statements and the driver's error mapping. */
export interface Statements {
  query(client: pg.PoolClient, query: Sql): Promise<pg.QueryResult>;
  simple(client: pg.PoolClient, text: string): Promise<void>;
}

/** The savepoint each member after the first runs in. */
const MEMBER = "dnscove_member";

export class PostgresTransaction {
  /** This transaction still holds its connection. */
  #open = true;
  #expired = false;
  #rolledBack = false;
  /** Why the connection is closed rather than returned to the pool. */
  #broken: Error | undefined;
  readonly #expiry: Promise<never>;
  readonly #timer: NodeJS.Timeout;
  /** Statements that leave just before the next one sent: BEGIN, members' writes, savepoints. */
  readonly #before: (() => Promise<unknown>)[] = [];
  /** Statements sent whose answers nobody awaits, in the order sent. */
  readonly #unawaited: Promise<unknown>[] = [];
  #members = 0;
  /** What the members that succeeded left (RawTx.carry), with the writes each value stands for. */
  readonly #carried = new Map<string, { value: unknown; writes: () => readonly Sql[] }>();

  /**
   * `budgetMs`: how long the transaction may take. Past it the connection is closed (PostgreSQL
   * rolls back a transaction whose connection is gone), and statement_timeout bounds a lock wait on
   * the server itself. `timeoutMs`, the configured limit, is what the error names.
   */
  constructor(
    private readonly client: pg.PoolClient,
    private readonly statements: Statements,
    private readonly timeoutMs: number,
    budgetMs: number,
  ) {
    let expire: (error: Error) => void = () => undefined;
    this.#expiry = new Promise<never>((_, reject) => {
      expire = reject;
    });
    this.#expiry.catch(() => undefined);
    this.#timer = setTimeout(() => {
      if (!this.#open) return;
      this.#expired = true;
      this.#open = false;
      client.release(this.#timeout());
      expire(this.#timeout());
    }, budgetMs);
    this.#timer.unref();
    const limit = Math.max(1, Math.trunc(budgetMs));
    this.#before.push(() => statements.simple(client, `BEGIN; SET LOCAL statement_timeout = ${limit}`));
  }

  get expired(): boolean {
    return this.#expired;
  }

  /** A statement sent before COMMIT failed, so PostgreSQL rolled everything back (commit()). */
  get rolledBack(): boolean {
    return this.#rolledBack;
  }

  /**
   * Runs one member, `fn`, with a `tx` of its own that stops working once `fn` has settled. A
   * member after the first runs in a savepoint (rollbackMember). Its writes for COMMIT leave with
   * the next statement sent, unawaited: failed() and commit() tell whether they failed.
   */
  async run<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    if (this.#members > 0)
      this.#before.push(() => this.statements.simple(this.client, `SAVEPOINT ${MEMBER}`));
    this.#members += 1;
    let running = true;
    const guard = () => {
      if (this.#expired) throw this.#timeout();
      if (!running || !this.#open) throw new Error("The transaction has already ended.");
    };
    const send = (query: Sql) =>
      corked(this.client, () => {
        this.#sendBefore();
        return this.statements.query(this.client, query);
      });
    const atCommit: Sql[] = [];
    const carried = new Map<string, { value: unknown; writes: () => readonly Sql[] }>();
    const tx: RawTx = {
      $queryRaw: async <R>(query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        return (await send(toSql(query, values))).rows as R;
      },
      $executeRaw: async (query: TemplateStringsArray | Sql, ...values: unknown[]) => {
        guard();
        return (await send(toSql(query, values))).rowCount ?? 0;
      },
      // Statements issued in one turn of the event loop leave together and PostgreSQL answers them
      // in order: one round trip for all.
      runTogether: <R extends readonly unknown[]>(work: { [K in keyof R]: () => Promise<R[K]> }) => {
        guard();
        return corked(this.client, () => settleTogether<R>(work));
      },
      writeBeforeCommit: (query: Sql) => {
        guard();
        atCommit.push(query);
      },
      carried: (key: string) => (carried.get(key) ?? this.#carried.get(key))?.value,
      carry: (key: string, value: unknown, writes: () => readonly Sql[]) => {
        guard();
        carried.set(key, { value, writes });
      },
    };
    try {
      const work = fn(tx);
      // A callback still running past the limit fails on its next statement; nobody awaits it then.
      work.catch(() => undefined);
      const result = await Promise.race([work, this.#expiry]);
      guard();
      for (const query of atCommit) this.#before.push(() => this.statements.query(this.client, query));
      for (const [key, left] of carried) this.#carried.set(key, left);
      return result;
    } finally {
      running = false;
    }
  }

  /** Undoes the member that last ran, which failed. Only for a member after the first. */
  rollbackMember(): void {
    this.#before.push(() => this.statements.simple(this.client, `ROLLBACK TO SAVEPOINT ${MEMBER}`));
  }

  /**
   * Whether a statement sent unawaited (BEGIN, a savepoint, a member's writes) has failed, once
   * all have been answered. After such a failure every later statement fails too, so a member's
   * failure cannot be told from it, nor undone on its own.
   */
  async failed(): Promise<boolean> {
    try {
      const settled = await Promise.race([Promise.allSettled(this.#unawaited), this.#expiry]);
      return settled.some((outcome) => outcome.status === "rejected");
    } catch {
      return true;
    }
  }

  /**
   * Sends what is left (the last member's writes) with COMMIT, in one round trip, and throws the
   * first failure among everything sent unawaited. A failed write aborts the transaction, and
   * PostgreSQL answers the COMMIT of an aborted transaction with ROLLBACK, not an error: the
   * write's own failure is the transaction's, and `rolledBack` says that nothing was written.
   */
  async commit(): Promise<void> {
    if (this.#expired) throw this.#timeout();
    for (const { writes } of this.#carried.values()) {
      for (const query of writes()) this.#before.push(() => this.statements.query(this.client, query));
    }
    const committed = corked(this.client, () => {
      this.#sendBefore();
      return this.statements.simple(this.client, "COMMIT");
    });
    const settled = await Promise.race([Promise.allSettled([...this.#unawaited, committed]), this.#expiry]);
    const failed = settled.findIndex((outcome) => outcome.status === "rejected");
    if (failed < 0) return;
    this.#rolledBack = failed < settled.length - 1;
    throw (settled[failed] as PromiseRejectedResult).reason;
  }

  async rollback(): Promise<void> {
    if (!this.#open) return;
    try {
      await this.client.query("ROLLBACK");
    } catch (error) {
      // The connection is unusable: closed rather than returned to the pool.
      this.#broken = error as Error;
    }
  }

  release(): void {
    clearTimeout(this.#timer);
    if (!this.#open) return;
    this.#open = false;
    this.client.release(this.#broken);
  }

  #sendBefore(): void {
    for (const statement of this.#before.splice(0)) {
      const sent = statement();
      sent.catch(() => undefined);
      this.#unawaited.push(sent);
    }
  }

  #timeout(): RawTransactionTimeoutError {
    return new RawTransactionTimeoutError(this.timeoutMs);
  }
}

/**
 * Runs `issue` (which sends statements without awaiting them) with the connection's socket corked,
 * so what it sends leaves in one `writev` instead of one per statement: pg corks only around each
 * query's own messages (query.js `submit`), and the write per statement was about a quarter of the
 * API's CPU on PostgreSQL (docs/benchmarks.md). Cork and uncork nest, so pg's own pairs inside
 * keep working. `connection.stream` is pg's internal socket; without it nothing is corked.
 */
export function corked<R>(client: pg.PoolClient, issue: () => R): R {
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  const cork = typeof stream?.cork === "function" && typeof stream.uncork === "function";
  if (cork) stream.cork?.();
  try {
    return issue();
  } finally {
    if (cork) stream.uncork?.();
  }
}
