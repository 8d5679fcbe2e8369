/**
 * PostgreSQL's direct path (issue 14): one `pg.Pool` shared by Prisma's adapter and the write
 * path's transactions, so both draw from the same connections. The pool's connections are in pg's
 * pipeline mode (open-database.ts), and each transaction sends its statements so that a
 * single-rrset change is one round trip plus a COMMIT (postgres-transaction.ts). Statements are
 * named prepared statements (name from a hash of the text): each connection parses and plans a hot
 * statement once, instead of on every call.
 *
 * Transactions given one `queueKey` (an rrset change's zone) wait in one line per key, in this
 * process, not in PostgreSQL's lock queue, and run one at a time. Those waiting when one begins
 * run after it in its PostgreSQL transaction, each in a savepoint of its own, up to GROUP_MEMBERS,
 * and the group shares one COMMIT; each caller is answered once that COMMIT has been answered.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { KeyedLine, type Waiting } from "./keyed-line.js";
import { corked, PostgresTransaction, type Statements } from "./postgres-transaction.js";
import { RawQueryError, RawTransactionTimeoutError } from "./raw-errors.js";
import type { Sql } from "./raw-sql.js";
import type { DirectDriver, RawTransactionOptions, RawTx } from "./raw-transaction.js";

/**
 * Texts up to this long get a prepared-statement name. Each name stays parsed on each connection
 * for the connection's life, so the multi-row INSERTs of big batches (every row count its own
 * text) run unnamed.
 */
const NAMED_SQL_CHARS = 2048;
const NAME_CACHE = 1000;

/**
 * The most members one transaction holds. Each member after the first writes in a subtransaction,
 * and PostgreSQL keeps 64 subtransaction ids per backend in shared memory
 * (PGPROC_MAX_CACHED_SUBXIDS); past that, every other backend's snapshots get slower.
 */
const GROUP_MEMBERS = 32;

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

/** One caller's transaction, from its call until it is answered. */
class Member {
  readonly #called = performance.now();
  /** Set while it waits in line: it gives up at its time limit. */
  waiting: NodeJS.Timeout | undefined;

  constructor(
    readonly fn: (tx: RawTx) => Promise<unknown>,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
    private readonly timeoutMs: number,
  ) {}

  /** What is left of its time limit, which counts from the call: the wait in line included. */
  budgetMs(): number {
    return Math.max(1, this.timeoutMs - (performance.now() - this.#called));
  }
}

const nobodyElse = () => undefined;

/**
 * The most statements outside a transaction sent on one connection at once: PostgreSQL runs a
 * connection's statements one after another, so a big turn's worth is spread over connections.
 */
const LONE_STATEMENTS = 16;

interface LoneStatement {
  config: pg.QueryConfig;
  resolve: (rows: unknown) => void;
  reject: (error: unknown) => void;
}

export class PostgresDirect implements DirectDriver {
  readonly #names = new Map<string, string>();
  readonly #lines = new KeyedLine<Member>((line) => this.#serve(line));
  /** Statements outside any transaction waiting to be sent (query). */
  readonly #lone: LoneStatement[] = [];
  readonly #statements: Statements = {
    query: (client, query) => this.#query(client, query),
    simple: (client, text) => this.#simple(client, text),
  };

  constructor(
    readonly pool: pg.Pool,
    private readonly timeoutMs: number,
  ) {}

  transaction<T>(fn: (tx: RawTx) => Promise<T>, options: RawTransactionOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const member = new Member(fn, resolve as (value: unknown) => void, reject, this.timeoutMs);
      const { queueKey } = options;
      if (queueKey === undefined) {
        this.#group(member, nobodyElse).catch(reject);
        return;
      }
      const withdraw = this.#lines.join(queueKey, member);
      member.waiting = setTimeout(() => {
        if (withdraw()) reject(this.#timeout());
      }, this.timeoutMs);
    });
  }

  /**
   * Serves one key's line, a group at a time. A group takes those waiting when it starts, up to
   * GROUP_MEMBERS; whoever arrives while it runs waits for the next one. Were newcomers let in
   * too, one group would take in every caller, and nothing would run while its answers travel and
   * its callers come back: 16 callers changing one zone made ~8% fewer changes/s that way.
   */
  async #serve(line: Waiting<Member>): Promise<void> {
    const take = () => {
      const member = line.take();
      clearTimeout(member?.waiting);
      return member;
    };
    for (let first = take(); first; first = take()) {
      let room = Math.min(line.length, GROUP_MEMBERS - 1);
      await this.#group(first, () => (room-- > 0 ? take() : undefined));
    }
  }

  /**
   * Runs `first` in a new transaction, then whoever `next` gives while there is room, and answers
   * each of them. The first runs outside any savepoint: when it fails, the transaction holds
   * nothing else and is rolled back. A later member that fails rolls back its savepoint. When the
   * transaction cannot go on or PostgreSQL rolled it back (a member's write failed: it is not known
   * whose), nothing of it was written, and each member runs again alone, in order.
   */
  async #group(first: Member, next: () => Member | undefined): Promise<void> {
    let transaction: PostgresTransaction;
    try {
      transaction = await this.#begin(first.budgetMs());
    } catch (error) {
      first.reject(error);
      return;
    }
    const members = [first];
    const outcomes = [await settled(transaction.run(first.fn))];
    /** Every member fails with it. */
    let failure: { error: unknown } | undefined;
    let again = false;
    try {
      if (outcomes[0]?.status === "rejected") {
        failure = { error: outcomes[0].reason };
      } else {
        while (members.length < GROUP_MEMBERS && !transaction.expired) {
          const member = next();
          if (!member) break;
          members.push(member);
          const outcome = await settled(transaction.run(member.fn));
          outcomes.push(outcome);
          if (outcome.status === "fulfilled" || transaction.expired) continue;
          if (await transaction.failed()) {
            again = true;
            break;
          }
          transaction.rollbackMember();
        }
        if (!again) await transaction.commit();
      }
    } catch (error) {
      if (transaction.rolledBack && members.length > 1) again = true;
      else failure = { error };
    } finally {
      if (failure || again) await transaction.rollback();
      transaction.release();
    }
    if (again && !transaction.expired) {
      for (const member of members) await this.#group(member, nobodyElse);
      return;
    }
    // Answered on the next turn of the event loop, once the next group's first statements have
    // left: each answer runs its caller's HTTP response, which would otherwise go first.
    setImmediate(() =>
      members.forEach((member, at) => {
        const outcome = outcomes[at];
        if (transaction.expired) member.reject(this.#timeout());
        else if (failure) member.reject(failure.error);
        else if (outcome?.status === "fulfilled") member.resolve(outcome.value);
        else member.reject(outcome?.reason);
      }),
    );
  }

  async #begin(budgetMs: number): Promise<PostgresTransaction> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new RawQueryError(error);
    }
    return new PostgresTransaction(client, this.#statements, this.timeoutMs, budgetMs);
  }

  /**
   * One statement outside any transaction. The statements asked for in one turn of the event loop
   * (the session lookups of the requests that arrived together) leave together, on one connection,
   * in one write, up to LONE_STATEMENTS, where each took a connection and a write of its own: that
   * write was ~7% of the API's CPU under 16 clients changing rrsets (docs/benchmarks.md).
   */
  query<T>(query: Sql): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#lone.push({ config: this.#config(query), resolve: resolve as (rows: unknown) => void, reject });
      if (this.#lone.length === 1) setImmediate(() => this.#sendLone());
    });
  }

  /** Sends the statements waiting (query), at most LONE_STATEMENTS on one connection. */
  #sendLone(): void {
    const waiting = this.#lone.splice(0);
    for (let start = 0; start < waiting.length; start += LONE_STATEMENTS) {
      void this.#sendOnOneConnection(waiting.slice(start, start + LONE_STATEMENTS));
    }
  }

  async #sendOnOneConnection(statements: LoneStatement[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const statement of statements) statement.reject(new RawQueryError(error));
      return;
    }
    let failure: Error | undefined;
    // Each is answered as soon as it is; the connection goes back once all are.
    const answered = corked(client, () =>
      statements.map(async (statement) => {
        try {
          statement.resolve((await client.query(statement.config)).rows);
        } catch (error) {
          failure ??= error as Error;
          statement.reject(this.#error(error));
        }
      }),
    );
    await Promise.all(answered);
    // As pool.query does: a connection on which a statement failed is closed, not reused.
    client.release(failure);
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
    if (typeof code === "string" && OUT_OF_TIME.has(code)) return this.#timeout();
    return new RawQueryError(error);
  }

  #timeout(): RawTransactionTimeoutError {
    return new RawTransactionTimeoutError(this.timeoutMs);
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

function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: "fulfilled", value }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );
}
