import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The API's Prometheus metrics (issue 17). One registry per API instance, built with the services
 * (createServices), never prom-client's global default registry: tests build many APIs in one
 * process, and each must count only its own requests.
 */
export interface ApiMetrics {
  registry: Registry;
  /** HTTP requests by route PATTERN (never the raw path: ids would explode cardinality), method, status. */
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method" | "status">;
  /** Seconds from locking a zone to telling the edges, for publishes that moved the serial. */
  publishDuration: Histogram<"trigger">;
  /** Requests answered 503 DATABASE_UNAVAILABLE, and failed metric queries. */
  databaseErrors: Counter<"where">;
  pendingZones: Gauge;
}

/** Counts zones with unpublished changes; called on every scrape (a count over the pending-zones index). */
export type PendingZoneCounter = () => Promise<number>;

/**
 * Latency buckets in seconds: a single-rrset change is a few milliseconds, a 100,000-rrset import
 * tens of seconds; 14 buckets keep the series count per route small.
 */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** A publish is one transaction plus a notice to the edges: milliseconds, seconds for huge zones. */
const PUBLISH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createApiMetrics(countPendingZones?: PendingZoneCounter): ApiMetrics {
  const registry = new Registry();
  // prom-client collects every metric of a scrape at once (Promise.all), so the pending-zone count
  // is one promise both collectors wait on: a count that fails is in the same scrape's error counter.
  let counting: Promise<void> | undefined;
  const countOnce = (): Promise<void> => {
    if (!countPendingZones) return Promise.resolve();
    counting ??= countPendingZones()
      .then(
        (count) => {
          pendingZones.set(count);
        },
        () => {
          // A scrape during a database outage still answers (with the last count).
          databaseErrors.inc({ where: "metrics" });
        },
      )
      .finally(() => {
        counting = undefined;
      });
    return counting;
  };
  const databaseErrors = new Counter({
    name: "dnscove_api_database_errors_total",
    help: "Database failures: requests answered 503 DATABASE_UNAVAILABLE (where=request) and scrapes that could not count pending zones (where=metrics).",
    labelNames: ["where"] as const,
    registers: [registry],
    collect: countOnce,
  });
  const pendingZones = new Gauge({
    name: "dnscove_api_pending_zones",
    help: "Zones with changes not yet published (counted at scrape time).",
    registers: [registry],
    collect: countOnce,
  });
  const metrics: ApiMetrics = {
    registry,
    httpRequests: new Counter({
      name: "dnscove_api_http_requests_total",
      help: "HTTP requests to /api by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "dnscove_api_http_request_duration_seconds",
      help: "Time from receiving an /api request to finishing its answer, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    publishDuration: new Histogram({
      name: "dnscove_api_publish_duration_seconds",
      help: "Time to publish a zone (transaction and notice to the edges), by trigger (api or auto).",
      labelNames: ["trigger"] as const,
      buckets: PUBLISH_BUCKETS,
      registers: [registry],
    }),
    databaseErrors,
    pendingZones,
  };
  // Both series exist from the start, so a rate() over them works before the first failure.
  databaseErrors.inc({ where: "request" }, 0);
  databaseErrors.inc({ where: "metrics" }, 0);
  return metrics;
}
