/**
 * The production path of RFC 2136 (docs/guides/rfc2136.md, "Where updates are accepted"): an API
 * process without an embedded edge runs its update listener on a fixed port, and a separate
 * `apps/edge` process with EDGE_UPDATE_FORWARD forwards nsupdate's signed UPDATE to it unchanged
 * (TSIG end to end: the edge holds no key). An edge without the setting answers NOTIMP and nothing
 * changes. PostgreSQL, the database standalone edges share with API processes in production.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dig, freePort, runCommand, signIn, waitFor } from "@dnscove/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { call, type FleetEdge, type FleetProcess, startFleetApi, startFleetEdge } from "../fleet-helpers.js";

describe("a standalone edge forwards RFC 2136 updates to the API's listener (postgres)", () => {
  let api: FleetProcess;
  let forwarding: FleetEdge;
  let plain: FleetEdge;
  let token: string;
  let zoneId: string;
  let key: { name: string; secret: string };
  let dir: string;
  const origin = "standalone-upd.example";

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-standalone-upd-"));
    const serverUrl = inject("postgresUrl");
    const name = `upd_edge_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const databaseUrl = serverUrl.replace(/\/postgres$/, `/${name}`);
    const updatePort = await freePort();
    api = await startFleetApi(databaseUrl, {
      DNSCOVE_UPDATE_HOST: "127.0.0.1",
      DNSCOVE_UPDATE_PORT: String(updatePort),
    });
    [forwarding, plain] = await Promise.all([
      startFleetEdge(databaseUrl, "upd-forward", { EDGE_UPDATE_FORWARD: `127.0.0.1:${updatePort}` }),
      startFleetEdge(databaseUrl, "upd-plain"),
    ]);
    token = await signIn(api.url, { email: "standalone-upd@example.test" });
    const zone = await call(api.url, "POST", "/api/zones", { token, body: { origin } });
    expect(zone.status).toBe(201);
    zoneId = (zone.body as { id: string }).id;
    const created = await call(api.url, "POST", `/api/zones/${zoneId}/tsig-keys`, {
      token,
      body: { name: "edge", scope: "zone-admin" },
    });
    expect(created.status).toBe(201);
    key = created.body as { name: string; secret: string };
  }, 180_000);

  afterAll(async () => {
    await Promise.all([forwarding, plain, api].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function nsupdate(port: number, lines: string[]) {
    const file = path.join(dir, `${randomBytes(4).toString("hex")}.txt`);
    writeFileSync(file, [`server 127.0.0.1 ${port}`, `zone ${origin}`, ...lines, "send", ""].join("\n"));
    const result = await runCommand("nsupdate", ["-y", `hmac-sha256:${key.name}:${key.secret}`, file], {
      timeoutMs: 60_000,
    });
    return { code: result.code, output: result.stdout + result.stderr };
  }

  async function serial(): Promise<number> {
    return ((await call(api.url, "GET", `/api/zones/${zoneId}`, { token })).body as { serial: number })
      .serial;
  }

  it("applies an nsupdate sent to the forwarding edge, and both edges then serve it", {
    timeout: 120_000,
  }, async () => {
    const before = await serial();
    const added = await nsupdate(forwarding.port, [`update add www.${origin} 300 A 192.0.2.44`]);
    expect(added.code, added.output).toBe(0);
    expect(await serial()).toBe(before + 1);
    const rrsets = await call(api.url, "GET", `/api/zones/${zoneId}/rrsets`, { token });
    expect(JSON.stringify(rrsets.body)).toContain("192.0.2.44");
    for (const edge of [forwarding, plain])
      await waitFor(
        `www.${origin} at ${edge.port}`,
        async () => (await dig(edge.port, `www.${origin}`, "A", "+short")).trim() === "192.0.2.44",
        60_000,
      );
    const removed = await nsupdate(forwarding.port, [`update delete www.${origin} A`]);
    expect(removed.code, removed.output).toBe(0);
    await waitFor(
      `www.${origin} gone at ${forwarding.port}`,
      async () => (await dig(forwarding.port, `www.${origin}`, "A", "+short")).trim() === "",
      60_000,
    );
  });

  it("answers NOTIMP on an edge without EDGE_UPDATE_FORWARD, and changes nothing", {
    timeout: 60_000,
  }, async () => {
    const before = await serial();
    const refused = await nsupdate(plain.port, [`update add other.${origin} 300 A 192.0.2.45`]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("NOTIMP");
    expect(await serial()).toBe(before);
  });
});
