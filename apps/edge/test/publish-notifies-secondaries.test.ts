import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  announcePublished,
  announceRemoved,
  type Db,
  encodeSnapshot,
  openDatabase,
  type SnapshotContent,
} from "@dnscove/db";
import { freePort, waitFor } from "@dnscove/testkit";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEdgeMetrics, type EdgeMetrics } from "../src/metrics/edge-metrics.js";
import { type Edge, startEdge } from "../src/start-edge.js";
import { dig } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";
import { type Secondary, startKnot } from "./helpers/secondaries.js";
import { waitForSerial } from "./helpers/soa-probe.js";

const TSIG = { name: "dnscove-xfr", secret: "ZG5zY292ZS10ZXN0LXRzaWcta2V5LWZvci1ub3RpZnkhIQ==" };
/** Stated bound for a secondary to serve a new serial after a publish (NOTIFY, then IXFR/AXFR). */
const SECONDARY_DEADLINE_MS = 5000;

/** A fresh SQLite database in `dir` holding one zone published at serial 1 (a full snapshot). */
async function openWithPublishedZone(dir: string, zoneId: string, origin: string) {
  const opened = await openDatabase({ provider: "sqlite", location: path.join(dir, "db.sqlite") });
  const { db } = opened;
  await db.tenant.create({ data: { id: "t" } });
  await db.$transaction(async (tx) => {
    await tx.zone.create({
      data: { id: zoneId, tenantId: "t", origin, status: "ACTIVE", serial: 1, publishedSerial: 1 },
    });
    await announcePublished(tx, zoneId);
  });
  await db.snapshot.create({
    data: { zoneId, serial: 1, origin, content: encodeSnapshot(fixtureZone(`${origin}.`, 1)) },
  });
  return opened;
}

/** `dnscove_edge_notify_total` as a scrape reads it, by its `result` label. */
async function notifyCounts(metrics: EdgeMetrics) {
  const counter = await metrics.registry.getSingleMetric("dnscove_edge_notify_total")?.get();
  const value = (result: string) => counter?.values.find((v) => v.labels.result === result)?.value;
  return { acked: value("acked"), unanswered: value("unanswered") };
}

/**
 * The whole hidden-primary path with a real secondary: a publish in the database reaches the edge,
 * the edge NOTIFYs Knot (signed with TSIG in one variant), Knot transfers the new serial, and the
 * edge records the secondary's serial for the servers view. Deleting the zone stops the edge's
 * answers and its transfers.
 */
describe.each([
  { variant: "without TSIG", tsig: undefined },
  { variant: "with TSIG", tsig: TSIG },
])("publish NOTIFYs secondaries ($variant)", ({ tsig }) => {
  const origin = `notify-${tsig ? "tsig" : "plain"}.test`;
  let dir: string;
  let db: Db;
  let closeDb: () => Promise<void>;
  let knot: Secondary;
  let edge: Edge;
  let metrics: EdgeMetrics;
  const notifies = () => notifyCounts(metrics);

  // A publish that compacts: a full snapshot at the serial, the journal starting after it.
  const publish = async (snapshot: SnapshotContent) => {
    await db.snapshot.create({
      data: { zoneId: "Zsec", serial: snapshot.serial, origin, content: encodeSnapshot(snapshot) },
    });
    await db.$transaction(async (tx) => {
      await tx.zone.update({
        where: { id: "Zsec" },
        data: { serial: snapshot.serial, publishedSerial: snapshot.serial, historyFrom: snapshot.serial },
      });
      await announcePublished(tx, "Zsec");
    });
    await edge.refresh();
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-notify-"));
    const opened = await openWithPublishedZone(dir, "Zsec", origin);
    db = opened.db;
    closeDb = opened.close;
    const edgePort = await freePort();
    knot = await startKnot(dir, [{ origin, primaryPort: edgePort, ...(tsig ? { tsig } : {}) }]);
    const key = tsig
      ? { name: tsig.name, algorithm: "hmac-sha256" as const, secret: tsig.secret }
      : undefined;
    metrics = createEdgeMetrics();
    edge = await startEdge({
      db,
      metrics,
      dataDir: dir,
      logger: pino({ level: "silent" }),
      config: {
        host: "127.0.0.1",
        port: edgePort,
        edgeId: "edge-notify",
        pollIntervalMs: 100,
        transfer: { allow: ["127.0.0.0/8"], tsigKeys: key ? [key] : [], requireTsig: Boolean(key) },
        secondaries: [{ host: "127.0.0.1", port: knot.port, ...(key ? { tsigKey: key } : {}) }],
      },
    });
  });
  afterAll(async () => {
    await edge?.close();
    await knot?.stop();
    await closeDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("brings the secondary to each published serial and records it", async () => {
    expect(await waitForSerial(knot.port, `${origin}.`, 1, 10_000), knot.log()).toBeDefined();
    // The edge NOTIFYs serial 1 as it starts serving it (answered or not, once Knot is up).
    await waitFor("the first NOTIFY's outcome", async () => {
      const { acked = 0, unanswered = 0 } = await notifies();
      return acked + unanswered === 1;
    });
    const before = await notifies();

    const next = fixtureZone(`${origin}.`, 2);
    next.rrsets.push({ name: `fresh.${origin}.`, type: "A", ttl: 60, records: ["198.51.100.2"] });
    await publish(next);
    const took = await waitForSerial(knot.port, `${origin}.`, 2, SECONDARY_DEADLINE_MS);
    expect(took, knot.log()).toBeDefined();
    const fromKnot = await dig(knot.port, [`fresh.${origin}`, "A", "+short"]);
    const fromEdge = await dig(edge.port, [`fresh.${origin}`, "A", "+short"]);
    expect(fromKnot.raw.trim()).toBe("198.51.100.2");
    expect(fromKnot.raw).toBe(fromEdge.raw);
    // The NOTIFY carried the new SOA (RFC 1996 section 3.7): Knot 3.2 logs the serial it read
    // from it ("serial none" when the NOTIFY has no SOA). The line is written before the refresh.
    expect(knot.log()).toMatch(/notify, incoming, remote [^\n]*, serial 2\b/);
    // One NOTIFY per publish and secondary, counted once however often it was retransmitted, under
    // `acked`: Knot answered it (it logged it above).
    await waitFor(
      "the publish's NOTIFY to be counted",
      async () => (await notifies()).acked === (before.acked ?? 0) + 1,
    );
    expect(await notifies()).toEqual({ acked: (before.acked ?? 0) + 1, unanswered: before.unanswered });

    const recorded = async () =>
      (
        await db.edgeZoneSerial.findUnique({
          where: { edgeId_zoneId: { edgeId: `secondary:127.0.0.1:${knot.port}`, zoneId: "Zsec" } },
        })
      )?.serial;
    const deadline = Date.now() + SECONDARY_DEADLINE_MS;
    while ((await recorded()) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await recorded()).toBe(2);
    expect((await db.edgeNode.findUnique({ where: { id: `secondary:127.0.0.1:${knot.port}` } }))?.kind).toBe(
      "secondary",
    );
  });

  it("stops answering and transferring a deleted zone", async () => {
    await db.$transaction(async (tx) => {
      await tx.zone.delete({ where: { id: "Zsec" } });
      await announceRemoved(tx, "Zsec");
    });
    await edge.refresh();
    const answer = await dig(edge.port, [origin, "SOA"]);
    expect(answer.status).toBe("REFUSED");
    const transfer = await dig(edge.port, [
      origin,
      "AXFR",
      ...(tsig ? ["-y", `hmac-sha256:${tsig.name}:${tsig.secret}`] : []),
    ]);
    expect(transfer.raw).toMatch(/Transfer failed/);
  });
});

/**
 * The other side of `dnscove_edge_notify_total`: a secondary that never answers. A UDP socket of
 * the test's reads the edge's NOTIFYs (RFC 1996 section 3.6: the primary retransmits until it is
 * answered or gives up) and answers none: one `unanswered`, however many datagrams it took.
 */
describe("a NOTIFY nobody answers", () => {
  const origin = "notify-silent.test";
  let dir: string;
  let closeDb: () => Promise<void>;
  let silent: Socket;
  let edge: Edge;
  let metrics: EdgeMetrics;
  /** Every NOTIFY the silent secondary read, by message id. */
  const received: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-notify-silent-"));
    const { db, close } = await openWithPublishedZone(dir, "Zsil", origin);
    closeDb = close;
    silent = createSocket("udp4");
    silent.on("message", (message) => {
      // The header's opcode (RFC 1035 section 4.1.1) is 4 for NOTIFY; the SOA probes that follow
      // the NOTIFY (secondaries.ts) are queries (0).
      if (message.length >= 12 && ((message[2] as number) >> 3) % 16 === 4)
        received.push(message.readUInt16BE(0));
    });
    await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", () => resolve()));
    metrics = createEdgeMetrics();
    edge = await startEdge({
      db,
      metrics,
      dataDir: dir,
      logger: pino({ level: "silent" }),
      config: {
        host: "127.0.0.1",
        port: await freePort(),
        edgeId: "edge-notify-silent",
        pollIntervalMs: 100,
        transfer: { allow: ["127.0.0.0/8"], tsigKeys: [], requireTsig: false },
        secondaries: [{ host: "127.0.0.1", port: silent.address().port }],
      },
    });
  });
  afterAll(async () => {
    await edge?.close();
    silent?.close();
    await closeDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts it once under result=unanswered", async () => {
    const counted = () => notifyCounts(metrics);
    // The edge NOTIFYs serial 1 as it starts serving it, then gives up on it.
    await waitFor("the unanswered NOTIFY to be counted", async () => (await counted()).unanswered === 1);
    expect(await counted()).toEqual({ acked: 0, unanswered: 1 });
    expect(received.length).toBeGreaterThan(1);
    expect(new Set(received).size).toBe(1);
  });
});
