import { mkdirSync } from "node:fs";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { type Edge, loadEdgeConfig, startEdge } from "@dnscove/edge";
import { createApp, createServices } from "./app.js";
import { loadConfig } from "./config.js";
import { createDnsChecks } from "./dns-checks/create-dns-checks.js";
import { dnsCheckConfig } from "./dns-checks/types.js";
import { startAutoPublisher } from "./domain/publish/auto-publisher.js";
import { createEdgeFleet } from "./edge/edge-fleet.js";
import { listen } from "./http/listen.js";
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
  // The embedded default runs the edge in this process; production runs edges as their own
  // processes (apps/edge) and sets DNSCOVE_EMBEDDED_EDGE=false.
  const edgeConfig = loadEdgeConfig(process.env);
  let edge: Edge | undefined;
  if (config.embeddedEdge) {
    edge = await startEdge({ db, config: edgeConfig, dataDir: config.dataDir, logger });
  }
  const edges = createEdgeFleet({ db, ...(edge ? { local: edge } : {}) });
  const dnsChecks = createDnsChecks(
    dnsCheckConfig({ resolver: config.resolver, authoritativePort: config.authoritativePort }),
    config.parityEdge ?? { host: edgeConfig.host, port: edge?.port ?? edgeConfig.port },
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
    await edge?.close();
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
