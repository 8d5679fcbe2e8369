import { type Config, DEFAULT_QUOTAS } from "./config.js";
import type { DomainSettings } from "./domain/domain-settings.js";

/**
 * The one definition of the sign-in rate-limit policy: per fixed 15-minute window, at most 30
 * links per client address (one office or NAT signs in several people) and 5 per mailbox (nobody
 * needs more, and a victim's inbox is not flooded). Counters live in the database, shared by every
 * API process; DNSCOVE_MAGIC_LINKS_PER_CLIENT / _PER_ADDRESS change the counts.
 */
export const MAGIC_LINK_LIMITS = { perClient: 30, perAddress: 5, windowSeconds: 15 * 60 } as const;

/** Defaults a zone gets; timers follow RFC 1912 §2.2 recommendations, negative TTL 300 s. */
export function domainSettings(
  config: Pick<Config, "secret" | "publicUrl" | "nameservers" | "soaRname"> &
    Partial<Pick<Config, "quotas" | "magicLinksPerClient" | "magicLinksPerAddress">>,
): DomainSettings {
  return {
    sessionSecret: config.secret,
    sessionTtlSeconds: 12 * 3600,
    magicLinkTtlSeconds: 15 * 60,
    publicUrl: config.publicUrl,
    quotas: { ...(config.quotas ?? DEFAULT_QUOTAS) },
    rateLimits: {
      magicLinkPerClient: {
        name: "magic-link:client",
        limit: config.magicLinksPerClient ?? MAGIC_LINK_LIMITS.perClient,
        windowSeconds: MAGIC_LINK_LIMITS.windowSeconds,
      },
      magicLinkPerAddress: {
        name: "magic-link:address",
        limit: config.magicLinksPerAddress ?? MAGIC_LINK_LIMITS.perAddress,
        windowSeconds: MAGIC_LINK_LIMITS.windowSeconds,
      },
    },
    zone: {
      nameservers: config.nameservers,
      soaRname: config.soaRname,
      soaTtl: 3600,
      nsTtl: 3600,
      soaRefresh: 3600,
      soaRetry: 600,
      soaExpire: 1_209_600,
      soaMinimum: 300,
    },
  };
}
