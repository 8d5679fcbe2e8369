import { dig, type PostgresServer, signIn, startPostgres, waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type FleetEdge, type FleetProcess, startFleetApi, startFleetEdge } from "./fleet-helpers.js";

/**
 * PostgreSQL stopped like an operator does (`pg_ctl stop -m fast`) under a running API process and
 * a standalone edge, then started again on the same data directory and port: the API answers 503
 * DATABASE_UNAVAILABLE with Retry-After (not 500), readiness follows the database while liveness
 * stays up, the edge keeps answering DNS from what it holds, and everything recovers by itself.
 */
describe("database outage and recovery (PostgreSQL, API and edge processes)", () => {
  let postgres: PostgresServer;
  let api: FleetProcess;
  let edge: FleetEdge;
  let token: string;
  let zoneId: string;
  const origin = "outage.example";

  const edgeReady = async () =>
    (await fetch(`${edge.healthUrl}/ready`)).json() as Promise<Record<string, unknown>>;
  const answers = async (name: string) => dig(edge.port, name, "TXT", "+short");
  const edgeSerial = async () =>
    Number((await dig(edge.port, origin, "SOA", "+short")).trim().split(/\s+/)[2]);

  beforeAll(async () => {
    postgres = await startPostgres();
    await postgres.createDatabase("outage");
    const url = postgres.databaseUrl("outage");
    api = await startFleetApi(url);
    edge = await startFleetEdge(url, "edge-outage");
    token = await signIn(api.url, { email: "outage@example.test" });
    const zone = await call(api.url, "POST", "/api/zones", { token, body: { origin } });
    expect(zone.status).toBe(201);
    zoneId = (zone.body as { id: string }).id;
    const write = await call(api.url, "POST", `/api/zones/${zoneId}/rrsets`, {
      token,
      body: { action: "UPSERT", name: "before", type: "TXT", records: ['"held"'] },
    });
    expect(write.status).toBe(200);
    expect((await call(api.url, "POST", `/api/zones/${zoneId}/publish`, { token })).status).toBe(200);
    await waitFor(
      "the edge to serve the first write",
      async () => (await answers(`before.${origin}`)).includes("held"),
      30_000,
    );
  }, 180_000);

  afterAll(async () => {
    await edge?.stop();
    await api?.stop();
    await postgres?.stop();
  });

  it("answers 503 + Retry-After while PostgreSQL is down, keeps DNS up, and recovers by itself", {
    timeout: 180_000,
  }, async () => {
    await postgres.shutdown("fast");

    // Every kind of call: authenticated read, write, publish; all 503 with the stable code.
    for (const [method, path, body] of [
      ["GET", "/api/zones", undefined],
      [
        "POST",
        `/api/zones/${zoneId}/rrsets`,
        { action: "UPSERT", name: "during", type: "TXT", records: ['"lost"'] },
      ],
      ["POST", `/api/zones/${zoneId}/publish`, undefined],
    ] as const) {
      const answer = await call(api.url, method, path, { token, ...(body ? { body } : {}) });
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(503);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((answer.body as { code: string }).code).toBe("DATABASE_UNAVAILABLE");
    }
    // Metrics still answer during the outage (issue 17), with the 503s counted.
    const metrics = await fetch(`${api.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const sample = (labels: string) =>
      Number(new RegExp(`^dnscove_api_database_errors_total\\{${labels}\\} (\\S+)$`, "m").exec(text)?.[1]);
    expect(sample('where="request"')).toBeGreaterThanOrEqual(3);
    // The pending-zone count this scrape could not take is in the same scrape.
    expect(sample('where="metrics"')).toBeGreaterThanOrEqual(1);
    const ready = await call(api.url, "GET", "/api/health/ready");
    expect(ready.status).toBe(503);
    expect((ready.body as { code: string }).code).toBe("DATABASE_UNAVAILABLE");
    expect(ready.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await call(api.url, "GET", "/api/health")).status).toBe(503);
    expect((await call(api.url, "GET", "/api/health/live")).status).toBe(200);

    // The edge notices, says so, and still answers from what it holds.
    await waitFor(
      "the edge to report the database unreachable",
      async () => (await edgeReady()).database === "unreachable",
      30_000,
    );
    const report = await edgeReady();
    expect(report.status).toBe("ok");
    expect(report.zones).toBe(1);
    expect((await fetch(`${edge.healthUrl}/ready`)).status).toBe(200);
    expect(await answers(`before.${origin}`)).toContain("held");
    const servedDuringOutage = await edgeSerial();

    await postgres.restart();

    await waitFor(
      "the API to be ready again",
      async () => (await call(api.url, "GET", "/api/health/ready")).status === 200,
      60_000,
    );
    expect((await call(api.url, "GET", "/api/health")).status).toBe(200);
    const write = await call(api.url, "POST", `/api/zones/${zoneId}/rrsets`, {
      token,
      body: { action: "UPSERT", name: "after", type: "TXT", records: ['"back"'] },
    });
    expect(write.status, JSON.stringify(write.body)).toBe(200);
    const serial = (write.body as { serial: number }).serial;
    // Nothing from the outage was half-written: the only change since is this one.
    expect(serial).toBe(servedDuringOutage + 1);
    // The auto-publisher publishes it without being asked; the edge catches up by itself.
    await waitFor(
      "the edge to serve the write made after recovery",
      async () => (await edgeSerial()) === serial,
      60_000,
    );
    expect(await answers(`after.${origin}`)).toContain("back");
    expect(await answers(`during.${origin}`)).toBe("");
    await waitFor(
      "the edge to report the database reachable",
      async () => (await edgeReady()).database === "reachable",
      30_000,
    );
    expect(((await edgeReady()).last_sync_age_seconds as number) < 30).toBe(true);
  });
});
