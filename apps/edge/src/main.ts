import { mkdirSync } from "node:fs";
import path from "node:path";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { pino } from "pino";
import { loadEdgeConfig } from "./config.js";
import { startHealthServer } from "./health/health-server.js";
import { startEdge } from "./start-edge.js";

/** A standalone edge process (production: many of them against one PostgreSQL database). */
async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });
  const config = loadEdgeConfig(process.env);
  const dataDir = path.resolve(process.env.DNSCOVE_DATA_DIR ?? "./data");
  mkdirSync(dataDir, { recursive: true });
  const target = parseDatabaseUrl(
    process.env.DATABASE_URL ?? `file:${path.join(dataDir, "dnscove.db")}`,
    dataDir,
  );
  // The API owns the schema; an edge never migrates.
  const { db, close } = await openDatabase(target, { migrate: false });
  const edge = await startEdge({ db, config, dataDir, logger });
  const health = config.health && (await startHealthServer({ ...config.health, source: edge.health }));
  if (health) logger.info({ health: `${config.health?.host}:${health.port}` }, "edge health listening");
  const shutdown = async () => {
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
