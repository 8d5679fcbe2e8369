import type { RateLimitPolicy } from "../lib/rate-limiter.js";

/** What every zone is served with: its delegation and the SOA timers (RFC 1035 §3.3.13). */
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

/** The settings the domain reads; built once from the configuration by settings.ts. */
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
  /** Snapshot history and the brake on mass deletes (issue 15). */
  history: HistorySettings;
  /** Built from the one policy in settings.ts. */
  rateLimits: {
    magicLinkPerClient: RateLimitPolicy;
    magicLinkPerAddress: RateLimitPolicy;
  };
  zone: ZoneDefaults;
  dnssec: DnssecSettings;
}

/** DNSSEC signing (issue 16, docs/dnssec.md). */
export interface DnssecSettings {
  /** Seals the private keys at rest; undefined: DNSSEC cannot be enabled (production without a secret). */
  keySecret: string | undefined;
  /** TTL of DNSKEY, CDS and CDNSKEY. */
  dnskeyTtl: number;
  /** A ZSK signs this long before the automatic pre-publish rollover starts. */
  zskLifetimeSeconds: number;
  /** Added to every rollover wait: the new state reaching every server and cache (RFC 7583 §3.3). */
  propagationSeconds: number;
}

export interface HistorySettings {
  /**
   * Every serial published within this many days stays rebuildable (snapshots, diff, rollback);
   * compaction prunes what is older. 0 keeps only what edges and IXFR clients need to catch up.
   */
  retentionDays: number;
  /**
   * A change (or rollback) that would delete more than `share` of the zone's rrsets, and at least
   * `minimum` of them, is refused with MASS_DELETE unless it carries `confirm_mass_delete: true`.
   */
  massDelete: { share: number; minimum: number };
}
