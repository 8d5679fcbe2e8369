import path from "node:path";
import type { Db } from "@dnscove/db";
import express from "express";
import { type BodyLimits, DEFAULT_BODY_LIMITS } from "./config.js";
import type { DnsChecks } from "./domain/checks/dns-checks.js";
import { createSignerCache } from "./domain/dnssec/zone-signer.js";
import type { DomainSettings } from "./domain/domain-settings.js";
import type { EdgeFleet, Mailer } from "./domain/ports.js";
import type { Services } from "./domain/services.js";
import { buildOpenApiDocument } from "./http/openapi.js";
import { createApiRouter } from "./http/router.js";
import { routes } from "./http/routes/index.js";
import { securityHeaders } from "./http/security-headers.js";
import { TRUST_NONE, type TrustProxy, trustProxyFunction } from "./http/trust-proxy.js";
import { countPendingZones } from "./jobs/find-pending-zones.js";
import { type Clock, systemClock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";
import { createRateLimiter } from "./lib/rate-limiter.js";
import { createApiMetrics } from "./metrics/api-metrics.js";
import { metricsHandler } from "./metrics/metrics-handler.js";

export const API_VERSION = "1.0.0";

export interface AppDeps {
  db: Db;
  logger: Logger;
  mailer: Mailer;
  settings: DomainSettings;
  clock?: Clock;
  /** The edges to tell about publishes (main.ts: the embedded edge or a fleet; tests: their own). */
  edges: EdgeFleet;
  dnsChecks: DnsChecks;
}

export function createServices(deps: AppDeps): Services {
  return {
    db: deps.db,
    logger: deps.logger,
    mailer: deps.mailer,
    settings: deps.settings,
    clock: deps.clock ?? systemClock,
    edges: deps.edges,
    dnsChecks: deps.dnsChecks,
    rateLimiter: createRateLimiter(deps.db),
    metrics: createApiMetrics(() => countPendingZones(deps)),
    signers: createSignerCache(),
  };
}

export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(routes, API_VERSION);
}

export interface AppOptions {
  /** The console's built files (apps/console/dist), served at `/` with an SPA fallback. */
  consoleDir?: string | undefined;
  /** Peers believed about the client's address in X-Forwarded-For (default: none). */
  trustProxy?: TrustProxy;
  /** Largest request bodies (default: DEFAULT_BODY_LIMITS). */
  bodyLimits?: BodyLimits;
  /** DNSCOVE_METRICS_TOKEN: when set, `GET /metrics` needs `Authorization: Bearer <it>`. */
  metricsToken?: string | undefined;
}

/** The composition root of the HTTP API (and, when given, the console's static files). */
export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // No ETag on API answers: Express would hash every JSON body (a SHA-1 over megabytes for a big
  // batch's answer) for conditional GETs no client of this API makes. Static console files keep
  // theirs (serve-static sets its own).
  app.set("etag", false);
  // req.ip, the key of per-client rate limits, is the socket's peer unless that peer is a proxy
  // the operator named (DNSCOVE_TRUST_PROXY); then the address it forwarded.
  app.set("trust proxy", trustProxyFunction(options.trustProxy ?? TRUST_NONE));
  app.use(securityHeaders);
  // Outside /api and the OpenAPI document: an operator's endpoint, in Prometheus's text format,
  // at the path Prometheus scrapes by default.
  app.get("/metrics", metricsHandler(services.metrics.registry, options.metricsToken));
  app.use(
    "/api",
    createApiRouter(services, routes, openApiDocument(), options.bodyLimits ?? DEFAULT_BODY_LIMITS),
  );
  if (options.consoleDir) serveConsole(app, options.consoleDir);
  return app;
}

/** Static console files; any other non-/api GET or HEAD answers index.html (client-side routes). */
function serveConsole(app: express.Express, dir: string): void {
  const root = path.resolve(dir);
  app.use(
    express.static(root, {
      index: "index.html",
      setHeaders(res, file) {
        // Hashed assets never change; index.html must be revalidated so a deploy takes effect.
        res.setHeader(
          "Cache-Control",
          file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    }),
  );
  app.use((req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.path.startsWith("/api")) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(path.join(root, "index.html"));
  });
}
