/**
 * Many single-rrset changes at once through the HTTP API, on SQLite and PostgreSQL (issue 14: the
 * write path runs as direct transactions on the database driver, beside Prisma). Every accepted
 * change takes its own serial: the answers' serials are distinct and consecutive per zone, and
 * the stored rrsets, rrset count and journal are exactly what the changes say.
 */
import type { DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, startTestApi, type TestApi } from "./harness.js";

const PER_ZONE = 40;

describe.each(PROVIDERS)("concurrent single-rrset changes (%s)", (provider) => {
  let api: TestApi;
  let session: DnscoveClient;

  beforeAll(async () => {
    api = await startTestApi(provider);
    session = api.client(await api.signIn());
  });
  afterAll(() => api.close());

  async function zone(origin: string): Promise<{ id: string; serial: number }> {
    const { data } = await session.POST("/api/zones", { body: { origin } });
    return { id: data?.id ?? "", serial: data?.serial ?? 0 };
  }

  /** PER_ZONE changes for one zone: new names, then replacements and deletes of some of them. */
  function changes(origin: string) {
    return Array.from({ length: PER_ZONE }, (_, i) => ({
      name: `host${i}.${origin}.`,
      type: "A" as const,
      ttl: 300 + i,
      records: [`192.0.2.${i + 1}`],
    }));
  }

  async function expectExact(
    id: string,
    start: number,
    serials: number[],
    expected: ReturnType<typeof changes>,
  ) {
    expect([...serials].sort((a, b) => a - b)).toEqual(
      Array.from({ length: serials.length }, (_, i) => start + 1 + i),
    );
    const { data } = await session.GET("/api/zones/{id}/rrsets", { params: { path: { id } } });
    const stored = (data?.rrsets ?? []).filter((r) => r.type === "A");
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(stored.sort(byName)).toEqual([...expected].sort(byName));
    const row = await api.services.db.zone.findUniqueOrThrow({ where: { id } });
    expect(row.serial).toBe(start + serials.length);
    expect(row.rrsetCount).toBe(await api.services.db.rRset.count({ where: { zoneId: id } }));
    const journal = await api.services.db.zoneChange.findMany({ where: { zoneId: id, type: "A" } });
    expect(journal.map((j) => j.serial).sort((a, b) => a - b)).toEqual([...serials].sort((a, b) => a - b));
  }

  it("one zone: distinct consecutive serials and exact content", async () => {
    const origin = "burst-one.example";
    const { id, serial: start } = await zone(origin);
    // Half through the session, half through a zone-admin token (its lookup is on the direct path too).
    const minted = await session.POST("/api/zones/{id}/tokens", {
      params: { path: { id } },
      body: { scope: "zone-admin" },
    });
    const token = api.client(minted.data?.token ?? "");
    const wanted = changes(origin);
    const answers = await Promise.all(
      wanted.map((change, i) =>
        (i % 2 === 0 ? session : token).POST("/api/zones/{id}/rrsets", {
          params: { path: { id } },
          body: { action: "UPSERT", ...change },
        }),
      ),
    );
    expect(answers.map((a) => a.response.status)).toEqual(wanted.map(() => 200));
    await expectExact(
      id,
      start,
      answers.map((a) => a.data?.serial ?? 0),
      wanted,
    );
  });

  it("several zones at once, with replacements and deletes: each zone's serials consecutive, content exact", async () => {
    const zones = await Promise.all(
      ["burst-a.example", "burst-b.example", "burst-c.example"].map(async (origin) => ({
        origin,
        ...(await zone(origin)),
      })),
    );
    const calls = zones.flatMap(({ id, origin }) => changes(origin).map((change) => ({ id, change })));
    // Interleave the zones, so each zone's changes meet the others' in flight.
    const order = calls.map((_, i) => calls[(i * 7) % calls.length] as (typeof calls)[number]);
    const first = await Promise.all(
      order.map(({ id, change }) =>
        session.POST("/api/zones/{id}/rrsets", {
          params: { path: { id } },
          body: { action: "UPSERT", ...change },
        }),
      ),
    );
    expect(first.every((a) => a.response.status === 200)).toBe(true);
    // Round two, concurrently again: replace the even hosts, delete every fifth one.
    const second = await Promise.all(
      zones.flatMap(({ id, origin }) =>
        changes(origin)
          .filter((_, i) => i % 2 === 0 || i % 5 === 0)
          .map((change, i) =>
            session
              .POST("/api/zones/{id}/rrsets", {
                params: { path: { id } },
                body:
                  Number(/host(\d+)/.exec(change.name)?.[1]) % 5 === 0
                    ? { action: "DELETE", name: change.name, type: "A", records: [] }
                    : { action: "UPSERT", ...change, records: [`198.51.100.${i + 1}`] },
              })
              .then((answer) => ({ id, answer })),
          ),
      ),
    );
    expect(second.every((a) => a.answer.response.status === 200)).toBe(true);
    for (const { id, origin, serial: start } of zones) {
      const serials = [
        ...first.filter((_, i) => order[i]?.id === id).map((a) => a.data?.serial ?? 0),
        ...second.filter((a) => a.id === id).map((a) => a.answer.data?.serial ?? 0),
      ];
      const wanted = changes(origin)
        .filter((_, i) => i % 5 !== 0)
        .map((change) => {
          const index = Number(/host(\d+)/.exec(change.name)?.[1]);
          if (index % 2 !== 0) return change;
          const position = changes(origin)
            .filter((_, i) => i % 2 === 0 || i % 5 === 0)
            .findIndex((c) => c.name === change.name);
          return { ...change, records: [`198.51.100.${position + 1}`] };
        });
      await expectExact(id, start, serials, wanted);
    }
  });
});
