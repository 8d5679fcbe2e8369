import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type RunningProcess, startNodeProcess, waitFor } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const edgeMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

/**
 * The standalone edge's health listener (EDGE_HEALTH_PORT) when it starts with nothing to serve
 * and no database: alive, not ready, and it says why. (Readiness while serving through an outage
 * is covered with real PostgreSQL in apps/api/test/database-outage.test.ts.)
 */
describe("edge health listener", () => {
  let edge: RunningProcess;
  let dir: string;
  let healthUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-edge-health-"));
    const healthPort = await freePort();
    healthUrl = `http://127.0.0.1:${healthPort}`;
    edge = startNodeProcess(edgeMain, {
      // Nothing listens there: the database is unreachable from the start.
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/none`,
      DNSCOVE_DATA_DIR: dir,
      DNS_PORT: String(await freePort()),
      EDGE_ID: "edge-health",
      EDGE_HEALTH_PORT: String(healthPort),
    });
    await waitFor(
      `the health listener (output: ${edge.output()})`,
      async () => (await fetch(`${healthUrl}/live`)).ok,
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is live but not ready with nothing loaded and the database unreachable", async () => {
    const live = await fetch(`${healthUrl}/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    await waitFor(
      "the first sync attempt",
      async () =>
        ((await (await fetch(`${healthUrl}/ready`)).json()) as { unreachable_since: unknown })
          .unreachable_since !== null,
    );
    const ready = await fetch(`${healthUrl}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: "not-ready",
      zones: 0,
      database: "unreachable",
      last_sync_age_seconds: null,
    });
    expect((await fetch(`${healthUrl}/metrics`)).status).toBe(404);
  });
});
