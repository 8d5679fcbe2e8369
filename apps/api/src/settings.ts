import {
  type Config,
  DEFAULT_DNSSEC_PROPAGATION_SECONDS,
  DEFAULT_DNSSEC_ZSK_LIFETIME_DAYS,
  DEFAULT_HISTORY,
  DEFAULT_QUOTAS,
  DEVELOPMENT_DNSSEC_KEY_SECRET,
} from "./config.js";
import type { DomainSettings } from "./domain/domain-settings.js";

/**
 * The one definition of the sign-in rate-limit policy: per fixed 15-minute window, at most 30
 * links per client address (one office or NAT signs in several people) and 5 per mailbox (nobody
 * needs more, and a victim's inbox is not flooded). Counters live in the database, shared by every
 * API process; DNSCOVE_MAGIC_LINKS_PER_CLIENT / _PER_ADDRESS change the counts.
 */
export const MAGIC_LINK_LIMITS = { perClient: 30, perAddress: 5, windowSeconds: 15 * 60 } as const;

/**
 * The defaults with the development mailer (no SMTP_URL, never in production: config.ts refuses
 * it): no mail is sent, so there is no inbox to flood, and a developer following the README, a
 * guide and the console signs in far more than 5 times in 15 minutes. Still bounded, so a runaway
 * script shows up as 429 rather than a table of millions of links.
 */
export const DEVELOPMENT_MAGIC_LINK_LIMITS = {
  perClient: 1000,
  perAddress: 1000,
  windowSeconds: 15 * 60,
} as const;

/** The sign-in limits for a configuration: relaxed only with the development mailer. */
export function magicLinkLimits(config: Partial<Pick<Config, "developmentMailer">>) {
  return config.developmentMailer ? DEVELOPMENT_MAGIC_LINK_LIMITS : MAGIC_LINK_LIMITS;
}

/** Defaults a zone gets; timers follow RFC 1912 §2.2 recommendations, negative TTL 300 s. */
export function domainSettings(
  config: Pick<Config, "secret" | "publicUrl" | "nameservers" | "soaRname"> &
    Partial<
      Pick<
        Config,
        "quotas" | "magicLinksPerClient" | "magicLinksPerAddress" | "developmentMailer" | "history" | "dnssec"
      >
    >,
): DomainSettings {
  const limits = magicLinkLimits(config);
  return {
    sessionSecret: config.secret,
    sessionTtlSeconds: 12 * 3600,
    magicLinkTtlSeconds: 15 * 60,
    publicUrl: config.publicUrl,
    quotas: { ...(config.quotas ?? DEFAULT_QUOTAS) },
    history: {
      retentionDays: (config.history ?? DEFAULT_HISTORY).retentionDays,
      massDelete: {
        share: (config.history ?? DEFAULT_HISTORY).massDeleteShare,
        minimum: (config.history ?? DEFAULT_HISTORY).massDeleteMin,
      },
    },
    rateLimits: {
      magicLinkPerClient: {
        name: "magic-link:client",
        limit: config.magicLinksPerClient ?? limits.perClient,
        windowSeconds: limits.windowSeconds,
      },
      magicLinkPerAddress: {
        name: "magic-link:address",
        limit: config.magicLinksPerAddress ?? limits.perAddress,
        windowSeconds: limits.windowSeconds,
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
    dnssec: {
      keySecret: config.dnssec ? config.dnssec.keySecret : DEVELOPMENT_DNSSEC_KEY_SECRET,
      // RFC 6781 section 4.1.4: the DNSKEY TTL bounds how fast a rollover can move; an hour is common.
      dnskeyTtl: 3600,
      zskLifetimeSeconds: (config.dnssec?.zskLifetimeDays ?? DEFAULT_DNSSEC_ZSK_LIFETIME_DAYS) * 86_400,
      propagationSeconds: config.dnssec?.propagationSeconds ?? DEFAULT_DNSSEC_PROPAGATION_SECONDS,
    },
  };
}
