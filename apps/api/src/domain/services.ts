import type { Db } from "@dnscove/db";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { RateLimiter, RateLimitPolicy } from "../lib/rate-limiter.js";
import type { DnsChecks } from "./checks/dns-checks.js";

/** Sends sign-in links. `development` mailers send nothing: the link is returned to the caller. */
export interface Mailer {
  readonly kind: "smtp" | "development";
  sendMagicLink(to: string, link: string): Promise<void>;
}

/** The edge servers that answer DNS from published snapshots. */
export interface EdgeFleet {
  /** A snapshot was stored: edges in this process load it now; others notice by polling. */
  published(zoneId: string, serial: number): Promise<void>;
  removed(zoneId: string): Promise<void>;
  /** Resolves null once every running edge serves `serial`, or after a bounded wait, why not. */
  awaitServing(zoneId: string, serial: number): Promise<string | null>;
}

export interface ZoneDefaults {
  /** Absolute nameserver names (trailing dot) every zone is delegated to. */
  nameservers: string[];
  /** SOA RNAME (mailbox as a name, trailing dot). */
  soaRname: string;
  soaTtl: number;
  nsTtl: number;
  soaRefresh: number;
  soaRetry: number;
  soaExpire: number;
  /** SOA MINIMUM: the negative-caching TTL (RFC 2308). */
  soaMinimum: number;
}

export interface DomainSettings {
  sessionSecret: string;
  sessionTtlSeconds: number;
  magicLinkTtlSeconds: number;
  /** Where sign-in links point: `${publicUrl}/sign-in#token=…`. */
  publicUrl: string;
  quotas: {
    /** Zones one tenant may hold. */
    zonesPerTenant: number;
    /** Rrsets (rows of one name and type) one zone may hold. */
    rrsetsPerZone: number;
  };
  /** Built from the one policy in settings.ts. */
  rateLimits: {
    magicLinkPerClient: RateLimitPolicy;
    magicLinkPerAddress: RateLimitPolicy;
  };
  zone: ZoneDefaults;
}

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
}
