import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import { dig, freePort, type RunningProcess, startNodeProcess, waitFor, waitForApi } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiMain = fileURLToPath(new URL("../../api/dist/src/main.js", import.meta.url));
const edgeMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

/** The pid of each serving worker, from its "DNSCove edge serving" log line (the latest wins). */
function workerPids(output: string): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of output.split("\n")) {
    if (!line.includes("DNSCove edge serving")) continue;
    const entry = JSON.parse(line) as { pid: number; worker?: number };
    if (entry.worker !== undefined) pids.set(entry.worker, entry.pid);
  }
  return pids;
}

/**
 * A standalone edge with EDGE_WORKERS=2 (node:cluster, SCHED_NONE) on the API's SQLite file: both
 * workers serve the one port, each records its serial under `${EDGE_ID}#n`, a publish is
 * confirmed only once both serve it, and the primary is not on the answering path.
 */
describe("standalone edge with EDGE_WORKERS=2", () => {
  let dir: string;
  let api: RunningProcess;
  let edge: RunningProcess;
  let dnsPort: number;
  let client: DnscoveClient;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-workers-"));
    const port = await freePort();
    dnsPort = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    api = startNodeProcess(apiMain, {
      PORT: String(port),
      DNSCOVE_DATA_DIR: dir,
      DNSCOVE_EMBEDDED_EDGE: "false",
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
    });
    await waitForApi(api, baseUrl, 90_000);
    edge = startNodeProcess(edgeMain, {
      DNSCOVE_DATA_DIR: dir,
      DNS_PORT: String(dnsPort),
      EDGE_ID: "edge-w",
      EDGE_WORKERS: "2",
      EDGE_POLL_INTERVAL_MS: "100",
    });
    await waitFor(
      "two edge workers",
      async () => workerPids(edge.output()).size === 2 && /edge workers serving/.test(edge.output()),
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; edge output:\n${edge.output()}`);
    });
    const anonymous = createClient({ baseUrl });
    const { data: link } = await anonymous.POST("/api/auth/magic-link", {
      body: { email: "w@example.test" },
    });
    const { data: session } = await anonymous.POST("/api/auth/exchange", {
      body: { token: link?.dev_token ?? "" },
    });
    client = createClient({ baseUrl, token: session?.token ?? "" });
  }, 200_000);
  afterAll(async () => {
    await Promise.all([edge?.stop(), api?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("confirms a publish only when both workers serve it, and shows each worker's serial", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "workers.example" } });
    const zonePath = { params: { path: { id: zone?.id ?? "" } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...zonePath,
      body: { name: "www", type: "A", records: ["192.0.2.2"] },
    });
    const { data: published } = await client.POST("/api/zones/{id}/publish", zonePath);
    expect(published).toMatchObject({ published: true, serial: 2 });
    const { data: servers } = await client.GET("/api/zones/{id}/servers", zonePath);
    expect(servers?.edges.map((e) => [e.id, e.serial, e.live])).toEqual([
      ["edge-w#1", 2, true],
      ["edge-w#2", 2, true],
    ]);

    // Worker 2 frozen: it cannot load serial 3, so the publish is not confirmed, and says why.
    const stalled = workerPids(edge.output()).get(2) ?? 0;
    process.kill(stalled, "SIGSTOP");
    try {
      await client.POST("/api/zones/{id}/rrsets", {
        ...zonePath,
        body: { name: "www", type: "A", records: ["192.0.2.3"] },
      });
      const { data: unconfirmed } = await client.POST("/api/zones/{id}/publish", zonePath);
      expect(unconfirmed?.published).toBe(false);
      expect(unconfirmed?.publish_error).toContain("edge-w#2");
      expect(unconfirmed?.publish_error).not.toContain("edge-w#1");
    } finally {
      process.kill(stalled, "SIGCONT");
    }
    await waitFor("worker 2 to catch up", async () => {
      const { data } = await client.GET("/api/zones/{id}/servers", zonePath);
      return data?.in_sync === true;
    });
  }, 120_000);

  it("answers on UDP and TCP with the primary stopped, and while a killed worker restarts", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "shared.example" } });
    const zonePath = { params: { path: { id: zone?.id ?? "" } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...zonePath,
      body: { name: "www", type: "A", records: ["192.0.2.9"] },
    });
    expect((await client.POST("/api/zones/{id}/publish", zonePath)).data?.published).toBe(true);

    // SCHED_NONE: the workers read datagrams and accept connections themselves.
    edge.child.kill("SIGSTOP");
    try {
      for (let i = 0; i < 10; i++) {
        expect(await dig(dnsPort, "www.shared.example", "A", "+short")).toBe("192.0.2.9\n");
        expect(await dig(dnsPort, "www.shared.example", "A", "+short", "+tcp")).toBe("192.0.2.9\n");
      }
    } finally {
      edge.child.kill("SIGCONT");
    }

    // Kill worker 1: worker 2 answers everything on the shared port meanwhile, and the
    // primary starts a new worker 1 (with a log line).
    const before = workerPids(edge.output());
    process.kill(before.get(1) ?? 0, "SIGKILL");
    for (let i = 0; i < 20; i++) {
      expect(await dig(dnsPort, "www.shared.example", "A", "+short")).toBe("192.0.2.9\n");
      expect(await dig(dnsPort, "www.shared.example", "A", "+short", "+tcp")).toBe("192.0.2.9\n");
    }
    await waitFor(
      "a restarted worker 1",
      async () => {
        const now = workerPids(edge.output()).get(1);
        return now !== undefined && now !== before.get(1);
      },
      90_000,
    );
    expect(edge.output()).toMatch(/edge worker exited; restarting it/);
    const { data: servers } = await client.GET("/api/zones/{id}/servers", zonePath);
    expect(servers?.in_sync).toBe(true);
  }, 240_000);
});
