import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { pino } from "pino";
import { AggregatorRegistry } from "prom-client";
import { isPrimaryMessage, type WorkerMessage } from "./cluster/messages.js";
import { loadEdgeConfig } from "./config.js";
import { startHealthServer } from "./health/health-server.js";
import { createEdgeMetrics } from "./metrics/edge-metrics.js";
import { startEdge } from "./start-edge.js";

/**
 * One serving worker of an edge cluster (forked by cluster/edge-workers.ts, which sets its
 * environment). It answers DNS on the port shared with the other workers and takes its orders
 * (refresh, NOTIFY, stop) from the primary over IPC.
 */
async function main(): Promise<void> {
  // Ctrl-C reaches the whole process group, also while this worker is still starting: the primary
  // decides when workers stop (edge:stop, SIGKILL after 5 s), and its going away ends us.
  process.on("SIGINT", () => undefined);
  let stop: (() => Promise<void>) | undefined;
  // The primary is gone (even killed with SIGKILL): never keep serving unsupervised.
  process.once("disconnect", () => void (stop ? stop() : process.exit(0)));
  const config = loadEdgeConfig(process.env);
  const index = config.workerIndex;
  if (!process.send || index === undefined) throw new Error("worker-main runs only as a cluster worker");
  const send = (message: WorkerMessage): void => {
    process.send?.(message, undefined, {}, () => undefined);
  };
  const report = async (message: WorkerMessage): Promise<void> => send(message);
  const logger = pino({ level: config.logLevel }).child({ worker: index });
  // The primary's metrics listener asks each worker for its registry over IPC: constructing an
  // AggregatorRegistry installs prom-client's answering handler in this worker.
  const metrics = config.countMetrics ? createEdgeMetrics() : undefined;
  if (metrics) {
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
  }
  const { dataDir } = config;
  const target = parseDatabaseUrl(config.databaseUrl, dataDir);
  // The API owns the schema; SQLite waits for its write lock only briefly (see database-busy.ts).
  const { db, close } = await openDatabase(target, { migrate: false, busyTimeoutMs: config.dbBusyTimeoutMs });
  const edge = await startEdge({
    db,
    config: {
      ...config,
      edgeId: `${config.edgeId}#${index}`,
      // The workers read one shared socket, each with its own rate-limit table: each allows its
      // share, so a client spread over all of them gets about EDGE_RRL_RATE in all.
      ...(config.rrl && config.rrl.rate > 0
        ? { rrl: { ...config.rrl, rate: Math.max(1, Math.ceil(config.rrl.rate / config.workers)) } }
        : {}),
    },
    dataDir,
    logger,
    exclusive: false,
    ...(metrics ? { metrics } : {}),
    ...(config.recordViaPrimary
      ? {
          // Sent in order on the IPC channel, before the refresh acknowledgement they precede.
          recorder: {
            heartbeat: async (edgeId: string, address: string, now: Date) =>
              report({ kind: "edge:record", op: "heartbeat", edgeId, address, at: now.getTime() }),
            serial: async (edgeId: string, zoneId: string, serial: number, now: Date) =>
              report({ kind: "edge:record", op: "serial", edgeId, zoneId, serial, at: now.getTime() }),
            secondary: async (
              edgeId: string,
              address: string,
              zoneId: string,
              serial: number | null,
              now: Date,
            ) =>
              report({
                kind: "edge:record",
                op: "secondary",
                edgeId,
                address,
                zoneId,
                serial,
                at: now.getTime(),
              }),
            forget: async (edgeId: string, zoneId: string) =>
              report({ kind: "edge:record", op: "forget", edgeId, zoneId }),
          },
        }
      : {}),
    coordinator: {
      served: (zoneId, origin, serial) => send({ kind: "edge:served", zoneId, origin, serial }),
      removed: (zoneId) => send({ kind: "edge:removed", zoneId }),
    },
  });

  // One health listener per edge: worker 1 answers for it (EDGE_HEALTH_PORT, standalone edges).
  const health =
    config.health && index === 1
      ? await startHealthServer({ ...config.health, source: edge.health })
      : undefined;
  if (health) logger.info({ health: `${config.health?.host}:${health.port}` }, "edge health listening");

  let stopping = false;
  stop = async () => {
    if (stopping) return;
    stopping = true;
    await health?.close();
    await edge.close();
    await close();
    process.exit(0);
  };
  process.on("message", (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    switch (message.kind) {
      case "edge:refresh":
        void edge.refresh().then(() => send({ kind: "edge:refreshed", id: message.id }));
        break;
      case "edge:notify":
        edge.notifySecondaries(message.zoneId, message.origin, message.serial);
        break;
      case "edge:stop":
        void stop?.();
        break;
    }
  });
  process.once("SIGTERM", () => void stop?.());
  send({
    kind: "edge:ready",
    port: edge.port,
    serials: edge.zones.zoneIds().map((zoneId) => [zoneId, edge.zones.serialOf(zoneId) ?? 0]),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
