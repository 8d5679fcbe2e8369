/**
 * Issue 15: snapshot history, diff, rollback, dry runs and the brake on mass deletes, through the
 * real HTTP API on SQLite and PostgreSQL.
 * - Round trips over a seeded random sequence of changes (single and batch, published at random
 *   points): every published serial's snapshot equals the listing at the time; the diff between
 *   any two serials turns one listing into the other; a rollback to a serial makes the listing
 *   equal its snapshot as a new, higher serial, and the diff between them is then empty.
 * - Dry runs (single change, batch, rollback, Route53 import) leave every row as it was, and the
 *   diff they answer is exactly what the real call then does, at the serial they announced.
 * - The brake: allowed at the threshold, refused one above it (nothing written), the override.
 * The seed is in every failure message (HISTORY_SEED=<n> replays).
 */
import { randomInt } from "node:crypto";
import type { DnscoveClient } from "@dnscove/sdk";
import { seededRandom } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const SEED = Number(process.env.HISTORY_SEED ?? randomInt(2 ** 31));
const why = (extra = "") => `seed ${SEED} (HISTORY_SEED=${SEED} replays)${extra ? `: ${extra}` : ""}`;

interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}
interface Change {
  action: "UPSERT" | "DELETE";
  name: string;
  type: string;
  ttl?: number;
  records?: string[];
}

/** Every rrset but the system-managed apex SOA and NS, as sorted `name type ttl records` lines. */
function lines(rrsets: readonly RRset[], origin: string): string[] {
  return rrsets
    .filter((r) => !(r.name === `${origin}.` && (r.type === "SOA" || r.type === "NS")))
    .map((r) => `${r.name} ${r.type} ${r.ttl} ${JSON.stringify(r.records)}`)
    .sort();
}

/** What a diff does to a listing's lines. */
function applyDiff(
  before: readonly string[],
  diff: {
    added: RRset[];
    removed: RRset[];
    changed: {
      name: string;
      type: string;
      before: Omit<RRset, "name" | "type">;
      after: Omit<RRset, "name" | "type">;
    }[];
  },
): string[] {
  const line = (r: RRset) => `${r.name} ${r.type} ${r.ttl} ${JSON.stringify(r.records)}`;
  const out = new Set(before);
  for (const r of diff.removed) expect(out.delete(line(r)), `removed ${line(r)} was there`).toBe(true);
  for (const c of diff.changed) {
    expect(out.delete(line({ name: c.name, type: c.type, ...c.before })), "changed from what was there").toBe(
      true,
    );
    out.add(line({ name: c.name, type: c.type, ...c.after }));
  }
  for (const r of diff.added) out.add(line(r));
  return [...out].sort();
}

/** Random valid changes against a model of the zone (CNAMEs on names of their own, RFC 1034 3.6.2). */
function changeMaker(rand: () => number, origin: string) {
  const held = new Set<string>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const records = (type: string): string[] => {
    const x = () => 1 + Math.floor(rand() * 40);
    if (type === "A") return [...new Set([`192.0.2.${x()}`, `192.0.2.${x()}`])];
    if (type === "AAAA") return [`2001:DB8::${x().toString(16)}`]; // upper case: canonicalised
    if (type === "TXT") return [`"v${x()}"`];
    if (type === "MX") return [`${x()} MX${x() % 3}.Example.NET.`];
    return [`target${x()}.example.net.`];
  };
  return (count: number): Change[] => {
    const out: Change[] = [];
    const used = new Set<string>();
    while (out.length < count) {
      if (held.size > 0 && rand() < 0.3) {
        const key = pick([...held]);
        if (used.has(key)) continue;
        used.add(key);
        held.delete(key);
        const [name = "", type = ""] = key.split(" ");
        out.push({ action: "DELETE", name, type });
        continue;
      }
      const type = pick(["A", "AAAA", "TXT", "MX", "CNAME"]);
      const name =
        type === "CNAME" ? `c${Math.floor(rand() * 5)}.${origin}.` : `h${Math.floor(rand() * 12)}.${origin}.`;
      const key = `${name} ${type}`;
      if (used.has(key)) continue;
      used.add(key);
      held.add(key);
      out.push({ action: "UPSERT", name, type, ttl: pick([60, 300, 3600]), records: records(type) });
    }
    return out;
  };
}

/** Every row a write could touch, for "nothing was written". */
async function allRows(api: TestApi): Promise<unknown> {
  const db = api.services.db;
  return {
    zones: await db.$queryRawUnsafe(
      'SELECT "id", "serial", "published_serial", "rrset_count", "history_from", "changes_since_snapshot", "updated_at" FROM "zones" ORDER BY "id"',
    ),
    rrsets: await db.$queryRawUnsafe('SELECT * FROM "rrsets" ORDER BY "zone_id", "name", "type"'),
    changes: await db.$queryRawUnsafe(
      'SELECT * FROM "zone_changes" ORDER BY "zone_id", "serial", "name", "type"',
    ),
    snapshots: await db.$queryRawUnsafe(
      'SELECT "zone_id", "serial" FROM "snapshots" ORDER BY "zone_id", "serial"',
    ),
    publishes: await db.$queryRawUnsafe('SELECT * FROM "zone_publishes" ORDER BY "zone_id", "serial"'),
  };
}

describe.each(PROVIDERS)(`zone history, diff, rollback, dry runs, brake (%s, seed ${SEED})`, (provider) => {
  let api: TestApi;
  let client: DnscoveClient;
  let session: string;
  beforeAll(async () => {
    api = await startTestApi(provider);
    session = await api.signIn();
    client = api.client(session);
  });
  afterAll(async () => {
    await api?.close();
  });

  const createZone = async (origin: string) => {
    const { data, response } = await client.POST("/api/zones", { body: { origin } });
    expect(response.status).toBe(201);
    return data?.id ?? "";
  };
  const listing = async (id: string) => {
    const { data } = await client.GET("/api/zones/{id}/rrsets", { params: { path: { id } } });
    return data?.rrsets ?? [];
  };
  const change = async (id: string, body: unknown) => {
    const r = await rawRequest(api, "POST", `/api/zones/${id}/rrsets`, {
      token: session,
      body: JSON.stringify(body),
    });
    expect(r.status, why(JSON.stringify(r.body))).toBe(200);
    return r.body as {
      status: string;
      serial: number;
      dry_run: boolean;
      diff?: Parameters<typeof applyDiff>[1];
    };
  };
  const publish = async (id: string) => {
    const { data } = await client.POST("/api/zones/{id}/publish", { params: { path: { id } } });
    return data?.serial ?? 0;
  };
  const diff = async (id: string, from: number, to?: number) => {
    const { data, response } = await client.GET("/api/zones/{id}/diff", {
      params: { path: { id }, query: { from, ...(to !== undefined ? { to } : {}) } },
    });
    expect(response.status, why(`diff ${from}..${to}`)).toBe(200);
    return data as NonNullable<typeof data>;
  };

  it("round-trips diff and rollback over a random sequence of changes", { timeout: 300_000 }, async () => {
    const origin = `history-${provider}.example`;
    const id = await createZone(origin);
    const rand = seededRandom(SEED);
    const next = changeMaker(rand, origin);
    // serial → the listing's lines when it was published (serial 1: the empty zone).
    const published = new Map<number, string[]>([[1, []]]);
    for (let round = 0; round < 60; round++) {
      const changes = next(rand() < 0.3 ? 2 + Math.floor(rand() * 6) : 1);
      await change(id, changes.length > 1 ? { changes } : changes[0]);
      if (rand() < 0.35) published.set(await publish(id), lines(await listing(id), origin));
    }
    published.set(await publish(id), lines(await listing(id), origin));
    const serials = [...published.keys()].sort((a, b) => a - b);

    // The history lists exactly the published serials, newest first, a page at a time, with who
    // published them (this session's user) and the zone's size then.
    const listed: { serial: number; actor: string; rrset_count: number }[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET("/api/zones/{id}/snapshots", {
        params: { path: { id }, query: { limit: 7, ...(cursor ? { cursor } : {}) } },
      });
      listed.push(...(data?.snapshots ?? []));
      cursor = data?.next_cursor ?? undefined;
    } while (cursor);
    expect(
      listed.map((s) => s.serial),
      why(),
    ).toEqual([...serials].reverse());
    expect(new Set(listed.map((s) => s.actor.split(":")[0]))).toEqual(new Set(["user"]));
    for (const s of listed)
      expect(s.rrset_count, why(`serial ${s.serial}`)).toBe((published.get(s.serial)?.length ?? 0) + 2);

    // Every snapshot is what was listed when it was published, SOA first with its serial.
    for (const serial of serials) {
      const { data } = await client.GET("/api/zones/{id}/snapshots/{serial}", {
        params: { path: { id, serial: String(serial) } },
      });
      expect(lines(data?.rrsets ?? [], origin), why(`snapshot ${serial}`)).toEqual(published.get(serial));
      expect(data?.rrsets[0]?.type).toBe("SOA");
      expect(data?.rrsets[0]?.records[0]?.split(" ")[2]).toBe(String(serial));
    }

    // Diffs between random pairs (either order) turn one listing into the other.
    for (let i = 0; i < 15; i++) {
      const from = serials[Math.floor(rand() * serials.length)] as number;
      const to = serials[Math.floor(rand() * serials.length)] as number;
      const d = await diff(id, from, to);
      expect(applyDiff(published.get(from) ?? [], d), why(`diff ${from}..${to}`)).toEqual(published.get(to));
    }

    // Rollbacks to random published serials: the listing equals the snapshot, as a new serial.
    for (let i = 0; i < 6; i++) {
      const target = serials[Math.floor(rand() * serials.length)] as number;
      const before = lines(await listing(id), origin);
      const { data: zoneBefore } = await client.GET("/api/zones/{id}", { params: { path: { id } } });
      const r = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
        token: session,
        body: JSON.stringify({ serial: target, confirm_mass_delete: true }),
      });
      expect(r.status, why(JSON.stringify(r.body))).toBe(200);
      const answer = r.body as {
        status: string;
        serial: number;
        diff: Parameters<typeof applyDiff>[1] & { from: number; to: number };
      };
      const after = lines(await listing(id), origin);
      expect(after, why(`rollback to ${target}`)).toEqual(published.get(target));
      expect(applyDiff(before, answer.diff), why("the answered diff is what it applied")).toEqual(after);
      const oldSerial = zoneBefore?.serial ?? 0;
      if (answer.status === "UNCHANGED") {
        expect(answer.serial).toBe(oldSerial);
        expect(before).toEqual(after);
      } else {
        expect(answer.status).toBe("PENDING");
        expect(answer.serial, why()).toBe(oldSerial + 1);
        expect(answer.diff).toMatchObject({ from: oldSerial, to: answer.serial });
        // Nothing between the target and the new serial: the journal nets out.
        expect(await diff(id, target, answer.serial), why()).toMatchObject({
          added: [],
          removed: [],
          changed: [],
        });
      }
      const serial = await publish(id);
      published.set(serial, after);
      serials.push(serial);
      const { data: snap } = await client.GET("/api/zones/{id}/snapshots/{serial}", {
        params: { path: { id, serial: String(serial) } },
      });
      expect(lines(snap?.rrsets ?? [], origin)).toEqual(published.get(target));
    }
  });

  it("rolls back more rrsets than one batch may hold", { timeout: 300_000 }, async () => {
    const origin = `history-big-${provider}.example`;
    const id = await createZone(origin);
    for (const part of [0, 1]) {
      await change(id, {
        changes: Array.from({ length: 750 }, (_, i) => ({
          name: `b${part}-${i}`,
          type: "TXT",
          records: [`"${part} ${i}"`],
        })),
      });
    }
    const full = await publish(id);
    const emptied = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: 1, confirm_mass_delete: true }),
    });
    expect(emptied.status, JSON.stringify(emptied.body).slice(0, 500)).toBe(200);
    expect((emptied.body as { diff: { removed: unknown[] } }).diff.removed).toHaveLength(1500);
    expect(lines(await listing(id), origin)).toEqual([]);
    const restored = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: full }),
    });
    expect(restored.status, JSON.stringify(restored.body).slice(0, 500)).toBe(200);
    expect(lines(await listing(id), origin)).toHaveLength(1500);
  });

  it("answers 404, 410 and 400 for serials it cannot show", async () => {
    const origin = `history-errors-${provider}.example`;
    const id = await createZone(origin);
    await change(id, { name: "a", type: "A", records: ["192.0.2.1"] });
    const get = (path: string) => rawRequest(api, "GET", `/api/zones/${id}${path}`, { token: session });
    // Serial 2 exists but was never published.
    expect((await get("/snapshots/2")).body).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect((await get("/snapshots/abc")).body).toMatchObject({ status: 400, errors: [{ path: "serial" }] });
    expect((await get("/diff")).body).toMatchObject({ status: 400, errors: [{ path: "from" }] });
    expect((await get("/diff?from=1&to=9")).body).toMatchObject({ status: 400, errors: [{ path: "to" }] });
    expect((await get("/diff?from=x")).body).toMatchObject({ status: 400, errors: [{ path: "from" }] });
    expect((await get("/snapshots?limit=0")).body).toMatchObject({
      status: 400,
      errors: [{ path: "limit" }],
    });
    expect((await get("/snapshots?cursor=zz")).body).toMatchObject({
      status: 400,
      errors: [{ path: "cursor" }],
    });
    const rollback = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: 2 }),
    });
    expect(rollback.body).toMatchObject({ status: 404, code: "NOT_FOUND" });
    // Older than the kept history: the zone's history starts later (as after compaction).
    await api.services.db.zone.update({ where: { id }, data: { historyFrom: 2 } });
    const gone = await get("/snapshots/1");
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ code: "HISTORY_GONE", errors: [{ path: "serial" }] });
    expect((await get("/diff?from=1")).body).toMatchObject({ status: 410, errors: [{ path: "from" }] });
    expect((await get("/diff?from=2&to=1")).body).toMatchObject({ status: 410, errors: [{ path: "to" }] });
  });

  it("writes nothing on a dry run, and answers exactly what the real call then does", async () => {
    const origin = `dry-${provider}.example`;
    const id = await createZone(origin);
    const seed = Array.from({ length: 8 }, (_, i) => ({
      action: "UPSERT",
      name: `n${i}`,
      type: "TXT",
      ttl: 300,
      records: [`"seed ${i}"`],
    }));
    await change(id, { changes: seed });
    const published = await publish(id);

    const cases: [string, string, unknown][] = [
      ["single change", `/api/zones/${id}/rrsets`, { name: "new", type: "AAAA", records: ["2001:DB8::1"] }],
      [
        "batch",
        `/api/zones/${id}/rrsets`,
        {
          changes: [
            { action: "DELETE", name: "n0", type: "TXT" },
            { action: "UPSERT", name: "n1", type: "TXT", ttl: 60, records: ['"changed"'] },
            { action: "UPSERT", name: "n2", type: "TXT", ttl: 300, records: ['"seed 2"'] }, // no difference
            { action: "UPSERT", name: "x", type: "MX", records: ["10 Mail.Example.NET."] },
          ],
        },
      ],
      ["rollback", `/api/zones/${id}/rollback`, { serial: 1, confirm_mass_delete: true }],
    ];
    for (const [label, path, body] of cases) {
      const before = await allRows(api);
      const listed = lines(await listing(id), origin);
      const { data: zone } = await client.GET("/api/zones/{id}", { params: { path: { id } } });
      const dry = await rawRequest(api, "POST", path, {
        token: session,
        body: JSON.stringify({ ...(body as object), dry_run: true }),
      });
      expect(dry.status, why(`${label}: ${JSON.stringify(dry.body)}`)).toBe(200);
      const answer = dry.body as {
        status: string;
        dry_run: boolean;
        serial: number;
        diff: Parameters<typeof applyDiff>[1];
      };
      expect(answer).toMatchObject({ status: "DRY_RUN", dry_run: true, serial: (zone?.serial ?? 0) + 1 });
      expect(await allRows(api), why(`${label}: a dry run wrote`)).toEqual(before);

      const real = await rawRequest(api, "POST", path, { token: session, body: JSON.stringify(body) });
      expect(real.status, why(label)).toBe(200);
      const done = real.body as { serial: number };
      expect(done.serial, why(label)).toBe(answer.serial);
      const { from: _from, to: _to, ...applied } = await diff(id, zone?.serial ?? 0, done.serial);
      const {
        from: _f,
        to: _t,
        ...announced
      } = answer.diff as typeof answer.diff & { from?: number; to?: number };
      expect(applied, why(`${label}: the dry run's diff is what the real call did`)).toEqual(announced);
      expect(applyDiff(listed, answer.diff)).toEqual(lines(await listing(id), origin));
    }
    expect(published).toBeGreaterThan(1);

    // The Route53 import: 200 (not 201), nothing created.
    const before = await allRows(api);
    const importOrigin = `dry-import-${provider}.example`;
    const json = JSON.stringify({
      ResourceRecordSets: [
        { Name: `www.${importOrigin}.`, Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.7" }] },
        {
          Name: `${importOrigin}.`,
          Type: "MX",
          TTL: 600,
          ResourceRecords: [{ Value: "10 MAIL.example.net." }],
        },
      ],
    });
    const dry = await rawRequest(api, "POST", "/api/import/route53", {
      token: session,
      body: JSON.stringify({ origin: importOrigin, json, dry_run: true }),
    });
    expect(dry.status, why(JSON.stringify(dry.body))).toBe(200);
    expect(await allRows(api), why("an import dry run wrote")).toEqual(before);
    const dryAnswer = dry.body as { dry_run: boolean; imported: number; diff: { added: RRset[] } };
    expect(dryAnswer).toMatchObject({ dry_run: true, imported: 2, published: false });
    const real = await rawRequest(api, "POST", "/api/import/route53", {
      token: session,
      body: JSON.stringify({ origin: importOrigin, json }),
    });
    expect(real.status).toBe(201);
    const imported = (real.body as { zone: { id: string } }).zone.id;
    expect(lines(await listing(imported), importOrigin)).toEqual(lines(dryAnswer.diff.added, importOrigin));
  });

  it("brakes on mass deletes: allowed at the threshold, refused above it, overridden when confirmed", async () => {
    const origin = `brake-${provider}.example`;
    const id = await createZone(origin);
    // 40 rrsets: 25% is 10.
    await change(id, {
      changes: Array.from({ length: 40 }, (_, i) => ({
        name: `r${i}`,
        type: "A",
        records: [`192.0.2.${i + 1}`],
      })),
    });
    const afterSeed = await publish(id);
    const deletes = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ action: "DELETE", name: `r${from + i}`, type: "A" }));

    const before = await allRows(api);
    const refused = await rawRequest(api, "POST", `/api/zones/${id}/rrsets`, {
      token: session,
      body: JSON.stringify({ changes: deletes(0, 11) }),
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: "MASS_DELETE", errors: [{ path: "confirm_mass_delete" }] });
    expect((refused.body as { detail: string }).detail).toMatch(/delete 11 of the zone's 40 rrsets/);
    // Refused as a dry run too, and nothing written either way.
    const refusedDry = await rawRequest(api, "POST", `/api/zones/${id}/rrsets`, {
      token: session,
      body: JSON.stringify({ changes: deletes(0, 11), dry_run: true }),
    });
    expect(refusedDry.body).toMatchObject({ status: 409, code: "MASS_DELETE" });
    expect(await allRows(api)).toEqual(before);

    // Exactly 10 of 40: allowed.
    expect((await change(id, { changes: deletes(0, 10) })).status).toBe("PENDING");
    // Deletions of absent rrsets delete nothing and do not count.
    expect((await change(id, { changes: deletes(0, 10) })).status).toBe("PENDING");
    // 30 left: 8 is more than 25% but fewer than the minimum of 10: allowed.
    expect((await change(id, { changes: deletes(10, 8) })).status).toBe("PENDING");
    // 22 left: 10 is more than 25% and at the minimum: refused, then confirmed.
    const again = await rawRequest(api, "POST", `/api/zones/${id}/rrsets`, {
      token: session,
      body: JSON.stringify({ changes: deletes(18, 10) }),
    });
    expect(again.body).toMatchObject({ status: 409, code: "MASS_DELETE" });
    expect(await change(id, { changes: deletes(18, 10), confirm_mass_delete: true })).toMatchObject({
      status: "PENDING",
    });
    expect(lines(await listing(id), origin)).toHaveLength(12);

    // The brake applies to rollbacks: back to the empty zone deletes all 12.
    const emptyAgain = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: 1 }),
    });
    expect(emptyAgain.body).toMatchObject({ status: 409, code: "MASS_DELETE" });
    expect((emptyAgain.body as { detail: string }).detail).toMatch(/delete 12 of the zone's 12 rrsets/);
    // Back to the 40: only additions, no brake.
    const restore = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: afterSeed }),
    });
    expect(restore.status, JSON.stringify(restore.body)).toBe(200);
    expect((restore.body as { diff: { added: unknown[] } }).diff.added).toHaveLength(28);
    expect(lines(await listing(id), origin)).toHaveLength(40);
    const confirmed = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: 1, confirm_mass_delete: true }),
    });
    expect(confirmed.status).toBe(200);
    expect(lines(await listing(id), origin)).toEqual([]);
    // Rolling back to what the zone already holds: no new serial.
    const { data: zone } = await client.GET("/api/zones/{id}", { params: { path: { id } } });
    const same = await rawRequest(api, "POST", `/api/zones/${id}/rollback`, {
      token: session,
      body: JSON.stringify({ serial: 1 }),
    });
    expect(same.body).toMatchObject({
      status: "UNCHANGED",
      serial: zone?.serial,
      diff: { added: [], removed: [], changed: [] },
    });
  });
});
