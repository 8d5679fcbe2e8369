import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "./open-database.js";
import { sql } from "./raw-sql.js";
import { rawQuery, runRawTransaction } from "./raw-transaction.js";

/**
 * The API's WAL checkpoints on a worker thread (wal-checkpointer.ts): the writer no longer
 * checkpoints itself below WRITER_AUTOCHECKPOINT_PAGES, yet the WAL stays small because the
 * worker copies it back and the writer rewinds it; close() ends the worker.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-walcp-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** 16 KiB of text per row: several pages each, so a batch of rows is a known share of the WAL. */
const ROW_BYTES = 16 * 1024;
const ROWS_PER_BATCH = 50;
const BATCHES = 20;

async function writeBatch(database: OpenDatabase, batch: number): Promise<void> {
  await runRawTransaction(database.db, async (tx) => {
    for (let row = 0; row < ROWS_PER_BATCH; row++) {
      await tx.$executeRaw(
        sql`INSERT INTO "wal_fill" ("id", "body") VALUES (${batch * ROWS_PER_BATCH + row}, ${"x".repeat(ROW_BYTES)})`,
      );
    }
  });
}

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

describe("WAL checkpoints in a worker", () => {
  it("the worker checkpoints the writes, the WAL stays bounded, and close() ends the worker", async () => {
    const location = path.join(dir, "checkpointed.db");
    const database = await openDatabase({ provider: "sqlite", location }, { checkpointInWorker: true });
    const checkpointer = database.checkpointer;
    if (!checkpointer) throw new Error("no checkpointer");
    try {
      expect(checkpointer.running).toBe(true);
      const [autocheckpoint] =
        await database.db.$queryRawUnsafe<{ wal_autocheckpoint: number }[]>("PRAGMA wal_autocheckpoint");
      expect(Number(autocheckpoint?.wal_autocheckpoint)).toBe(20_000);
      await runRawTransaction(database.db, async (tx) => {
        await tx.$executeRaw`CREATE TABLE "wal_fill" ("id" INTEGER PRIMARY KEY, "body" TEXT NOT NULL)`;
      });
      let largestWal = 0;
      for (let batch = 0; batch < BATCHES; batch++) {
        await writeBatch(database, batch);
        largestWal = Math.max(largestWal, walBytes(location));
        // The worker's own timer notices the grown WAL: wait until it has copied every frame.
        for (;;) {
          const result = await checkpointer.nextCheckpoint();
          if (result.busy === 0 && result.log > 0 && result.checkpointed === result.log) break;
        }
      }
      const written = BATCHES * ROWS_PER_BATCH * ROW_BYTES;
      // The writer rewound the WAL after each complete checkpoint instead of appending all batches
      // (its own threshold, 20,000 pages, is about 80 MB): the file never held more than ~2 batches.
      expect(largestWal).toBeLessThan(written / 5);
      expect(checkpointer.checkpoints).toBeGreaterThanOrEqual(BATCHES);
      const [count] = await rawQuery<{ n: number }[]>(
        database.db,
        sql`SELECT count(*) AS "n" FROM "wal_fill"`,
      );
      expect(count?.n).toBe(BATCHES * ROWS_PER_BATCH);
    } finally {
      await database.close();
    }
    expect(checkpointer.running).toBe(false);
    // The writer's connection closed last, so SQLite checkpointed and removed the WAL.
    expect(walBytes(location)).toBe(0);
  });

  it("is off unless asked for: the writer keeps SQLite's own checkpoints", async () => {
    const database = await openDatabase({ provider: "sqlite", location: path.join(dir, "plain.db") });
    try {
      expect(database.checkpointer).toBeUndefined();
      const [autocheckpoint] =
        await database.db.$queryRawUnsafe<{ wal_autocheckpoint: number }[]>("PRAGMA wal_autocheckpoint");
      expect(Number(autocheckpoint?.wal_autocheckpoint)).toBe(1000);
    } finally {
      await database.close();
    }
  });
});
