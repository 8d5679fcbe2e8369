import type { Db } from "@dnscove/db";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { RateLimiter } from "../lib/rate-limiter.js";
import type { ApiMetrics } from "../metrics/api-metrics.js";
import type { DnsChecks } from "./checks/dns-checks.js";
import type { SignerCache } from "./dnssec/zone-signer.js";
import type { DomainSettings } from "./domain-settings.js";
import type { EdgeFleet, Mailer } from "./ports.js";

/** Everything a domain operation may use; built once by the composition root (app.ts). */
export interface Services {
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  settings: DomainSettings;
  /** Counters shared by every API process (in the database). */
  rateLimiter: RateLimiter;
  edges: EdgeFleet;
  dnsChecks: DnsChecks;
  /** This API's Prometheus registry and instruments (GET /metrics). */
  metrics: ApiMetrics;
  /** This process's DNSSEC signers, one per signed zone it published (dnssec/zone-signer.ts). */
  signers: SignerCache;
}
