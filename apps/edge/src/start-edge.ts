import path from "node:path";
import type { Db } from "@dnscove/db";
import type { Logger } from "pino";
import type { EdgeConfig } from "./config.js";
import type { EdgeHealthSource } from "./health/health-server.js";
import type { EdgeMetrics } from "./metrics/edge-metrics.js";
import { startDnsServer } from "./server/dns-server.js";
import { createSecondaryTracker } from "./sync/secondaries.js";
import { createSnapshotCache } from "./sync/snapshot-cache.js";
import { type EdgeRecorder, startSnapshotSync } from "./sync/snapshot-sync.js";
import { databaseHistory } from "./transfer/zone-history.js";
import { ZoneSet } from "./zones/zone-set.js";

export interface Edge {
  port: number;
  zones: ZoneSet;
  /** Load what was published since the last look (the embedded API calls this on publish). */
  refresh(): Promise<void>;
  /** For the health listener (health/health-server.ts). */
  health: EdgeHealthSource;
  /** NOTIFY the secondaries of a serial and follow them (RFC 1996); see `coordinator`. */
  notifySecondaries(zoneId: string, origin: string, serial: number): void;
  close(): Promise<void>;
}

/** Where an edge running as one of several cluster workers reports what it serves. */
export interface ServedReporter {
  served(zoneId: string, origin: string, serial: number): void;
  removed(zoneId: string): void;
}

/**
 * An edge: the DNS server plus the loop that keeps it equal to the published snapshots and
 * NOTIFYs the secondaries. Serves the cached snapshots from `dataDir` first, so a restart while
 * the database is unreachable still answers with the last published zones.
 */
export async function startEdge(options: {
  db: Db;
  /** The settings one serving process needs (the cluster ones belong to its primary). */
  config: Pick<
    EdgeConfig,
    | "host"
    | "port"
    | "edgeId"
    | "pollIntervalMs"
    | "transfer"
    | "secondaries"
    | "tcp"
    | "rrl"
    | "answerCache"
    | "updateForward"
  >;
  dataDir: string;
  logger: Logger;
  /** false: share the port with the other cluster workers (see dns-server.ts). Default true. */
  exclusive?: boolean;
  /**
   * Set for a cluster worker: it reports each served serial here instead of sending NOTIFY itself,
   * and the cluster primary asks one worker to NOTIFY once every worker serves it
   * (cluster/edge-workers.ts). Unset: this edge NOTIFYs as soon as it serves a serial.
   */
  coordinator?: ServedReporter;
  /** Where to record heartbeat and serials (default: this edge's database connection). */
  recorder?: EdgeRecorder;
  /** This edge's Prometheus metrics (metrics/edge-metrics.ts); absent: nothing counted. */
  metrics?: EdgeMetrics;
}): Promise<Edge> {
  const { db, config, logger } = options;
  const zones = new ZoneSet(config.answerCache ? { answerCache: config.answerCache } : {});
  const cache = createSnapshotCache(
    path.join(options.dataDir, "edge-cache", config.edgeId.replace(/[^\w.-]/g, "_")),
  );
  for (const { zoneId, snapshot, diffs } of cache.loadAll()) {
    try {
      zones.put(zoneId, snapshot);
      for (const diff of diffs) zones.apply(zoneId, diff.serial, diff.changes);
    } catch (error) {
      logger.warn({ err: error, zoneId }, "cached snapshot not loadable");
    }
  }
  const servedFromCache = zones.zoneIds().length > 0;
  const server = await startDnsServer({
    host: config.host,
    port: config.port,
    zones,
    transfer: config.transfer,
    history: databaseHistory(db),
    logger,
    ...(config.tcp ? { tcp: config.tcp } : {}),
    ...(config.rrl ? { rrl: config.rrl } : {}),
    ...(config.updateForward ? { updateForward: config.updateForward } : {}),
    ...(options.exclusive === undefined ? {} : { exclusive: options.exclusive }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const secondaries = createSecondaryTracker(
    db,
    config.secondaries,
    logger,
    undefined,
    options.recorder?.secondary,
    options.metrics ? (acknowledged) => options.metrics?.notify(acknowledged) : undefined,
    (zoneId) => {
      const zone = zones.get(zoneId);
      const rdata = zone && zone.soa >= 0 ? zone.rdatas(zone.soa)[0] : undefined;
      return zone && rdata ? { rdata, ttl: zone.ttlOf(zone.soa) } : undefined;
    },
  );
  const sync = await startSnapshotSync({
    db,
    zones,
    edgeId: config.edgeId,
    address: `${config.host}:${server.port}`,
    pollIntervalMs: config.pollIntervalMs,
    logger,
    cache,
    ...(options.recorder ? { recorder: options.recorder } : {}),
    onServed: (zoneId, origin, serial) =>
      options.coordinator
        ? options.coordinator.served(zoneId, origin, serial)
        : secondaries.served(zoneId, origin, serial),
    onRemoved: (zoneId) => {
      options.coordinator?.removed(zoneId);
      secondaries
        .removed(zoneId)
        .catch((error: unknown) =>
          logger.warn({ err: error, zoneId }, "could not forget the secondaries' serials"),
        );
    },
  });
  options.metrics?.observe({
    zoneCount: () => zones.zoneIds().length,
    rrsetCount: () => {
      let rrsets = 0;
      for (const zoneId of zones.zoneIds()) rrsets += zones.get(zoneId)?.rrsetCount ?? 0;
      return rrsets;
    },
    sync: sync.status,
    lag: sync.lag,
  });
  logger.info(
    { dns: `${config.host}:${server.port}`, zones: zones.zoneIds().length },
    "DNSCove edge serving",
  );
  return {
    port: server.port,
    zones,
    refresh: sync.refresh,
    health: {
      zoneCount: () => zones.zoneIds().length,
      loaded: () => servedFromCache || sync.status().lastSuccessAt !== null,
      sync: sync.status,
    },
    notifySecondaries: (zoneId, origin, serial) => secondaries.served(zoneId, origin, serial),
    async close() {
      await sync.stop();
      await server.close();
    },
  };
}
