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
  /** Built from the one policy in settings.ts. */
  rateLimits: {
    magicLinkPerClient: RateLimitPolicy;
    magicLinkPerAddress: RateLimitPolicy;
  };
  zone: ZoneDefaults;
}
