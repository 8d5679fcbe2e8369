import path from "node:path";
import type { Db } from "@dnscove/db";
import type { Logger } from "pino";
import type { EdgeConfig } from "./config.js";
import type { EdgeHealthSource } from "./health/health-server.js";
import { startDnsServer } from "./server/dns-server.js";
import { createSecondaryTracker } from "./sync/secondaries.js";
import { createSnapshotCache } from "./sync/snapshot-cache.js";
import { startSnapshotSync } from "./sync/snapshot-sync.js";
import { ZoneSet } from "./zones/zone-set.js";

export interface Edge {
  port: number;
  zones: ZoneSet;
  /** Load what was published since the last look (the embedded API calls this on publish). */
  refresh(): Promise<void>;
  /** For the health listener (health/health-server.ts). */
  health: EdgeHealthSource;
  close(): Promise<void>;
}

/**
 * An edge: the DNS server plus the loop that keeps it equal to the published snapshots and
 * NOTIFYs the secondaries. Serves the cached snapshots from `dataDir` first, so a restart while
 * the database is unreachable still answers with the last published zones.
 */
export async function startEdge(options: {
  db: Db;
  config: EdgeConfig;
  dataDir: string;
  logger: Logger;
}): Promise<Edge> {
  const { db, config, logger } = options;
  const zones = new ZoneSet(config.answerCache ? { answerCache: config.answerCache } : {});
  const cache = createSnapshotCache(
    path.join(options.dataDir, "edge-cache", config.edgeId.replace(/[^\w.-]/g, "_")),
  );
  for (const { zoneId, snapshot } of cache.loadAll()) {
    try {
      zones.put(zoneId, snapshot);
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
    logger,
    ...(config.tcp ? { tcp: config.tcp } : {}),
    ...(config.rrl ? { rrl: config.rrl } : {}),
  });
  const secondaries = createSecondaryTracker(db, config.secondaries, logger);
  const sync = await startSnapshotSync({
    db,
    zones,
    edgeId: config.edgeId,
    address: `${config.host}:${server.port}`,
    pollIntervalMs: config.pollIntervalMs,
    logger,
    cache,
    onServed: (zoneId, origin, serial) => secondaries.served(zoneId, origin, serial),
    onRemoved: (zoneId) => void secondaries.removed(zoneId),
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
    async close() {
      await sync.stop();
      await server.close();
    },
  };
}
