import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type PostgresServer, startPostgres } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseTarget } from "./database-url.js";
import { type Db, openDatabase } from "./open-database.js";
import {
  announcePublished,
  announceRemoved,
  readFeedHead,
  readPublishedZones,
  readRemovedZones,
} from "./publish-feed.js";

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres.stop());

describe.each(["sqlite", "postgres"] as const)("publish feed (%s)", (provider) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    let target: DatabaseTarget;
    if (provider === "sqlite") {
      target = {
        provider,
        location: path.join(mkdtempSync(path.join(os.tmpdir(), "dnscove-feed-")), "t.db"),
      };
    } else {
      await postgres.createDatabase("feed");
      target = { provider, location: postgres.databaseUrl("feed") };
    }
    ({ db, close } = await openDatabase(target));
    await db.tenant.create({ data: { id: "t" } });
  });
  afterAll(() => close());

  const createZone = (id: string) =>
    db.$transaction(async (tx) => {
      await tx.zone.create({
        data: { id, tenantId: "t", origin: `${id}.example`, status: "ACTIVE", serial: 1, publishedSerial: 1 },
      });
      await announcePublished(tx, id);
    });
  const ids = (zones: { id: string }[]) => zones.map((zone) => zone.id).sort();

  it("answers what was published or removed after the number an edge has seen", async () => {
    await createZone("a");
    await createZone("b");
    await createZone("c");
    const head = await readFeedHead(db);
    expect(ids(await readPublishedZones(db, null))).toEqual(["a", "b", "c"]);
    expect(await readPublishedZones(db, head)).toEqual([]);
    expect(await readRemovedZones(db, head, head)).toEqual([]);

    await db.$transaction(async (tx) => {
      await tx.zone.update({ where: { id: "b" }, data: { serial: 2, publishedSerial: 2 } });
      await announcePublished(tx, "b");
    });
    await db.$transaction(async (tx) => {
      await tx.zone.delete({ where: { id: "c" } });
      await announceRemoved(tx, "c");
    });
    const next = await readFeedHead(db);
    expect(next).toBe(head + 2);
    expect(await readPublishedZones(db, head)).toEqual([
      { id: "b", origin: "b.example", publishedSerial: 2, historyFrom: 0 },
    ]);
    expect(await readRemovedZones(db, head, next)).toEqual(["c"]);
    expect(await readPublishedZones(db, next)).toEqual([]);
    // A rolled-back publish takes no number and moves nothing.
    await expect(
      db.$transaction(async (tx) => {
        await announcePublished(tx, "a");
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await readFeedHead(db)).toBe(next);
    expect(await readPublishedZones(db, next)).toEqual([]);
  });

  it("never shows a number before every smaller one is visible, under concurrent publishes", async () => {
    // Each of these zones is announced once, so exactly `head` zones carry numbers up to `head` once
    // everything up to it has committed. A reader that saw fewer would skip a zone for good.
    const start = await readFeedHead(db);
    const before = (await readPublishedZones(db, null)).length;
    let writing = true;
    const reader = (async () => {
      let reads = 0;
      while (writing || reads < 3) {
        const head = await readFeedHead(db);
        const visible = await readPublishedZones(db, start);
        const upToHead = await db.$queryRaw<{ n: bigint | number }[]>`
          SELECT COUNT(*) AS "n" FROM "zone_feed" WHERE "seq" > ${start} AND "seq" <= ${head}`;
        expect(Number(upToHead[0]?.n)).toBe(head - start);
        expect(visible.length).toBeGreaterThanOrEqual(head - start);
        reads += 1;
        // SQLite answers synchronously: without a turn of the event loop this loop would starve
        // the writers it is watching.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return reads;
    })();
    await Promise.all(Array.from({ length: 40 }, (_, i) => createZone(`w${i}`)));
    writing = false;
    expect(await reader).toBeGreaterThanOrEqual(3);
    expect(await readFeedHead(db)).toBe(start + 40);
    expect((await readPublishedZones(db, null)).length).toBe(before + 40);
  });
});
