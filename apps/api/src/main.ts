import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { databaseRecorder, loadEdgeConfig, startEdgeWorkers } from "@dnscove/edge";
import { createApp, createServices } from "./app.js";
import { listeningUrl, loadConfig } from "./config.js";
import { createDnsChecks } from "./dns-checks/create-dns-checks.js";
import { dnsCheckConfig } from "./dns-checks/types.js";
import { startUpdateListener } from "./dns-update/update-listener.js";
import type { UpdateContext } from "./dns-update/update-responder.js";
import { createEdgeFleet } from "./edge/edge-fleet.js";
import { listen } from "./http/listen.js";
import { startAutoPublisher } from "./jobs/auto-publisher.js";
import { startDnssecMaintenance } from "./jobs/dnssec-maintenance.js";
import { createLogger } from "./lib/logger.js";
import { createDevelopmentMailer } from "./mail/development-mailer.js";
import { createSmtpMailer } from "./mail/smtp-mailer.js";
import { domainSettings } from "./settings.js";
import { startupBanner } from "./startup-banner.js";

/** A wildcard listening address is reached through loopback. */
function reachable(host: string): string {
  return host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
}

/** The only place that reads the environment. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });
  const target = parseDatabaseUrl(config.databaseUrl, config.dataDir);
  // The API is SQLite's one busy writer: its WAL checkpoints go to a worker thread (issue 14).
  const { db, close } = await openDatabase(target, {
    transactionTimeoutMs: config.transactionTimeoutMs,
    checkpointInWorker: true,
  });
  logger.info({ provider: target.provider }, "database ready");

  const mailer =
    !config.developmentMailer && config.smtpUrl
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
  // RFC 2136 updates: a listener here, the embedded edge forwarding to it (docs/guides/rfc2136.md).
  let servicesReady: (context: UpdateContext) => void = () => undefined;
  const updates = config.update
    ? await startUpdateListener(
        new Promise<UpdateContext>((resolve) => {
          servicesReady = resolve;
        }),
        config.update.host,
        config.update.port,
        config.update.limits,
      )
    : undefined;
  if (updates) logger.info({ host: updates.host, port: updates.port }, "RFC 2136 update listener ready");
  const forward: Record<string, string> = updates
    ? {
        EDGE_UPDATE_FORWARD: `${updates.host.includes(":") ? `[${updates.host}]` : updates.host}:${updates.port}`,
      }
    : {};
  // Started alongside the API, not before it: forking and loading a worker takes a while on a
  // busy machine. Every publish waits for it (refresh below), and a failure stops the process.
  const edgeStarting = config.embeddedEdge
    ? startEdgeWorkers({
        workers: edgeConfig.workers,
        host: edgeConfig.host,
        port: edgeConfig.port,
        refreshTimeoutMs: edgeConfig.refreshTimeoutMs,
        env: { DATABASE_URL: config.databaseUrl, DNSCOVE_DATA_DIR: config.dataDir, ...forward },
        logger,
        // One writing connection for SQLite: the workers' heartbeats and serials go through here.
        recorder: databaseRecorder(db),
        // EDGE_METRICS_PORT: this process, the workers' primary, serves their summed metrics.
        ...(edgeConfig.metrics ? { metrics: edgeConfig.metrics } : {}),
      })
    : undefined;
  let stopping = false;
  edgeStarting?.catch((error: unknown) => {
    // A worker stopped by Ctrl-C while starting is part of shutting down, not a failure.
    if (stopping) return;
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
  servicesReady({
    services,
    ...(edgeStarting ? { edge: { host: reachable(edgeConfig.host), port: edgePort } } : {}),
  });
  const publisher = startAutoPublisher(services, config.publishIntervalMs);
  // Every minute: far inside the daily pass the signature policy needs (docs/dnssec.md).
  const dnssecJob = startDnssecMaintenance(services, 60_000);
  const shutdown = async (signal: NodeJS.Signals) => {
    // pnpm forwards the terminal's Ctrl-C to us, so the same SIGINT comes twice: the second must
    // not kill us halfway (Node's default), or `pnpm start` would report a failure.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "DNSCove API shutting down");
    server.close();
    await publisher.stop();
    await dnssecJob.stop();
    await updates?.close();
    await (await edgeStarting?.catch(() => undefined))?.close();
    await close();
    logger.info("DNSCove API stopped");
    // 0, not 128+signal: stopping on request is success, so `pnpm start` ends without an error.
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const server = listen(
    createApp(services, {
      consoleDir: config.consoleDir,
      trustProxy: config.trustProxy,
      bodyLimits: config.bodyLimits,
      metricsToken: config.metricsToken,
    }),
    { port: config.port, host: config.host, keepAliveMs: config.httpKeepAliveMs },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const url = listeningUrl(config.host, (server.address() as AddressInfo).port);
  logger.info({ url: `${url}/api`, console: config.consoleDir ?? null }, "DNSCove API listening");
  // The line for people, once DNS answers too (a fresh edge worker takes a moment to load).
  // A failed start is reported (exit 1) by the handler above.
  const edge = await edgeStarting?.catch(() => undefined);
  if (stopping || (edgeStarting && !edge)) return;
  process.stderr.write(
    `${startupBanner({
      url,
      console: config.consoleDir !== undefined,
      dns: edge ? { host: edgeConfig.host, port: edge.port } : undefined,
      database: target,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
