import { mkdirSync } from "node:fs";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { pino } from "pino";
import { startEdgeWorkers } from "./cluster/edge-workers.js";
import { loadEdgeConfig } from "./config.js";
import { startHealthServer } from "./health/health-server.js";
import { createEdgeMetrics } from "./metrics/edge-metrics.js";
import { startMetricsServer } from "./metrics/metrics-server.js";
import { startEdge } from "./start-edge.js";

/**
 * A standalone edge process (production: many of them against one PostgreSQL database). With
 * EDGE_WORKERS > 1 (production default: every core) this process only supervises that many
 * serving workers on the same port (cluster/edge-workers.ts); with 1 it serves itself. The
 * environment is read only through loadEdgeConfig.
 */
async function main(): Promise<void> {
  const config = loadEdgeConfig(process.env, "standalone");
  const { dataDir, databaseUrl } = config;
  const logger = pino({ level: config.logLevel });
  mkdirSync(dataDir, { recursive: true });
  if (config.workers > 1) {
    const workers = await startEdgeWorkers({
      workers: config.workers,
      host: config.host,
      port: config.port,
      refreshTimeoutMs: config.refreshTimeoutMs,
      env: { DATABASE_URL: databaseUrl, DNSCOVE_DATA_DIR: dataDir },
      logger,
      ...(config.metrics ? { metrics: config.metrics } : {}),
    });
    logger.info({ dns: `${config.host}:${workers.port}`, workers: config.workers }, "DNSCove edge serving");
    const stopWorkers = async () => {
      await workers.close();
      process.exit(0);
    };
    process.once("SIGINT", stopWorkers);
    process.once("SIGTERM", stopWorkers);
    return;
  }
  const target = parseDatabaseUrl(databaseUrl, dataDir);
  // The API owns the schema; an edge never migrates, and never waits long for SQLite's write lock.
  const { db, close } = await openDatabase(target, { migrate: false, busyTimeoutMs: config.dbBusyTimeoutMs });
  const metrics = config.metrics ? createEdgeMetrics() : undefined;
  const edge = await startEdge({ db, config, dataDir, logger, ...(metrics ? { metrics } : {}) });
  const health = config.health && (await startHealthServer({ ...config.health, source: edge.health }));
  if (health) logger.info({ health: `${config.health?.host}:${health.port}` }, "edge health listening");
  const metricsServer =
    config.metrics && metrics
      ? await startMetricsServer({
          ...config.metrics,
          collect: async () => ({
            contentType: metrics.registry.contentType,
            body: await metrics.registry.metrics(),
          }),
        })
      : undefined;
  if (metricsServer)
    logger.info({ metrics: `${config.metrics?.host}:${metricsServer.port}` }, "edge metrics listening");
  const shutdown = async () => {
    await metricsServer?.close();
    await health?.close();
    await edge.close();
    await close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
