import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@dnscove/testkit";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./database-unavailable.js";
import { type OpenDatabase, openDatabase } from "./open-database.js";
import { checkReadiness } from "./readiness.js";

/**
 * The classifier on errors the real adapters raise: a PostgreSQL nobody listens on, a SQLite file
 * whose write lock another connection holds past busy_timeout, and (never "unavailable") a
 * constraint violation.
 */
describe("isDatabaseUnavailable on real adapter errors", () => {
  let dir: string;
  let sqlite: OpenDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-unavailable-"));
    sqlite = await openDatabase({ provider: "sqlite", location: path.join(dir, "db.sqlite") });
  });
  afterAll(async () => {
    await sqlite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("PostgreSQL unreachable: unavailable, and readiness says so", async () => {
    const down = await openDatabase(
      { provider: "postgres", location: `postgresql://postgres@127.0.0.1:${await freePort()}/none` },
      { migrate: false },
    );
    try {
      const error = await down.db.zone.count().catch((e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
      const readiness = await checkReadiness(down.db);
      expect(readiness).toMatchObject({ ready: false, reason: "unreachable" });
    } finally {
      await down.close();
    }
  });

  it("SQLite locked past busy_timeout: unavailable; a unique violation: not", async () => {
    expect(await checkReadiness(sqlite.db)).toEqual({ ready: true });
    await sqlite.db.$queryRawUnsafe("PRAGMA busy_timeout = 200");
    const holder = new Database(path.join(dir, "db.sqlite"));
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const error = await sqlite.db.tenant.create({ data: { id: "t1" } }).catch((e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    await sqlite.db.$executeRawUnsafe(
      `INSERT INTO "_dnscove_migrations" ("name", "applied_at") VALUES ('x', 'now')`,
    );
    const duplicate = await sqlite.db
      .$executeRawUnsafe(`INSERT INTO "_dnscove_migrations" ("name", "applied_at") VALUES ('x', 'now')`)
      .catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
  });
});
