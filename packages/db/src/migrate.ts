import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget, Provider } from "./database-url.js";

export interface Migration {
  name: string;
  sql: string;
}

/** The package's `migrations/` folder, found from here whether running from src/ (tests) or dist/src/. */
function migrationsRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "migrations", "sqlite"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("the migrations folder of @dnscove/db is missing");
    dir = parent;
  }
  return path.join(dir, "migrations");
}

/** The committed migrations for one provider, in the order their folder names sort. */
export function loadMigrations(provider: Provider): Migration[] {
  const dir = path.join(migrationsRoot(), provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(`${dir}/${name}/migration.sql`, "utf8") }));
}

/**
 * Applies every committed migration not yet recorded in `_dnscove_migrations`, each in its own
 * transaction. Runs on start instead of `prisma migrate deploy`, whose native schema engine cannot be
 * downloaded here or in air-gapped installs. Returns the names applied.
 */
export async function applyMigrations(target: DatabaseTarget): Promise<string[]> {
  const migrations = loadMigrations(target.provider);
  return target.provider === "sqlite"
    ? applySqlite(target.location, migrations)
    : applyPostgres(target.location, migrations);
}

function applySqlite(file: string, migrations: Migration[]): string[] {
  const db = new Database(file);
  try {
    // WAL lets the edge read while the API writes; the setting is stored in the file.
    db.pragma("journal_mode = WAL");
    db.exec(
      'CREATE TABLE IF NOT EXISTS "_dnscove_migrations" ("name" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL)',
    );
    const applied = new Set(
      db
        .prepare('SELECT "name" FROM "_dnscove_migrations"')
        .all()
        .map((row) => (row as { name: string }).name),
    );
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare('INSERT INTO "_dnscove_migrations" ("name", "applied_at") VALUES (?, ?)').run(
          migration.name,
          new Date().toISOString(),
        );
      }).immediate();
      done.push(migration.name);
    }
    return done;
  } finally {
    db.close();
  }
}

// Any constant works; it only has to be the same for every DNSCove process sharing a database.
const MIGRATION_LOCK_KEY = 0x646e73636f7665n & 0x7fffffffffffffffn;

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several API and edge processes may start at once against one database.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS "_dnscove_migrations" ("name" TEXT PRIMARY KEY, "applied_at" TIMESTAMPTZ NOT NULL)',
    );
    const { rows } = await client.query<{ name: string }>('SELECT "name" FROM "_dnscove_migrations"');
    const applied = new Set(rows.map((row) => row.name));
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO "_dnscove_migrations" ("name", "applied_at") VALUES ($1, now())', [
          migration.name,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await client.end();
  }
}
