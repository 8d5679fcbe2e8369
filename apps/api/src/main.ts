import { mkdirSync } from "node:fs";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { databaseRecorder, loadEdgeConfig, startEdgeWorkers } from "@dnscove/edge";
import { createApp, createServices } from "./app.js";
import { loadConfig } from "./config.js";
import { createDnsChecks } from "./dns-checks/create-dns-checks.js";
import { dnsCheckConfig } from "./dns-checks/types.js";
import { createEdgeFleet } from "./edge/edge-fleet.js";
import { listen } from "./http/listen.js";
import { startAutoPublisher } from "./jobs/auto-publisher.js";
import { createLogger } from "./lib/logger.js";
import { createDevelopmentMailer } from "./mail/development-mailer.js";
import { createSmtpMailer } from "./mail/smtp-mailer.js";
import { domainSettings } from "./settings.js";

/** The only place that reads the environment. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });
  const target = parseDatabaseUrl(config.databaseUrl, config.dataDir);
  const { db, close } = await openDatabase(target, { transactionTimeoutMs: config.transactionTimeoutMs });
  logger.info({ provider: target.provider }, "database ready");

  const mailer = config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom)
    : createDevelopmentMailer();
  if (mailer.kind === "development") {
    logger.warn(
      "DEVELOPMENT MAILER: no SMTP_URL is set, so sign-in links are returned in API answers (dev_token, dev_link) " +
        "instead of mailed. Never run like this where others can reach the API.",
    );
  }
  // The embedded default starts the edge as child processes of this one (EDGE_WORKERS of them,
  // default 1) on the same SQLite file, so API work never delays a DNS answer; production runs
  // edges on their own (apps/edge) and sets DNSCOVE_EMBEDDED_EDGE=false.
  const edgeConfig = loadEdgeConfig(process.env, "embedded");
  // Started alongside the API, not before it: forking and loading a worker takes a while on a
  // busy machine. Every publish waits for it (refresh below), and a failure stops the process.
  const edgeStarting = config.embeddedEdge
    ? startEdgeWorkers({
        workers: edgeConfig.workers,
        host: edgeConfig.host,
        port: edgeConfig.port,
        refreshTimeoutMs: edgeConfig.refreshTimeoutMs,
        env: { DATABASE_URL: config.databaseUrl, DNSCOVE_DATA_DIR: config.dataDir },
        logger,
        // One writing connection for SQLite: the workers' heartbeats and serials go through here.
        recorder: databaseRecorder(db),
      })
    : undefined;
  edgeStarting?.catch((error: unknown) => {
    logger.error({ err: error }, "the embedded edge did not start");
    process.exit(1);
  });
  // Port 0 (tests) is only known once the workers listen.
  const edgePort = edgeStarting && edgeConfig.port === 0 ? (await edgeStarting).port : edgeConfig.port;
  const edges = createEdgeFleet({
    db,
    ...(edgeStarting ? { local: { refresh: async () => (await edgeStarting).refresh() } } : {}),
  });
  const dnsChecks = createDnsChecks(
    dnsCheckConfig({ resolver: config.resolver, authoritativePort: config.authoritativePort }),
    config.parityEdge ?? { host: edgeConfig.host, port: edgePort },
  );
  const services = createServices({ db, logger, mailer, settings: domainSettings(config), edges, dnsChecks });
  const publisher = startAutoPublisher(services, config.publishIntervalMs);
  const server = listen(
    createApp(services, { consoleDir: config.consoleDir, trustProxy: config.trustProxy }),
    { port: config.port, host: config.host, keepAliveMs: config.httpKeepAliveMs },
    () => {
      logger.info(
        { url: `http://${config.host}:${config.port}/api`, console: config.consoleDir ?? null },
        "DNSCove API listening",
      );
    },
  );

  const shutdown = async () => {
    server.close();
    await publisher.stop();
    await (await edgeStarting?.catch(() => undefined))?.close();
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
