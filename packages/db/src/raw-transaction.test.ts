import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type PostgresServer, startPostgres } from "@dnscove/testkit";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./database-unavailable.js";
import type { Provider } from "./database-url.js";
import { type OpenDatabase, openDatabase } from "./open-database.js";
import { RawTransactionTimeoutError } from "./raw-errors.js";
import { joinSql, sql } from "./raw-sql.js";
import { type RawTx, rawQuery, runRawTransaction, runTogether, writesAtCommit } from "./raw-transaction.js";

/**
 * The write path's direct transactions (raw-transaction.ts) beside Prisma on the connection (SQLite)
 * or pool (PostgreSQL) they share: all or nothing, interleaving with Prisma's own transactions
 * from many concurrent callers without SQLITE_BUSY or a stall, and results typed as Prisma's raw
 * queries type them.
 */
const PROVIDERS: Provider[] = ["sqlite", "postgres"];

let server: PostgresServer;
const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-rawtx-"));
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(provider: Provider, transactionTimeoutMs?: number): Promise<OpenDatabase> {
  databases += 1;
  const name = `rawtx_${databases}`;
  if (provider === "postgres") await server.createDatabase(name);
  const location = provider === "sqlite" ? path.join(dir, `${name}.db`) : server.databaseUrl(name);
  return openDatabase({ provider, location }, transactionTimeoutMs ? { transactionTimeoutMs } : {});
}

/**
 * A database of its own for the `describe` block this is called in: opened before the block's
 * tests and closed after them. Use it only inside tests and hooks.
 */
function databaseForBlock(provider: Provider, transactionTimeoutMs?: number): OpenDatabase {
  let opened: OpenDatabase | undefined;
  beforeAll(async () => {
    opened = await open(provider, transactionTimeoutMs);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const current = () => {
    if (!opened) throw new Error("the block's database is not open");
    return opened;
  };
  return {
    get db() {
      return current().db;
    },
    get target() {
      return current().target;
    },
    close: () => current().close(),
  };
}

async function seedZone(database: OpenDatabase, id: string): Promise<void> {
  const now = new Date("2026-01-02T03:04:05.678Z");
  await database.db.tenant.upsert({ where: { id: "tnt_raw" }, create: { id: "tnt_raw" }, update: {} });
  await database.db.zone.create({
    data: {
      id,
      tenantId: "tnt_raw",
      origin: `${id.toLowerCase()}.example`,
      status: "ACTIVE",
      serial: 0,
      publishedSerial: 0,
      createdAt: now,
      updatedAt: now,
    },
  });
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise the test settles itself: `settle()` resolves `settled`. */
function signal(): { settled: Promise<void>; settle: () => void } {
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { settled, settle };
}

/** One accepted "change": the serial bump, a pause (other callers run), a journal row at that serial. */
async function bumpAndJournal(tx: RawTx, zoneId: string, label: string): Promise<number> {
  const rows = await tx.$queryRaw<{ serial: number }[]>`
    UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${zoneId} RETURNING "serial"`;
  const serial = rows[0]?.serial as number;
  await turn();
  await tx.$executeRaw(
    sql`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
        VALUES (${zoneId}, ${serial}, ${label}, 'A', 300, '[]')`,
  );
  return serial;
}

describe.each(PROVIDERS)("direct transactions on %s", (provider) => {
  const database = databaseForBlock(provider);

  it("a throw rolls back everything the transaction wrote", async () => {
    await seedZone(database, "Zrollback");
    const failure = new Error("on purpose");
    await expect(
      runRawTransaction(database.db, async (tx) => {
        await bumpAndJournal(tx, "Zrollback", "a.");
        await bumpAndJournal(tx, "Zrollback", "b.");
        throw failure;
      }),
    ).rejects.toBe(failure);
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zrollback" } });
    expect(zone.serial).toBe(0);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zrollback" } })).toBe(0);
    // The connection is usable afterwards, through both paths.
    await runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zrollback", "c."));
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zrollback" } })).serial).toBe(1);
  });

  it("statements run together and writes sent with COMMIT all commit, in order", async () => {
    await seedZone(database, "Zpiped");
    const serial = await runRawTransaction(database.db, async (tx) => {
      const [bumped, seen] = await runTogether<[{ serial: number }[], { serial: number }[]]>(tx, [
        () =>
          tx.$queryRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Zpiped"} RETURNING "serial"`,
        () => tx.$queryRaw`SELECT "serial" FROM "zones" WHERE "id" = ${"Zpiped"}`,
      ]);
      // The SELECT ran after the UPDATE, inside the same transaction.
      expect(seen).toEqual(bumped);
      const at = bumped[0]?.serial as number;
      const writes = writesAtCommit(tx);
      await writes.$executeRaw`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
        VALUES (${"Zpiped"}, ${at}, ${"a."}, 'A', 300, '[]')`;
      await writes.$executeRaw`UPDATE "zones" SET "rrset_count" = 5 WHERE "id" = ${"Zpiped"}`;
      return at;
    });
    expect(serial).toBe(1);
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zpiped" } });
    expect([zone.serial, zone.rrsetCount]).toEqual([1, 5]);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zpiped", serial: 1 } })).toBe(1);
  });

  it("a statement failing among statements run together rolls back all; the connection stays usable", async () => {
    await seedZone(database, "Zpipefail");
    const error = await runRawTransaction(database.db, (tx) =>
      runTogether(tx, [
        () => tx.$executeRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Zpipefail"}`,
        () => tx.$executeRaw`UPDATE "no_such_table" SET "x" = 1`,
        () => tx.$executeRaw`UPDATE "zones" SET "rrset_count" = 9 WHERE "id" = ${"Zpipefail"}`,
      ]),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zpipefail" } });
    expect([zone.serial, zone.rrsetCount]).toEqual([0, 0]);
    // Every pooled connection (one of them ran the failed pipeline) still works, on both paths.
    const serials = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zpipefail", `ok${i}.`)),
      ),
    );
    expect([...serials].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zpipefail" } })).serial).toBe(12);
  });

  it("a write sent with COMMIT that fails fails the transaction and rolls back all", async () => {
    await seedZone(database, "Zcommitfail");
    const error = await runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Zcommitfail"}`;
      const writes = writesAtCommit(tx);
      await writes.$executeRaw`UPDATE "zones" SET "rrset_count" = 3 WHERE "id" = ${"Zcommitfail"}`;
      // A second journal row with the same (zone, serial, name, type) breaks the primary key.
      for (let i = 0; i < 2; i += 1) {
        await writes.$executeRaw`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
          VALUES (${"Zcommitfail"}, 1, ${"dup."}, 'A', 300, '[]')`;
      }
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zcommitfail" } });
    expect([zone.serial, zone.rrsetCount]).toEqual([0, 0]);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zcommitfail" } })).toBe(0);
    await runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zcommitfail", "after."));
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zcommitfail" } })).serial).toBe(1);
  });

  it("200 concurrent changes mixed across Prisma and direct transactions all commit, in order", async () => {
    await seedZone(database, "Zmixed");
    const calls = Array.from({ length: 200 }, (_, i) => {
      const label = `n${i}.`;
      if (i % 4 === 0) return database.db.$transaction((tx) => bumpAndJournal(tx, "Zmixed", label));
      if (i % 4 === 1) {
        // Free-standing statements from both sides in the same storm.
        return Promise.all([
          database.db.zone.findUniqueOrThrow({ where: { id: "Zmixed" } }),
          rawQuery(database.db, sql`SELECT "serial" FROM "zones" WHERE "id" = ${"Zmixed"}`),
        ]).then(() => runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zmixed", label)));
      }
      return runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zmixed", label));
    });
    const serials = await Promise.all(calls);
    expect([...serials].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zmixed" } });
    expect(zone.serial).toBe(200);
    const journal = await database.db.zoneChange.findMany({
      where: { zoneId: "Zmixed" },
      orderBy: { serial: "asc" },
    });
    expect(journal.map((row) => row.serial)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(journal.map((row) => row.name)).size).toBe(200);
  });

  it("results have the types Prisma's raw queries give, and values written round-trip", async () => {
    await seedZone(database, "Ztypes");
    const written = new Date("2026-05-06T07:08:09.123Z");
    await runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "updated_at" = ${written}, "serial" = ${41} WHERE "id" = ${"Ztypes"}`;
    });
    const select = sql`SELECT "id", "serial", "rrset_count", "created_at", "updated_at", "origin" FROM "zones" WHERE "id" = ${"Ztypes"}`;
    const viaPrisma = await database.db.$queryRaw<Record<string, unknown>[]>(select);
    const viaDirect = await rawQuery<Record<string, unknown>[]>(database.db, select);
    const viaTx = await runRawTransaction(database.db, (tx) =>
      tx.$queryRaw<Record<string, unknown>[]>(select),
    );
    expect(viaDirect).toEqual(viaPrisma);
    expect(viaTx).toEqual(viaPrisma);
    const row = viaDirect[0] as Record<string, unknown>;
    expect(typeof row.serial).toBe("number");
    expect(row.serial).toBe(41);
    expect(row.updated_at).toEqual(written);
    expect(row.created_at).toEqual(new Date("2026-01-02T03:04:05.678Z"));
    // What the direct path wrote is what the model layer reads.
    const model = await database.db.zone.findUniqueOrThrow({ where: { id: "Ztypes" } });
    expect(model.updatedAt).toEqual(written);
    // A RETURNING clause and a null: the same shapes again.
    const returned = await runRawTransaction(
      database.db,
      (tx) =>
        tx.$queryRaw<{ serial: number; none: null }[]>`
        UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Ztypes"} RETURNING "serial", NULL AS "none"`,
    );
    expect(returned).toEqual([{ serial: 42, none: null }]);
  });
});

describe.each(PROVIDERS)("the direct transaction's time limit on %s", (provider) => {
  const database = databaseForBlock(provider, 400);

  it("a transaction past its limit is rolled back, answers 'unavailable', and frees the connection", async () => {
    await seedZone(database, "Zslow");
    const never = new Promise<void>(() => undefined);
    const error = await runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "serial" = 99 WHERE "id" = ${"Zslow"}`;
      await never;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RawTransactionTimeoutError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zslow" } })).serial).toBe(0);
    await runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zslow", "after."));
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zslow" } })).serial).toBe(1);
  });
});

describe("a direct transaction waiting on PostgreSQL's row lock", () => {
  const database = databaseForBlock("postgres", 400);

  it("gives up at its limit (statement_timeout or the timer) with nothing written, while the holder commits", async () => {
    await seedZone(database, "Zlocked");
    const { settled: isLocked, settle: locked } = signal();
    const { settled: finished, settle: finish } = signal();
    // A Prisma transaction takes the zone's row lock and holds it until told to finish.
    const holder = database.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`UPDATE "zones" SET "serial" = 10 WHERE "id" = ${"Zlocked"}`;
        locked();
        await finished;
      },
      { timeout: 60_000 },
    );
    await isLocked;
    const error = await runRawTransaction(database.db, (tx) =>
      bumpAndJournal(tx, "Zlocked", "waiting."),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RawTransactionTimeoutError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    finish();
    await holder;
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zlocked" } })).serial).toBe(10);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zlocked" } })).toBe(0);
    // The pool is healthy afterwards.
    expect(await runRawTransaction(database.db, (tx) => bumpAndJournal(tx, "Zlocked", "after."))).toBe(11);
  });
});

describe("direct transactions queued on a key (postgres)", () => {
  let database: OpenDatabase;
  let limited: OpenDatabase;
  beforeAll(async () => {
    database = await open("postgres");
    limited = await open("postgres", 400);
  });
  afterAll(async () => {
    await database?.close();
    await limited?.close();
  });

  it("transactions with one key reach PostgreSQL one at a time, in arrival order; other keys run beside them", async () => {
    await seedZone(database, "Zqueued");
    await seedZone(database, "Zother");
    let inside = 0;
    let most = 0;
    const { settled: otherHasRun, settle: otherRan } = signal();
    const serials = Array.from({ length: 8 }, (_, i) =>
      runRawTransaction(
        database.db,
        async (tx) => {
          inside += 1;
          most = Math.max(most, inside);
          // The first holds its turn until a transaction on another key has run: were keys not
          // independent, this would wait until its time limit.
          if (i === 0) await otherHasRun;
          const serial = await bumpAndJournal(tx, "Zqueued", `change${i}.`);
          inside -= 1;
          return serial;
        },
        { queueKey: "Zqueued" },
      ),
    );
    const other = runRawTransaction(
      database.db,
      async (tx) => {
        const serial = await bumpAndJournal(tx, "Zother", "other.");
        otherRan();
        return serial;
      },
      { queueKey: "Zother" },
    );
    expect(await Promise.all(serials)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await other).toBe(1);
    // Without the queue all eight would be inside at once, seven of them waiting on the row lock.
    expect(most).toBe(1);
  });

  it("the time limit covers the wait in the queue: a transaction that waited it out fails, writing nothing", async () => {
    await seedZone(limited, "Zwaits");
    const { settled: released, settle: release } = signal();
    const { settled: isHolding, settle: holding } = signal();
    // Holds its turn past the 400 ms limit: it fails, and the one behind it has waited as long.
    const holder = runRawTransaction(
      limited.db,
      async (tx) => {
        holding();
        await released;
        await tx.$executeRaw`UPDATE "zones" SET "serial" = 99 WHERE "id" = ${"Zwaits"}`;
      },
      { queueKey: "Zwaits" },
    ).catch((e: unknown) => e);
    await isHolding;
    const behind = await runRawTransaction(limited.db, (tx) => bumpAndJournal(tx, "Zwaits", "behind."), {
      queueKey: "Zwaits",
    }).catch((e: unknown) => e);
    expect(await holder).toBeInstanceOf(RawTransactionTimeoutError);
    expect(behind).toBeInstanceOf(RawTransactionTimeoutError);
    release();
    expect((await limited.db.zone.findUniqueOrThrow({ where: { id: "Zwaits" } })).serial).toBe(0);
    expect(await limited.db.zoneChange.count({ where: { zoneId: "Zwaits" } })).toBe(0);
    // The key is free again, with the full limit.
    expect(
      await runRawTransaction(limited.db, (tx) => bumpAndJournal(tx, "Zwaits", "later."), {
        queueKey: "Zwaits",
      }),
    ).toBe(1);
  });
});

describe("transactions waiting on one key share a transaction (postgres)", () => {
  const database = databaseForBlock("postgres");

  /** PostgreSQL's id of the (top-level) transaction the caller runs in. */
  const transactionId = async (tx: RawTx) =>
    (await tx.$queryRaw<{ id: string }[]>`SELECT txid_current()::text AS "id"`)[0]?.id as string;

  /**
   * Runs `works` on one key, the first of them holding its turn until all the others wait in
   * line behind it, so they meet as one group. `outcomes` settles with each one's outcome;
   * `answered[i]` turns true once the i-th caller has been answered.
   */
  async function queuedBehindOne<T>(key: string, works: ((tx: RawTx) => Promise<T>)[]) {
    const { settled: allWaiting, settle: nowAllWaiting } = signal();
    const answered = works.map(() => false);
    const outcomes = works.map((work, i) =>
      runRawTransaction(
        database.db,
        async (tx) => {
          if (i === 0) await allWaiting;
          return work(tx);
        },
        { queueKey: key },
      )
        .then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        )
        .finally(() => {
          answered[i] = true;
        }),
    );
    // Every caller has joined the line once the event loop has turned after the calls.
    await turn();
    nowAllWaiting();
    return { answered, outcomes: Promise.all(outcomes) };
  }

  it("those waiting when one ends run in its transaction, up to 32, and are answered only after its COMMIT", async () => {
    await seedZone(database, "Zgroup");
    const { settled: lastMayFinish, settle: letLastFinish } = signal();
    const { settled: lastIsRunning, settle: lastRuns } = signal();
    const works = Array.from({ length: 40 }, (_, i) => async (tx: RawTx) => {
      const id = await transactionId(tx);
      const serial = await bumpAndJournal(tx, "Zgroup", `change${i}.`);
      // The last of the first group holds it open: nobody in it may be answered meanwhile.
      if (i === 31) {
        lastRuns();
        await lastMayFinish;
      }
      return { id, serial };
    });
    const { answered, outcomes: settling } = await queuedBehindOne("Zgroup", works);
    await lastIsRunning;
    // The first change was done long ago, yet nothing of its group is committed or answered.
    await turn();
    expect(answered.some((done) => done)).toBe(false);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zgroup" } })).toBe(0);
    letLastFinish();
    const outcomes = await settling;
    const results = outcomes.map((outcome) => (outcome as { value: { id: string; serial: number } }).value);
    expect(results.map((result) => result.serial)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const ids = results.map((result) => result.id);
    expect(new Set(ids.slice(0, 32)).size).toBe(1);
    expect(new Set(ids.slice(32)).size).toBe(1);
    expect(ids[32]).not.toBe(ids[0]);
    expect(await database.db.zoneChange.count({ where: { zoneId: "Zgroup" } })).toBe(40);
  });

  it("those who arrive while a group runs wait for the next group", async () => {
    await seedZone(database, "Zlater");
    const { settled: othersWaiting, settle: nowOthersWait } = signal();
    const { settled: firstRunning, settle: firstRuns } = signal();
    const run = (i: number) =>
      runRawTransaction(
        database.db,
        async (tx) => {
          const id = await transactionId(tx);
          if (i === 0) {
            firstRuns();
            await othersWaiting;
          }
          return { id, serial: await bumpAndJournal(tx, "Zlater", `change${i}.`) };
        },
        { queueKey: "Zlater" },
      );
    const first = run(0);
    await firstRunning;
    const later = [1, 2, 3].map(run);
    await turn();
    nowOthersWait();
    const results = await Promise.all([first, ...later]);
    expect(results.map((result) => result.serial)).toEqual([1, 2, 3, 4]);
    const ids = results.map((result) => result.id);
    expect(new Set(ids.slice(1)).size).toBe(1);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it("a member that fails rolls back only its own writes; those after it in the group commit", async () => {
    await seedZone(database, "Zgroupfail");
    const failure = new Error("on purpose");
    const { outcomes: settling } = await queuedBehindOne(
      "Zgroupfail",
      Array.from({ length: 5 }, (_, i) => async (tx: RawTx) => {
        const id = await transactionId(tx);
        const serial = await bumpAndJournal(tx, "Zgroupfail", `change${i}.`);
        if (i === 2) throw failure;
        return { id, serial };
      }),
    );
    const outcomes = await settling;
    expect(outcomes[2]).toEqual({ error: failure });
    const results = outcomes.flatMap((outcome) => ("value" in outcome ? [outcome.value] : []));
    expect(results.map((result) => result.serial)).toEqual([1, 2, 3, 4]);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    const rows = await database.db.zoneChange.findMany({
      where: { zoneId: "Zgroupfail" },
      orderBy: { serial: "asc" },
    });
    expect(rows.map((row) => row.name)).toEqual(["change0.", "change1.", "change3.", "change4."]);
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zgroupfail" } })).serial).toBe(4);
  });

  it.each([
    // The member after the failing one meets the aborted transaction and fails: the group ends
    // there, and the one behind it, never taken into it, runs once.
    { where: "in the middle", failing: 1, runs: [2, 2, 2, 1] },
    { where: "last", failing: 3, runs: [2, 2, 2, 2] },
  ])(
    "a write sent with COMMIT that fails ($where): the group rolls back, and each of its members runs again alone",
    async ({ failing, runs: expectedRuns }) => {
      const key = `Zregroup${failing}`;
      await seedZone(database, key);
      const runs = [0, 0, 0, 0];
      const { outcomes: settling } = await queuedBehindOne(
        key,
        runs.map((_, i) => async (tx: RawTx) => {
          runs[i] = (runs[i] ?? 0) + 1;
          const serial = await bumpAndJournal(tx, key, `change${i}.`);
          // A second journal row with the same primary key, sent with COMMIT.
          if (i === failing) {
            await writesAtCommit(tx).$executeRaw(
              sql`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
                VALUES (${key}, ${serial}, ${`change${i}.`}, 'A', 300, '[]')`,
            );
          }
          return serial;
        }),
      );
      const outcomes = await settling;
      expect(outcomes.map((outcome) => "error" in outcome)).toEqual(runs.map((_, i) => i === failing));
      expect((outcomes[failing] as { error: unknown }).error).toBeInstanceOf(Error);
      expect(runs).toEqual(expectedRuns);
      // Only the failing one's writes are missing, and the others took serials in order.
      expect(outcomes.flatMap((outcome) => ("value" in outcome ? [outcome.value] : []))).toEqual([1, 2, 3]);
      const rows = await database.db.zoneChange.findMany({
        where: { zoneId: key },
        orderBy: { serial: "asc" },
      });
      expect(rows.map((row) => row.name)).toEqual(
        runs.flatMap((_, i) => (i === failing ? [] : [`change${i}.`])),
      );
    },
  );

  it("what members carry goes from each to the next, is written once at COMMIT from the last value, and a failed member leaves nothing", async () => {
    await seedZone(database, "Zcarry");
    const { settled: allWaiting, settle: nowAllWaiting } = signal();
    const failure = new Error("on purpose");
    const seen: unknown[] = [];
    /** One journal row per name carried, at serials 1, 2, …: a second write of them would collide. */
    const journal = (names: string[]) => [
      sql`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
          VALUES ${joinSql(names.map((name, at) => sql`('Zcarry', ${at + 1}, ${name}, 'A', 300, '[]')`))}`,
    ];
    const outcomes = Array.from({ length: 5 }, (_, i) =>
      runRawTransaction(
        database.db,
        async (tx) => {
          if (i === 0) await allWaiting;
          const before = tx.carried?.("names") as string[] | undefined;
          seen[i] = before;
          const names = [...(before ?? []), `member${i}.`];
          tx.carry?.("names", names, () => journal(names));
          if (i === 2) throw failure;
          return names.length;
        },
        { queueKey: "Zcarry" },
      ).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    await turn();
    nowAllWaiting();
    expect(await Promise.all(outcomes)).toEqual([
      { value: 1 },
      { value: 2 },
      { error: failure },
      { value: 3 },
      { value: 4 },
    ]);
    expect(seen).toEqual([
      undefined,
      ["member0."],
      ["member0.", "member1."],
      ["member0.", "member1."],
      ["member0.", "member1.", "member3."],
    ]);
    const rows = await database.db.zoneChange.findMany({
      where: { zoneId: "Zcarry" },
      orderBy: { serial: "asc" },
    });
    expect(rows.map((row) => row.name)).toEqual(["member0.", "member1.", "member3.", "member4."]);
  });

  it("a transaction alone writes what it carried at its COMMIT, and nothing when it fails", async () => {
    await seedZone(database, "Zcarryalone");
    const carry = (tx: RawTx, name: string) =>
      tx.carry?.("names", [name], () => [
        sql`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
            VALUES ('Zcarryalone', 1, ${name}, 'A', 300, '[]')`,
      ]);
    await expect(
      runRawTransaction(database.db, async (tx) => {
        carry(tx, "failed.");
        throw new Error("on purpose");
      }),
    ).rejects.toThrow("on purpose");
    await runRawTransaction(database.db, async (tx) => {
      expect(tx.carried?.("names")).toBeUndefined();
      carry(tx, "kept.");
    });
    const rows = await database.db.zoneChange.findMany({ where: { zoneId: "Zcarryalone" } });
    expect(rows.map((row) => row.name)).toEqual(["kept."]);
  });
});

describe("statements outside a transaction (postgres)", () => {
  const database = databaseForBlock("postgres");

  it("those asked for in one turn share a connection, 16 at most; one that fails fails alone", async () => {
    const backend = sql`SELECT pg_backend_pid() AS "pid"`;
    const asked = Array.from({ length: 20 }, (_, i) =>
      rawQuery<{ pid: number }[]>(database.db, i === 5 ? sql`SELECT 1 / 0 AS "pid"` : backend).then(
        (rows) => rows[0]?.pid,
        (error: unknown) => error,
      ),
    );
    const answers = await Promise.all(asked);
    expect(answers[5]).toBeInstanceOf(Error);
    const first = answers.slice(0, 16).filter((_, i) => i !== 5);
    expect(new Set(first).size).toBe(1);
    expect(typeof first[0]).toBe("number");
    const rest = answers.slice(16);
    expect(new Set(rest).size).toBe(1);
    expect(rest[0]).not.toBe(first[0]);
    // The connection with the failure is closed; the pool goes on answering.
    expect(await rawQuery<{ one: number }[]>(database.db, sql`SELECT 1 AS "one"`)).toEqual([{ one: 1 }]);
  });
});

describe("SQLite reads beside an open write transaction", () => {
  const database = databaseForBlock("sqlite");

  it("a lone SELECT (direct or Prisma) is answered at once with the committed state; writes wait their turn", async () => {
    await seedZone(database, "Zread");
    const { settled: gate, settle: release } = signal();
    const { settled: holding, settle: inside } = signal();
    // A long write (a big import's shape): the writer is held across event-loop turns.
    const writing = runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "serial" = 7 WHERE "id" = ${"Zread"}`;
      inside();
      await gate;
    });
    await holding;
    let prismaWriteDone = false;
    const prismaWrite = database.db.zone
      .update({ where: { id: "Zread" }, data: { publishedSerial: 3 } })
      .then(() => {
        prismaWriteDone = true;
      });
    // Before the reader connection these waited for the writer's lock until `gate` opened.
    const direct = await rawQuery<{ serial: number }[]>(
      database.db,
      sql`SELECT "serial" FROM "zones" WHERE "id" = ${"Zread"}`,
    );
    expect(direct).toEqual([{ serial: 0 }]);
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zread" } })).serial).toBe(0);
    expect(prismaWriteDone).toBe(false);
    release();
    await writing;
    await prismaWrite;
    // Committed a moment ago on the writer: the reader sees it at once.
    const after = await rawQuery<{ serial: number; published: number }[]>(
      database.db,
      sql`SELECT "serial", "published_serial" AS "published" FROM "zones" WHERE "id" = ${"Zread"}`,
    );
    expect(after).toEqual([{ serial: 7, published: 3 }]);
    expect((await database.db.zone.findUniqueOrThrow({ where: { id: "Zread" } })).publishedSerial).toBe(3);
  });
});

/**
 * SQLite's group commit (direct-sqlite.ts): direct transactions ready in one turn of the event loop
 * share one COMMIT, each in its own savepoint.
 */
describe("group commit on sqlite", () => {
  let database: OpenDatabase;
  let outside: BetterSqlite3.Database;
  beforeAll(async () => {
    database = await open("sqlite");
    // Another connection, as another process would have: it sees only what is committed.
    // Writable only so that it may checkpoint the WAL (walFrames); it writes nothing.
    outside = new BetterSqlite3(database.target.location);
  });
  afterAll(async () => {
    outside?.close();
    await database?.close();
  });

  const committedSerial = (zoneId: string) =>
    (outside.prepare(`SELECT "serial" FROM "zones" WHERE "id" = ?`).get(zoneId) as { serial: number }).serial;
  /** Empties the WAL: every frame written after it is one the next burst wrote. */
  const emptyWal = () => {
    const [result] = outside.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number }[];
    expect(result).toEqual(expect.objectContaining({ busy: 0, log: 0 }));
  };
  const walFrames = () => (outside.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]?.log ?? 0;

  it("transactions ready together share one COMMIT, and each caller is answered only once it is committed", async () => {
    await seedZone(database, "Zgroup");
    emptyWal();
    const seen: number[] = [];
    const calls = Array.from({ length: 20 }, (_, i) =>
      runRawTransaction(database.db, async (tx) => {
        await tx.$executeRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Zgroup"}`;
        await tx.$executeRaw(
          sql`INSERT INTO "zone_changes" ("zone_id", "serial", "name", "type", "after_ttl", "after_records")
              VALUES (${"Zgroup"}, ${i + 1}, ${`g${i}.`}, 'A', 300, '[]')`,
        );
      }).then(() => seen.push(committedSerial("Zgroup"))),
    );
    await Promise.all(calls);
    // Every caller, when answered, already found all of its writes committed.
    expect(seen).toHaveLength(20);
    expect(Math.min(...seen)).toBe(20);
    // A COMMIT writes at least one WAL frame: twenty commits could not write fewer than twenty.
    const frames = walFrames();
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(20);
  });

  it("a transaction that fails in a group rolls back only its own writes", async () => {
    await seedZone(database, "Zsplit");
    const failure = new Error("on purpose");
    const write = (label: string, fail: boolean) =>
      runRawTransaction(database.db, async (tx) => {
        await bumpAndJournal(tx, "Zsplit", label);
        if (fail) throw failure;
      });
    const outcomes = await Promise.allSettled([write("a.", false), write("b.", true), write("c.", false)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(committedSerial("Zsplit")).toBe(2);
    const journal = await database.db.zoneChange.findMany({
      where: { zoneId: "Zsplit" },
      orderBy: { serial: "asc" },
    });
    expect(journal.map((row) => row.name)).toEqual(["a.", "c."]);
  });

  it("a group waiting for its COMMIT commits before Prisma or a locked statement takes the connection", async () => {
    await seedZone(database, "Zhandoff");
    const direct = runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "serial" = 5 WHERE "id" = ${"Zhandoff"}`;
    });
    // Same turn: Prisma's transaction would fail to BEGIN inside the open group without the hand-off.
    const prisma = database.db.$transaction((tx) =>
      tx.zone.update({ where: { id: "Zhandoff" }, data: { publishedSerial: 4 } }),
    );
    const written = database.db.zone.update({ where: { id: "Zhandoff" }, data: { status: "ACTIVE" } });
    await Promise.all([direct, prisma, written]);
    expect(committedSerial("Zhandoff")).toBe(5);
    const zone = await database.db.zone.findUniqueOrThrow({ where: { id: "Zhandoff" } });
    expect([zone.serial, zone.publishedSerial]).toEqual([5, 4]);
  });

  it("a member past its time limit rolls back its own savepoint; the group it held up then commits", async () => {
    const limited = await open("sqlite", 400);
    try {
      await seedZone(limited, "Zstall");
      const never = new Promise<void>(() => undefined);
      // Ready in the same turn: `quick` finishes first and waits for the group's COMMIT, which
      // cannot run while `stalled` holds the connection.
      const settled: string[] = [];
      const quick = runRawTransaction(limited.db, async (tx) => {
        await tx.$executeRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${"Zstall"}`;
      }).then(() => settled.push("quick"));
      const stalled = runRawTransaction(limited.db, async (tx) => {
        await tx.$executeRaw`UPDATE "zones" SET "rrset_count" = 77 WHERE "id" = ${"Zstall"}`;
        await never;
      }).catch((e: unknown) => {
        settled.push("stalled");
        return e;
      });
      expect(await stalled).toBeInstanceOf(RawTransactionTimeoutError);
      await quick;
      // The group waits for its slowest member (docs/decisions.md).
      expect(settled).toEqual(["stalled", "quick"]);
      const zone = await limited.db.zone.findUniqueOrThrow({ where: { id: "Zstall" } });
      expect([zone.serial, zone.rrsetCount]).toEqual([1, 0]);
    } finally {
      await limited.close();
    }
  });

  it("a lone SELECT while a group waits for its COMMIT answers the committed state", async () => {
    await seedZone(database, "Zdirty");
    const { settled: written, settle: inside } = signal();
    const writing = runRawTransaction(database.db, async (tx) => {
      await tx.$executeRaw`UPDATE "zones" SET "serial" = 9 WHERE "id" = ${"Zdirty"}`;
      inside();
    });
    await written;
    // The transaction's work is done and its COMMIT waits for the end of this turn of the event
    // loop: the writer's connection holds serial 9, uncommitted. Reads in this turn (microtasks
    // only), first while the transaction still holds the lock, then once it has let go of it.
    for (let i = 0; i < 50; i += 1) {
      const rows = await rawQuery<{ serial: number }[]>(
        database.db,
        sql`SELECT "serial" FROM "zones" WHERE "id" = ${"Zdirty"}`,
      );
      expect(rows).toEqual([{ serial: committedSerial("Zdirty") }]);
      expect(rows).toEqual([{ serial: 0 }]);
    }
    await writing;
    expect(committedSerial("Zdirty")).toBe(9);
  });
});
