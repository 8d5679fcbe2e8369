import { type Config, DEFAULT_QUOTAS } from "./config.js";
import type { DomainSettings } from "./domain/services.js";

/** Defaults a zone gets; timers follow RFC 1912 §2.2 recommendations, negative TTL 300 s. */
export function domainSettings(
  config: Pick<Config, "secret" | "publicUrl" | "nameservers" | "soaRname"> & Partial<Pick<Config, "quotas">>,
): DomainSettings {
  return {
    sessionSecret: config.secret,
    sessionTtlSeconds: 12 * 3600,
    magicLinkTtlSeconds: 15 * 60,
    publicUrl: config.publicUrl,
    magicLinksPerAddressPerWindow: 5,
    magicLinkWindowSeconds: 15 * 60,
    quotas: { ...(config.quotas ?? DEFAULT_QUOTAS) },
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
