import { isDatabaseUnavailable } from "./database-unavailable.js";
import type { Provider } from "./database-url.js";
import { loadMigrations } from "./migrate.js";
import type { Db } from "./open-database.js";
import { providerOf } from "./zone-lock.js";

export type Readiness =
  | { ready: true }
  | { ready: false; reason: "unreachable"; error: unknown }
  | { ready: false; reason: "migrations-pending"; pending: string[] };

/**
 * Whether the database answers and holds every migration this build ships (a process started
 * before a newer schema, or against a database another version migrated, is not ready).
 */
export async function checkReadiness(db: Db, provider: Provider = providerOf(db)): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_dnscove_migrations"');
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ready: false, reason: "unreachable", error };
    applied = new Set(); // no migrations table: nothing applied yet
  }
  const pending = shippedMigrations(provider).filter((name) => !applied.has(name));
  return pending.length > 0 ? { ready: false, reason: "migrations-pending", pending } : { ready: true };
}

const shipped = new Map<Provider, string[]>();

/** The names of this version's migrations, read from disk once (probes come every few seconds). */
function shippedMigrations(provider: Provider): string[] {
  let names = shipped.get(provider);
  if (!names) {
    names = loadMigrations(provider).map((migration) => migration.name);
    shipped.set(provider, names);
  }
  return names;
}
