import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as PostgresClient } from "../generated/postgres/client.js";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import type { DatabaseTarget } from "./database-url.js";
import { PostgresDirect } from "./direct-postgres.js";
import { SqliteDirect } from "./direct-sqlite.js";
import { applyMigrations } from "./migrate.js";
import { rememberDirectDriver } from "./raw-transaction.js";
import { WalCheckpointer, WRITER_AUTOCHECKPOINT_PAGES } from "./wal-checkpointer.js";
import { rememberProvider } from "./zone-lock.js";

/**
 * Both generated clients expose the same model API (the models file is shared); code above this
 * package is written against one type so it never branches on the provider.
 */
export type Db = SqliteClient;
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface OpenDatabase {
  db: Db;
  target: DatabaseTarget;
  /** SQLite with `checkpointInWorker`: the worker thread checkpointing the WAL. */
  checkpointer?: WalCheckpointer;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /**
   * How long one interactive transaction may run, waiting for a row lock included (default 15 s;
   * Prisma's own 5 s turned lock waits on a busy zone into 500s under load), and how long it may
   * wait for a pooled connection (default 5 s).
   */
  transactionTimeoutMs?: number;
  transactionMaxWaitMs?: number;
  /**
   * SQLite only: how long a write waits for another connection's write lock (default 5000 ms).
   * better-sqlite3 waits synchronously, blocking the whole event loop, so a process that must
   * stay responsive (an edge answering DNS) sets it short and retries later.
   */
  busyTimeoutMs?: number;
  /**
   * SQLite only: checkpoint the WAL on a worker thread (wal-checkpointer.ts) instead of inside the
   * COMMIT that crosses 1,000 pages, which blocks the event loop. Off by default: only the API,
   * the one busy writer, turns it on (apps/api/src/main.ts).
   */
  checkpointInWorker?: boolean;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: OpenDatabaseOptions = {},
): Promise<OpenDatabase> {
  if (options.migrate ?? true) await applyMigrations(target);
  const transactionOptions = {
    timeout: options.transactionTimeoutMs ?? 15_000,
    maxWait: options.transactionMaxWaitMs ?? 5_000,
  };
  // The write path's direct transactions (raw-transaction.ts) share Prisma's connection (SQLite)
  // or its pool (PostgreSQL), so neither side waits on a connection the other cannot release.
  let db: Db;
  let pool: pg.Pool | undefined;
  if (target.provider === "sqlite") {
    const direct = new SqliteDirect(transactionOptions.timeout);
    db = new SqliteClient({
      adapter: direct.adapterFactory(new PrismaBetterSqlite3({ url: `file:${target.location}` })),
      transactionOptions,
    });
    rememberDirectDriver(db, direct);
  } else {
    // Pipeline mode (pg ≥ 8.22, client.js `_pulsePipelinedQueryQueue`): a query is written as soon
    // as it is issued instead of after the previous answer, so a direct transaction sends BEGIN
    // with its first statements and its last writes with COMMIT (direct-postgres.ts). Prisma's
    // adapter issues one query at a time and runs unchanged on it. Not for portal queries
    // (pg-cursor, `rows`), which pg refuses on such a connection; nothing here uses them.
    pool = new pg.Pool({ connectionString: target.location, pipeline: true });
    db = new PostgresClient({ adapter: new PrismaPg(pool), transactionOptions }) as unknown as Db;
    rememberDirectDriver(db, new PostgresDirect(pool, transactionOptions.timeout));
  }
  rememberProvider(db, target.provider);
  await db.$connect();
  if (target.provider === "sqlite") {
    // Per-connection settings: enforce the schema's foreign keys, and wait for the writer instead
    // of failing with SQLITE_BUSY when the edge or a second process holds the lock briefly.
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
    await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits,
    // which is the trade every embedded SQLite deployment makes for not fsyncing each one.
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  }
  let checkpointer: WalCheckpointer | undefined;
  if (target.provider === "sqlite" && options.checkpointInWorker) {
    // Not off: a backstop so the WAL cannot grow without bound if the worker stops.
    await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    checkpointer = new WalCheckpointer(target.location);
  }
  return {
    db,
    target,
    ...(checkpointer ? { checkpointer } : {}),
    close: async () => {
      // First, so the writer's connection is the last one and removes the WAL as it closes.
      await checkpointer?.close();
      await db.$disconnect();
      // Prisma leaves a pool it was given open; it is ours to end.
      await pool?.end();
    },
  };
}
