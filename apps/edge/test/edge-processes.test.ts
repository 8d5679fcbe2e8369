import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import {
  dig,
  digStatus,
  freePort,
  type PostgresServer,
  type RunningProcess,
  startNodeProcess,
  startPostgres,
  waitFor,
  waitForApi,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiMain = fileURLToPath(new URL("../../api/dist/src/main.js", import.meta.url));
const edgeMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

interface EdgeProcess {
  id: string;
  port: number;
  dataDir: string;
  process: RunningProcess;
}

/**
 * Production shape: PostgreSQL, a stateless API process without an edge, and two separate edge
 * processes that learn of each publish from the database without restarting.
 */
describe("separate edge processes against PostgreSQL", () => {
  let postgres: PostgresServer;
  let api: RunningProcess;
  let databaseUrl: string;
  let client: DnscoveClient;
  const edges: EdgeProcess[] = [];
  const dirs: string[] = [];

  const startEdgeProcess = async (id: string, dataDir?: string): Promise<EdgeProcess> => {
    const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), `dnscove-${id}-`));
    dirs.push(dir);
    const port = await freePort();
    const process = startNodeProcess(edgeMain, {
      DATABASE_URL: databaseUrl,
      DNSCOVE_DATA_DIR: dir,
      DNS_PORT: String(port),
      EDGE_ID: id,
      EDGE_POLL_INTERVAL_MS: "100",
    });
    const edge = { id, port, dataDir: dir, process };
    await waitFor(
      `edge ${id} (output: ${process.output()})`,
      async () => /edge serving/.test(process.output()),
      20_000,
    );
    return edge;
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    await postgres.createDatabase("fleet");
    databaseUrl = postgres.databaseUrl("fleet");
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-api-"));
    dirs.push(dir);
    api = startNodeProcess(apiMain, {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DNSCOVE_DATA_DIR: dir,
      DNSCOVE_EMBEDDED_EDGE: "false",
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForApi(api, baseUrl);
    edges.push(await startEdgeProcess("edge-a"), await startEdgeProcess("edge-b"));
    const anonymous = createClient({ baseUrl });
    const { data: link } = await anonymous.POST("/api/auth/magic-link", {
      body: { email: "ops@example.test" },
    });
    const { data: session } = await anonymous.POST("/api/auth/exchange", {
      body: { token: link?.dev_token ?? "" },
    });
    client = createClient({ baseUrl, token: session?.token ?? "" });
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), ...edges.map((edge) => edge.process.stop())]);
    await postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("answers on every edge once publish returns, and shows each edge's serial", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "fleet.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "api", type: "AAAA", ttl: 120, records: ["2001:db8::80"] },
    });
    const { data: published } = await client.POST("/api/zones/{id}/publish", path);
    expect(published).toMatchObject({ published: true, serial: 2 });
    for (const edge of edges) {
      expect(await dig(edge.port, "api.fleet.example", "AAAA", "+short")).toBe("2001:db8::80\n");
    }
    const { data: servers } = await client.GET("/api/zones/{id}/servers", path);
    expect(servers?.edges.map((e) => [e.id, e.serial, e.live])).toEqual([
      ["edge-a", 2, true],
      ["edge-b", 2, true],
    ]);
    expect(servers?.in_sync).toBe(true);
  });

  it("keeps serving when the database is unreachable, and after a restart without it", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "outage.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "www", type: "A", records: ["192.0.2.44"] },
    });
    await client.POST("/api/zones/{id}/publish", path);

    await postgres.pause();
    try {
      const [edge] = edges;
      if (!edge) throw new Error("no edge");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await dig(edge.port, "www.outage.example", "A", "+short")).toBe("192.0.2.44\n");
      // Restart the edge while the database is still down: it serves its cached snapshots.
      await edge.process.stop();
      const restarted = await startEdgeProcess(edge.id, edge.dataDir);
      edges[0] = restarted;
      expect(await dig(restarted.port, "www.outage.example", "A", "+short")).toBe("192.0.2.44\n");
    } finally {
      await postgres.resume();
    }
  });

  it("reports an edge that does not confirm a publish, and stops answering for a deleted zone", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "lag.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };
    const stalled = edges[1];
    if (!stalled) throw new Error("no edge");
    stalled.process.child.kill("SIGSTOP");
    try {
      await client.POST("/api/zones/{id}/rrsets", {
        ...path,
        body: { name: "x", type: "A", records: ["192.0.2.1"] },
      });
      const { data: published } = await client.POST("/api/zones/{id}/publish", path);
      expect(published?.published).toBe(false);
      expect(published?.publish_error).toContain("edge-b");
    } finally {
      stalled.process.child.kill("SIGCONT");
    }
    await client.DELETE("/api/zones/{id}", path);
    for (const edge of edges) {
      await waitFor(
        `${edge.id} to refuse the deleted zone`,
        async () => digStatus(await dig(edge.port, "x.lag.example", "A")) === "REFUSED",
      );
    }
  });
});
