/**
 * The edge as several serving processes on one port (node:cluster), supervised by a primary that
 * answers no DNS itself: the API process in the embedded default, or `apps/edge` with
 * EDGE_WORKERS > 1.
 *
 * Sharing the port on Node 20 (no reusePort): with cluster.SCHED_NONE the primary creates the TCP
 * listener and the UDP socket once (workers bind with exclusive: false) and hands the same handles
 * to every worker; each worker then accepts connections and reads datagrams itself, and the
 * kernel spreads them. Nothing passes through the primary's event loop, so a primary busy with
 * control-plane work (a 20,000-rrset import) never delays an answer. (The default round-robin
 * policy would accept every TCP connection in the primary.)
 *
 * Each worker is a full edge: it reads the database (SQLite in WAL mode or PostgreSQL), has the
 * serials it serves recorded under its own edge id `${EDGE_ID}#${n}`, so a publish waits until
 * every serving process serves it (apps/api edge-fleet.ts), and keeps its own disk cache. With
 * `recorder` set (the embedded API) the primary writes those rows from the workers' IPC reports,
 * so SQLite keeps a single writing connection; otherwise each worker writes its own.
 *
 * NOTIFY leaves from one place, once every worker serves the serial: workers report what they
 * serve over IPC, the primary's NotifyCoordinator decides, and tells the lowest-numbered live
 * worker to NOTIFY (and follow) the secondaries.
 *
 * Refresh (publish in the embedded default): an IPC message to every worker, resolved when all
 * acknowledge or after `refreshTimeoutMs`; a worker that dies is restarted with a log line.
 */
import cluster, { type Worker } from "node:cluster";
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { AggregatorRegistry } from "prom-client";
import { type MetricsServer, startMetricsServer } from "../metrics/metrics-server.js";
import type { EdgeLogger } from "../server/dns-server.js";
import type { EdgeRecorder } from "../sync/snapshot-sync.js";
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage } from "./messages.js";
import { type DueNotify, NotifyCoordinator } from "./notify-coordinator.js";

export interface EdgeWorkersOptions {
  workers: number;
  host: string;
  /** 0 picks a free port first, so restarted workers find the same one. */
  port: number;
  refreshTimeoutMs: number;
  /** Extra environment for the workers (DATABASE_URL, DNSCOVE_DATA_DIR, …); they inherit the rest. */
  env: Record<string, string>;
  logger: EdgeLogger;
  /**
   * Record the workers' heartbeats and served serials here, from their IPC reports, instead of
   * from each worker's own connection. The embedded API passes its database: SQLite then has one
   * writing connection, so the API's read-then-write transactions never meet a worker's commit
   * (WAL would refuse their upgrade to a writer: SQLITE_BUSY_SNAPSHOT).
   */
  recorder?: EdgeRecorder;
  /** Wait after a worker exits before starting it again (default 250 ms). */
  restartDelayMs?: number;
  /**
   * Serve the workers' Prometheus metrics, summed (prom-client's AggregatorRegistry over the
   * cluster IPC), on this listener (EDGE_METRICS_PORT); absent: the workers count nothing.
   */
  metrics?: { host: string; port: number; token?: string | undefined };
}

export interface EdgeWorkers {
  port: number;
  /** Every worker loads what was published since its last look; resolves when all confirm. */
  refresh(): Promise<void>;
  /** The process ids of the serving workers, by worker number (for operators and tests). */
  pids(): Map<number, number>;
  /** The port of the metrics listener, when `metrics` was given. */
  metricsPort: number | undefined;
  close(): Promise<void>;
}

interface Slot {
  index: number;
  worker: Worker;
  ready: boolean;
}

const workerMain = fileURLToPath(new URL("../worker-main.js", import.meta.url));

export async function startEdgeWorkers(options: EdgeWorkersOptions): Promise<EdgeWorkers> {
  const { logger } = options;
  // Both before the first fork: the policy is frozen by setupPrimary (see the comment above).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: workerMain, silent: false });
  const port = options.port === 0 ? await freeDnsPort(options.host) : options.port;
  const slots = new Map<number, Slot>();
  const coordinator = new NotifyCoordinator();
  const waiting = new Map<number, { left: Set<number>; done: () => void }>();
  /** Restarts in a row that died before serving, per worker: backs off up to 10 s. */
  const failures = new Map<number, number>();
  let nextRefresh = 1;
  let stopping = false;

  const send = (slot: Slot, message: PrimaryMessage) => {
    if (slot.worker.isConnected()) slot.worker.send(message, () => undefined);
  };

  const dispatch = (due: DueNotify[]) => {
    if (due.length === 0) return;
    const notifier = [...slots.values()].filter((s) => s.ready).sort((a, b) => a.index - b.index)[0];
    if (!notifier) return;
    for (const item of due) send(notifier, { kind: "edge:notify", ...item });
  };

  const settle = (index: number, id?: number) => {
    for (const [refreshId, wait] of waiting) {
      if (id !== undefined && refreshId !== id) continue;
      wait.left.delete(index);
      if (wait.left.size === 0) wait.done();
    }
  };

  const fork = (index: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({
        ...options.env,
        DNS_HOST: options.host,
        DNS_PORT: String(port),
        DNSCOVE_EDGE_WORKER_INDEX: String(index),
        ...(options.recorder ? { DNSCOVE_EDGE_RECORD_VIA_PRIMARY: "true" } : {}),
        ...(options.metrics ? { DNSCOVE_EDGE_COUNT_METRICS: "true" } : {}),
      });
      const slot: Slot = { index, worker, ready: false };
      slots.set(index, slot);
      coordinator.starting(index);
      worker.on("message", (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        handle(slot, message);
        if (message.kind === "edge:ready") resolve(message.port);
      });
      worker.on("exit", (code, signal) => {
        if (slots.get(index) === slot) slots.delete(index);
        settle(index);
        dispatch(coordinator.gone(index));
        if (!slot.ready) reject(new Error(`edge worker ${index} exited (${signal ?? code}) before serving`));
        if (stopping) return;
        const failed = slot.ready ? 0 : (failures.get(index) ?? 0) + 1;
        failures.set(index, failed);
        const delay = Math.min((options.restartDelayMs ?? 250) * 2 ** failed, 10_000);
        logger.error(
          { worker: index, pid: worker.process.pid, code, signal, restartInMs: delay },
          "edge worker exited; restarting it",
        );
        setTimeout(() => {
          if (stopping) return;
          fork(index).catch((error: unknown) =>
            logger.error({ err: error, worker: index }, "edge worker restart failed"),
          );
        }, delay).unref();
      });
    });

  const handle = (slot: Slot, message: WorkerMessage) => {
    switch (message.kind) {
      case "edge:ready":
        slot.ready = true;
        dispatch(coordinator.ready(slot.index, message.serials));
        break;
      case "edge:served":
        dispatch(coordinator.served(slot.index, message.zoneId, message.origin, message.serial));
        break;
      case "edge:removed":
        coordinator.removed(slot.index, message.zoneId);
        break;
      case "edge:refreshed":
        settle(slot.index, message.id);
        break;
      case "edge:record":
        record(message).catch((error: unknown) =>
          logger.warn({ err: error, worker: slot.index }, "could not record an edge worker's state"),
        );
        break;
    }
  };

  const record = async (message: Extract<WorkerMessage, { kind: "edge:record" }>) => {
    const recorder = options.recorder;
    if (!recorder) return;
    if (message.op === "heartbeat")
      await recorder.heartbeat(message.edgeId, message.address, new Date(message.at));
    else if (message.op === "serial")
      await recorder.serial(message.edgeId, message.zoneId, message.serial, new Date(message.at));
    else if (message.op === "forget") await recorder.forget(message.edgeId, message.zoneId);
    else
      await recorder.secondary(
        message.edgeId,
        message.address,
        message.zoneId,
        message.serial,
        new Date(message.at),
      );
  };

  let metricsServer: MetricsServer | undefined;
  const close = async () => {
    stopping = true;
    await metricsServer?.close();
    await Promise.all(
      [...slots.values()].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.worker.isDead()) return resolve();
            const kill = setTimeout(() => slot.worker.process.kill("SIGKILL"), 5000);
            slot.worker.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            send(slot, { kind: "edge:stop" });
          }),
      ),
    );
  };

  try {
    // The first alone: a port already taken fails once, with a clear error; then the rest at once.
    await fork(1);
    await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => fork(i + 2)));
  } catch (error) {
    await close();
    throw error;
  }
  if (options.metrics) {
    // Asks every connected worker for its registry over the cluster IPC (prom-client's own
    // messages, which the edge's handlers ignore) and sums counters; gauges follow their
    // `aggregator` (edge-metrics.ts).
    const aggregator = new AggregatorRegistry();
    try {
      metricsServer = await startMetricsServer({
        ...options.metrics,
        collect: async () => ({
          contentType: aggregator.contentType,
          body: await aggregator.clusterMetrics(),
        }),
      });
    } catch (error) {
      await close();
      throw error;
    }
    logger.info({ metrics: `${options.metrics.host}:${metricsServer.port}` }, "edge metrics listening");
  }
  logger.info({ workers: options.workers, dns: `${options.host}:${port}` }, "edge workers serving");

  return {
    port,
    refresh() {
      const live = [...slots.values()].filter((slot) => slot.ready);
      if (live.length === 0) return Promise.resolve();
      const id = nextRefresh++;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          logger.warn({ workers: [...left] }, "edge workers did not confirm a refresh in time");
          resolve();
        }, options.refreshTimeoutMs);
        const left = new Set(live.map((slot) => slot.index));
        waiting.set(id, {
          left,
          done: () => {
            clearTimeout(timer);
            waiting.delete(id);
            resolve();
          },
        });
        for (const slot of live) send(slot, { kind: "edge:refresh", id });
      });
    },
    pids() {
      const out = new Map<number, number>();
      for (const slot of slots.values())
        if (slot.ready && slot.worker.process.pid) out.set(slot.index, slot.worker.process.pid);
      return out;
    },
    metricsPort: metricsServer?.port,
    close,
  };
}

/** A port free for both TCP and UDP on `host` (the DNS server needs the same number for both). */
async function freeDnsPort(host: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      tcp.once("error", reject);
      tcp.listen({ host, port: 0, exclusive: true }, () => {
        const addr = tcp.address();
        resolve(typeof addr === "object" && addr ? addr.port : 0);
      });
    });
    const udp = createSocket(host.includes(":") ? "udp6" : "udp4");
    const free = await new Promise<boolean>((resolve) => {
      udp.once("error", () => resolve(false));
      udp.bind({ address: host, port, exclusive: true }, () => resolve(true));
    });
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    await new Promise<void>((resolve) => {
      try {
        udp.close(() => resolve());
      } catch {
        resolve();
      }
    });
    if (free || attempt >= 20) return port;
  }
}
