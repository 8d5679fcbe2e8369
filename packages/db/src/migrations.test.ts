import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type PostgresServer, startPostgres } from "@dnscove/testkit";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseTarget, Provider } from "./database-url.js";
import { applyMigrations, loadMigrations } from "./migrate.js";
import { openDatabase } from "./open-database.js";

/** Tables and columns the Prisma schema expects, read from the generated client's data model. */
function expectedColumns(provider: Provider): Record<string, string[]> {
  const source = readFileSync(new URL(`../generated/${provider}/internal/class.ts`, import.meta.url), "utf8");
  const json = /config\.runtimeDataModel = JSON\.parse\((".*")\)/.exec(source)?.[1];
  if (!json) throw new Error("runtime data model not found in the generated client");
  const model = JSON.parse(JSON.parse(json) as string) as {
    models: Record<
      string,
      { dbName: string | null; fields: { name: string; kind: string; dbName?: string }[] }
    >;
  };
  return Object.fromEntries(
    Object.entries(model.models).map(([name, m]) => [
      m.dbName ?? name,
      m.fields
        .filter((f) => f.kind === "scalar")
        .map((f) => f.dbName ?? f.name)
        .sort(),
    ]),
  );
}

async function actualColumns(target: DatabaseTarget): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (target.provider === "sqlite") {
    const db = new Database(target.location, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    for (const { name } of tables as { name: string }[]) {
      if (name === "_dnscove_migrations") continue;
      out[name] = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
        .map((c) => c.name)
        .sort();
    }
    db.close();
    return out;
  }
  const client = new pg.Client({ connectionString: target.location });
  await client.connect();
  // Generated columns (migration 0016) are the database's own, for its partial indexes: not in the
  // Prisma schema, and not listed by SQLite's `PRAGMA table_info` either.
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_generated = 'NEVER'",
  );
  await client.end();
  for (const row of rows) {
    if (row.table_name === "_dnscove_migrations") continue;
    const columns = out[row.table_name] ?? [];
    columns.push(row.column_name);
    out[row.table_name] = columns;
  }
  for (const columns of Object.values(out)) columns.sort();
  return out;
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres.stop());

describe.each(["sqlite", "postgres"] as const)("committed migrations (%s)", (provider) => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    if (provider === "sqlite") {
      target = { provider, location: path.join(mkdtempSync(path.join(os.tmpdir(), "dnscove-db-")), "t.db") };
    } else {
      await postgres.createDatabase(`m_${provider}`);
      target = { provider, location: postgres.databaseUrl(`m_${provider}`) };
    }
  });

  it("apply once, then find nothing left to apply", async () => {
    expect(await applyMigrations(target)).toEqual(loadMigrations(provider).map((m) => m.name));
    expect(await applyMigrations(target)).toEqual([]);
  });

  it("create exactly the tables and columns the Prisma schema describes", async () => {
    expect(await actualColumns(target)).toEqual(expectedColumns(provider));
  });

  it("serve the generated client, with foreign keys enforced", async () => {
    const { db, close } = await openDatabase(target);
    try {
      await db.tenant.create({ data: { id: "t1" } });
      await db.zone.create({
        data: {
          id: "Z1",
          tenantId: "t1",
          origin: "a.example",
          status: "ACTIVE",
          serial: 1,
          publishedSerial: 1,
        },
      });
      await expect(
        db.zone.create({
          data: {
            id: "Z2",
            tenantId: "missing",
            origin: "b.example",
            status: "ACTIVE",
            serial: 1,
            publishedSerial: 1,
          },
        }),
      ).rejects.toThrow();
      await db.tenant.delete({ where: { id: "t1" } });
      expect(await db.zone.count()).toBe(0);
    } finally {
      await close();
    }
  });
});
