/**
 * Issue 15: every serial published within DNSCOVE_HISTORY_RETENTION_DAYS (default 30) stays
 * rebuildable through compaction (snapshots, diff and rollback reach back that far), and history
 * older than the window is pruned, so what is kept stays bounded. Time moves through the services'
 * injectable clock; nothing sleeps.
 *
 * Each round upserts the same 300 TXT rrsets (300 journal rows) and publishes, so compaction
 * (due past 1,000 rows since the newest snapshot) follows every fourth round.
 */
import { waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactionDue } from "../src/domain/publish/compact-history.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const DAY_MS = 86_400_000;

describe.each(PROVIDERS)("history retention (%s)", (provider) => {
  let api: TestApi;
  let now = Date.parse("2026-01-01T00:00:00Z");
  beforeAll(async () => {
    api = await startTestApi(provider, { clock: { now: () => new Date(now) } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("keeps what was published within the window through compaction, and prunes what is older", {
    timeout: 300_000,
  }, async () => {
    let session = await api.signIn(`retention-${provider}@example.test`);
    let client = api.client(session);
    const origin = `retention-${provider}.example`;
    const { data: zone } = await client.POST("/api/zones", { body: { origin } });
    const id = zone?.id ?? "";
    const { db } = api.services;
    /** serial → its content's TXT value, as published */
    const published = new Map<number, string>([[1, ""]]);
    const dayOf = new Map<number, number>([[1, 0]]);
    let round = 0;
    const rounds = async (day: number, count: number) => {
      now = Date.parse("2026-01-01T00:00:00Z") + day * DAY_MS;
      // Sessions last 12 hours of the (moved) clock: sign in again on each day.
      session = await api.signIn(`retention-${provider}@example.test`);
      client = api.client(session);
      for (let i = 0; i < count; i++, round++) {
        const changes = Array.from({ length: 300 }, (_, n) => ({
          name: `n${n}`,
          type: "TXT",
          ttl: 60,
          records: [`"round ${round}"`],
        }));
        const r = await rawRequest(api, "POST", `/api/zones/${id}/rrsets`, {
          token: session,
          body: JSON.stringify({ changes }),
        });
        expect(r.status).toBe(200);
        const { data } = await client.POST("/api/zones/{id}/publish", { params: { path: { id } } });
        published.set(data?.serial ?? 0, `"round ${round}"`);
        dayOf.set(data?.serial ?? 0, day);
      }
      // The publish that made the zone due compacts it right after (compactSoon): wait for it.
      await waitFor(`compaction after round ${round}`, async () => {
        const z = await db.zone.findUniqueOrThrow({ where: { id } });
        return !compactionDue(z.changesSinceSnapshot, z.rrsetCount);
      });
    };
    const historyFrom = async () => (await db.zone.findUniqueOrThrow({ where: { id } })).historyFrom;
    const snapshotStatus = async (serial: number) => {
      const r = await rawRequest(api, "GET", `/api/zones/${id}/snapshots/${serial}`, { token: session });
      if (r.status === 200) {
        const rrsets = (r.body as { rrsets: { name: string; records: string[] }[] }).rrsets;
        const value = rrsets.find((x) => x.name === `n0.${origin}.`)?.records[0] ?? "";
        expect(value, `snapshot ${serial}`).toBe(published.get(serial));
      }
      return r.status;
    };
    const expectKeptFrom = async (from: number) => {
      for (const serial of published.keys()) {
        expect(await snapshotStatus(serial), `serial ${serial} (day ${dayOf.get(serial)})`).toBe(
          serial < from ? 410 : 200,
        );
      }
      const { data } = await client.GET("/api/zones/{id}/snapshots", {
        params: { path: { id }, query: { limit: 500 } },
      });
      const listed = (data?.snapshots ?? []).map((s) => s.serial);
      expect(listed).toEqual([...published.keys()].filter((s) => s >= from).sort((a, b) => b - a));
    };
    const snapshotSerials = async () =>
      (await db.snapshot.findMany({ where: { zoneId: id }, select: { serial: true } }))
        .map((s) => s.serial)
        .sort((a, b) => a - b);

    // Day 0: two compactions. Without a retention window the second would prune the creation
    // snapshot (only the previous one is kept for edges); within it, everything stays.
    await rounds(0, 4);
    await rounds(0, 4);
    expect(await snapshotSerials()).toHaveLength(3);
    expect(await historyFrom()).toBe(1);
    await expectKeptFrom(1);

    // Day 31: day 0 is outside the window. What edges need (the previous snapshot, the last of
    // day 0) stays; everything older goes, publish records included.
    const lastOfDay0 = Math.max(...published.keys());
    await rounds(31, 4);
    expect(await historyFrom()).toBe(lastOfDay0);
    await expectKeptFrom(lastOfDay0);
    const firstOfDay31 = Math.min(...[...dayOf].filter(([, d]) => d === 31).map(([s]) => s));

    // Day 40: day 31 is within the window, so its serials stay although they are older than the
    // previous snapshot; a diff and a rollback still reach them.
    await rounds(40, 4);
    expect(await historyFrom()).toBe(lastOfDay0);
    await expectKeptFrom(lastOfDay0);
    const diff = await client.GET("/api/zones/{id}/diff", {
      params: { path: { id }, query: { from: firstOfDay31 } },
    });
    expect(diff.response.status).toBe(200);
    expect(diff.data?.changed).toHaveLength(300);

    // Day 62: day 31 is outside; the history starts at the newest snapshot at or before the
    // first publish of day 40 (the window's start), and stays bounded.
    const lastOfDay31 = Math.max(...[...dayOf].filter(([, d]) => d === 31).map(([s]) => s));
    await rounds(62, 4);
    expect(await historyFrom()).toBe(lastOfDay31);
    await expectKeptFrom(lastOfDay31);
    const gone = await rawRequest(api, "GET", `/api/zones/${id}/diff?from=${firstOfDay31}`, {
      token: session,
    });
    expect(gone.body).toMatchObject({ status: 410, code: "HISTORY_GONE", errors: [{ path: "from" }] });
    expect(await db.zoneChange.count({ where: { zoneId: id, serial: { lte: lastOfDay31 } } })).toBe(0);
    expect(await snapshotSerials()).toEqual((await snapshotSerials()).filter((s) => s >= lastOfDay31));
  });
});
