import { randomBytes } from "node:crypto";
import {
  decodeSnapshot,
  encodeSnapshot,
  type OpenDatabase,
  openDatabase,
  parseDatabaseUrl,
  readZoneAt,
} from "@dnscove/db";
import { dig, signIn, waitFor } from "@dnscove/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type Answer,
  call,
  type FleetEdge,
  type FleetProcess,
  startFleetApi,
  startFleetEdge,
} from "./fleet-helpers.js";

const OPERATIONS = 160;
const CONCURRENCY = 6;

/**
 * Production shape under a bounded mixed load: two API processes (no embedded edge) and two
 * standalone edges on one PostgreSQL. Writes, publishes, ACME present/cleanup and token mint/revoke
 * go to either API at random. No answer is a 5xx, acknowledged serials are contiguous, every
 * snapshot holds exactly the writes acknowledged up to its serial, and both edges end on the final
 * serial.
 */
describe("two API processes and two edges on one PostgreSQL", () => {
  let databaseUrl: string;
  let apis: FleetProcess[] = [];
  let edges: FleetEdge[] = [];
  let watcher: pg.Client;
  let inspector: OpenDatabase;

  beforeAll(async () => {
    const serverUrl = inject("postgresUrl");
    const name = `fleet_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    databaseUrl = serverUrl.replace(/\/postgres$/, `/${name}`);
    apis = await Promise.all([startFleetApi(databaseUrl), startFleetApi(databaseUrl)]);
    edges = await Promise.all([
      startFleetEdge(databaseUrl, "fleet-a"),
      startFleetEdge(databaseUrl, "fleet-b"),
    ]);
    watcher = new pg.Client({ connectionString: databaseUrl });
    await watcher.connect();
    inspector = await openDatabase(parseDatabaseUrl(databaseUrl, process.cwd()), { migrate: false });
  }, 180_000);

  afterAll(async () => {
    await watcher?.end();
    await inspector?.close();
    await Promise.all([...edges, ...apis].map((p) => p.stop()));
  });

  it("serves one consistent history with no 5xx", { timeout: 300_000 }, async () => {
    const [first, second] = apis.map((api) => api.url) as [string, string];
    const token = await signIn(first, { email: "fleet@example.test" });
    const origins = ["fleet-one.example", "fleet-two.example"];
    const zoneIds: string[] = [];
    for (const origin of origins) {
      const zone = await call(second, "POST", "/api/zones", { token, body: { origin } });
      expect(zone.status).toBe(201);
      zoneIds.push((zone.body as { id: string }).id);
    }

    const answers: { what: string; answer: Answer }[] = [];
    const acknowledged = new Map<string, { zoneId: string; serial: number }>();
    let changes = 0; // accepted serial bumps besides the rrset writes (ACME values that changed)
    const snapshots = new Map<string, string>(); // `${zoneId}@${serial}` → published content
    // The published zone at S, rebuilt from the newest snapshot and the change journal the way an
    // edge does (issue 14); once published it must never change.
    const collect = async () => {
      const { rows } = await watcher.query<{ id: string; published_serial: number }>(
        'SELECT "id", "published_serial" FROM "zones"',
      );
      for (const row of rows) {
        const zoneAt = await readZoneAt(inspector.db, row.id, row.published_serial);
        if (!zoneAt) throw new Error(`${row.id}@${row.published_serial} cannot be rebuilt`);
        const key = `${row.id}@${row.published_serial}`;
        const content = encodeSnapshot(zoneAt);
        const seen = snapshots.get(key);
        if (seen !== undefined) expect(content, `published zone ${key} changed`).toBe(seen);
        else snapshots.set(key, content);
      }
    };

    let next = 0;
    const worker = async () => {
      for (let i = next++; i < OPERATIONS; i = next++) {
        const api = i % 2 === 0 ? first : second;
        const zoneId = zoneIds[i % zoneIds.length] as string;
        const origin = origins[i % origins.length] as string;
        const kind = i % 5;
        if (kind <= 1) {
          const answer = await call(api, "POST", `/api/zones/${zoneId}/rrsets`, {
            token,
            body: { action: "UPSERT", name: `w${i}`, type: "TXT", records: [`"v${i}"`] },
          });
          answers.push({ what: `write w${i}`, answer });
          if (answer.status === 200) {
            acknowledged.set(`w${i}.${origin}.`, {
              zoneId,
              serial: (answer.body as { serial: number }).serial,
            });
          }
        } else if (kind === 2) {
          answers.push({
            what: `publish ${i}`,
            answer: await call(api, "POST", `/api/zones/${zoneId}/publish`, { token }),
          });
        } else if (kind === 3) {
          const value = randomBytes(32).toString("base64url");
          const name = `_acme-challenge.${origin}`;
          for (const action of ["PRESENT", "CLEANUP"]) {
            const answer = await call(api, "POST", `/api/zones/${zoneId}/acme-challenge`, {
              token,
              body: { action, name, value },
            });
            answers.push({ what: `acme ${action} ${i}`, answer });
            if ((answer.body as { changed?: boolean }).changed) changes += 1;
          }
        } else {
          const minted = await call(api, "POST", "/api/tokens", { token, body: { name: `t${i}` } });
          answers.push({ what: `mint ${i}`, answer: minted });
          const id = (minted.body as { id?: string }).id;
          if (id)
            answers.push({
              what: `revoke ${i}`,
              answer: await call(api, "DELETE", `/api/tokens/${id}`, { token }),
            });
        }
        if (i % 4 === 0) await collect();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const failures = answers.filter(({ answer }) => answer.status >= 500 || answer.status === 409);
    expect(
      failures.map(({ what, answer }) => `${what}: ${answer.status} ${JSON.stringify(answer.body)}`),
    ).toEqual([]);
    expect(answers.every(({ answer }) => answer.status < 300)).toBe(true);

    // Contiguous serials: per zone, the acknowledged write serials are distinct, and the zone's
    // serial is 1 (creation) + every accepted change, with nothing lost or skipped.
    const { rows: zoneRows } = await watcher.query<{ id: string; serial: number }>(
      'SELECT "id", "serial" FROM "zones"',
    );
    const writes = [...acknowledged.values()];
    for (const zoneId of zoneIds) {
      const serials = writes.filter((w) => w.zoneId === zoneId).map((w) => w.serial);
      expect(new Set(serials).size).toBe(serials.length);
    }
    const totalSerial = zoneRows.reduce((sum, row) => sum + row.serial, 0);
    expect(totalSerial).toBe(zoneIds.length + writes.length + changes);

    // Publish the end state through either API and wait for both edges to serve it.
    for (const zoneId of zoneIds) {
      expect((await call(first, "POST", `/api/zones/${zoneId}/publish`, { token })).status).toBe(200);
    }
    await collect();
    const finalSerial = new Map(zoneRows.map((row) => [row.id, row.serial]));
    for (const edge of edges) {
      for (const [index, zoneId] of zoneIds.entries()) {
        await waitFor(
          `edge ${edge.port} to serve ${origins[index]} at serial ${finalSerial.get(zoneId)}`,
          async () =>
            Number(
              (await dig(edge.port, origins[index] as string, "SOA", "+short")).trim().split(/\s+/)[2],
            ) === finalSerial.get(zoneId),
          60_000,
        );
      }
    }

    // Exact snapshots: each holds a write iff it was acknowledged at or below its serial.
    const violations: string[] = [];
    for (const [key, content] of snapshots) {
      const [zoneId, serialText] = key.split("@") as [string, string];
      const serial = Number(serialText);
      const names = new Set(decodeSnapshot(content).rrsets.map((rrset) => rrset.name));
      for (const [name, write] of acknowledged) {
        if (write.zoneId !== zoneId) continue;
        if (names.has(name) !== write.serial <= serial) {
          violations.push(
            `${key} ${names.has(name) ? "holds" : "lacks"} ${name} (acknowledged at ${write.serial})`,
          );
        }
      }
    }
    expect(violations).toEqual([]);
    expect(snapshots.size).toBeGreaterThan(4);
  });
});
