import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configurationError, ProcessEnv, processSettings } from "@dnscove/edge";
import { z } from "zod";
import type { UpdateListenerLimits } from "./dns-update/update-listener.js";
import { parseTrustProxy, TRUST_NONE, type TrustProxy } from "./http/trust-proxy.js";

/** Used when DNSCOVE_SECRET is unset; refused in production. */
export const DEVELOPMENT_SECRET = "dnscove-development-secret-do-not-use-in-production";

/**
 * Used when DNSCOVE_DNSSEC_KEY_SECRET is unset outside production: DNSSEC works out of the box for a
 * developer. In production an unset secret means enabling DNSSEC is refused (DNSSEC_UNAVAILABLE);
 * see docs/dnssec.md for why it is a secret of its own rather than DNSCOVE_SECRET.
 */
export const DEVELOPMENT_DNSSEC_KEY_SECRET = "dnscove-development-dnssec-key-secret-do-not-use-in-production";

/** Days a ZSK signs before the automatic pre-publish rollover starts (DNSCOVE_DNSSEC_ZSK_LIFETIME_DAYS). */
export const DEFAULT_DNSSEC_ZSK_LIFETIME_DAYS = 90;
/**
 * Seconds added to every rollover wait for the new state to reach every edge and secondary and for
 * resolvers' caches (DNSCOVE_DNSSEC_PROPAGATION_SECONDS); RFC 7583 section 3.3 calls it the
 * propagation delay. One hour.
 */
export const DEFAULT_DNSSEC_PROPAGATION_SECONDS = 3600;

/** Zones one tenant may hold (DNSCOVE_MAX_ZONES_PER_TENANT). */
export const DEFAULT_MAX_ZONES_PER_TENANT = 1000;
/** Rrsets one zone may hold (DNSCOVE_MAX_RRSETS_PER_ZONE): room for a 500,000-rrset zone, twice over. */
export const DEFAULT_MAX_RRSETS_PER_ZONE = 1_000_000;
/** Largest request body (DNSCOVE_MAX_BODY_BYTES): a batch of 1,000 40-record TXT rrsets (3 MB) fits. */
export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
/**
 * Largest body of a Route53 import (DNSCOVE_MAX_IMPORT_BYTES): the pretty-printed `aws route53
 * list-resource-record-sets` output of a 100,000-rrset zone (about 27 MB as a JSON string) fits twice.
 */
export const DEFAULT_MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** Days every published serial stays rebuildable (DNSCOVE_HISTORY_RETENTION_DAYS). */
export const DEFAULT_HISTORY_RETENTION_DAYS = 30;
/** Share of a zone's rrsets one change may delete without `confirm_mass_delete` (DNSCOVE_MASS_DELETE_SHARE). */
export const DEFAULT_MASS_DELETE_SHARE = 0.25;
/** Fewer deletions than this never need confirming, whatever the share (DNSCOVE_MASS_DELETE_MIN). */
export const DEFAULT_MASS_DELETE_MIN = 10;

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/;

// LOG_LEVEL, DNSCOVE_DATA_DIR and DATABASE_URL come from ProcessEnv: the edge reads them alike.
const Env = ProcessEnv.extend({
  NODE_ENV: z.string().default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  DNSCOVE_SECRET: z.string().min(32, "must be at least 32 characters").default(DEVELOPMENT_SECRET),
  DNSCOVE_PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("DNSCove <no-reply@dnscove.localhost>"),
  DNSCOVE_NAMESERVERS: z.string().default("ns1.dnscove.com,ns2.dnscove.com"),
  DNSCOVE_SOA_RNAME: z.string().default("hostmaster.dnscove.com"),
  DNSCOVE_EMBEDDED_EDGE: z.enum(["true", "false"]).default("true"),
  DNSCOVE_RESOLVER: z.string().regex(HOST_PORT, "must be host:port").default("127.0.0.1:53"),
  DNSCOVE_AUTHORITATIVE_PORT: z.coerce.number().int().min(1).max(65535).default(53),
  DNSCOVE_PARITY_EDGE: z.string().regex(HOST_PORT, "must be host:port").optional(),
  DNSCOVE_PUBLISH_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  DNSCOVE_DB_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  DNSCOVE_CONSOLE_DIR: z.string().optional(),
  DNSCOVE_DNSSEC_KEY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  DNSCOVE_DNSSEC_ZSK_LIFETIME_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(DEFAULT_DNSSEC_ZSK_LIFETIME_DAYS),
  DNSCOVE_DNSSEC_PROPAGATION_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(DEFAULT_DNSSEC_PROPAGATION_SECONDS),
  DNSCOVE_MAX_ZONES_PER_TENANT: z.coerce.number().int().min(1).default(DEFAULT_MAX_ZONES_PER_TENANT),
  DNSCOVE_MAX_RRSETS_PER_ZONE: z.coerce.number().int().min(1).default(DEFAULT_MAX_RRSETS_PER_ZONE),
  DNSCOVE_HISTORY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(36_500)
    .default(DEFAULT_HISTORY_RETENTION_DAYS),
  DNSCOVE_MASS_DELETE_SHARE: z.coerce.number().gt(0).max(1).default(DEFAULT_MASS_DELETE_SHARE),
  DNSCOVE_MASS_DELETE_MIN: z.coerce.number().int().min(1).default(DEFAULT_MASS_DELETE_MIN),
  DNSCOVE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_BODY_BYTES),
  DNSCOVE_MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_IMPORT_BYTES),
  DNSCOVE_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return value === undefined ? TRUST_NONE : parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `${(error as Error).message} (expected none, a hop count, or addresses/CIDRs separated by commas)`,
        });
        return z.NEVER;
      }
    }),
  // Longer than the idle timeout of any balancer in front (AWS ALB 60 s), so the balancer, not
  // us, closes idle connections and never sends a request on a socket we are closing.
  DNSCOVE_HTTP_KEEPALIVE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(65_000),
  DNSCOVE_MAGIC_LINKS_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).optional(),
  DNSCOVE_MAGIC_LINKS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  // A guessable token would protect nothing: 16 characters at least, as openssl rand -hex 16 gives.
  DNSCOVE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  DNSCOVE_UPDATE_HOST: z.string().min(1).default("127.0.0.1"),
  // 0: a free port, which the embedded edge is told; a standalone edge needs a fixed one.
  DNSCOVE_UPDATE_PORT: z.union([z.literal("off"), z.coerce.number().int().min(0).max(65535)]).default(0),
  // Updates are few (one client per zone, a handful of messages): far below the edge's query
  // limits (EDGE_TCP_*), with the same deadlines (RFC 7766 §6.2.3). An edge forwards each update on
  // a connection of its own held until published, and is one source for all its clients (the
  // embedded default's only one), so the per-source cap is half the total, not the edge's 20.
  DNSCOVE_UPDATE_TCP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  DNSCOVE_UPDATE_TCP_MAX_PER_SOURCE: z.coerce.number().int().min(1).max(100_000).default(50),
  DNSCOVE_UPDATE_TCP_MESSAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  DNSCOVE_UPDATE_TCP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // 65,535: the largest a TCP frame can carry (RFC 1035 §4.2.2), so no client is cut short by
  // default (external-dns batches 100 changes per message); lower it to bound memory further.
  DNSCOVE_UPDATE_MAX_MESSAGE_BYTES: z.coerce.number().int().min(512).max(65_535).default(65_535),
});

export interface Config {
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  secret: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  /**
   * No SMTP_URL: sign-in links come back in API answers instead of being mailed, and sign-in
   * limits are relaxed (settings.ts). Never true in production, which refuses to start so.
   */
  developmentMailer: boolean;
  mailFrom: string;
  nameservers: string[];
  soaRname: string;
  publishIntervalMs: number;
  /** Longest one database transaction may take, lock waits included. */
  transactionTimeoutMs: number;
  /** Run an edge (DNS server) in this process: the embedded default. */
  embeddedEdge: boolean;
  /** Recursive resolver for the delegation and parity checks. */
  resolver: { host: string; port: number };
  /** Port of authoritative servers found by name (parent zone, old provider): 53 but in tests. */
  authoritativePort: number;
  /** Where the parity check asks our side; default: the embedded edge (DNS_HOST:DNS_PORT). */
  parityEdge: { host: string; port: number } | undefined;
  logLevel: string;
  /** Peers believed about the client's address in X-Forwarded-For (default: none). */
  trustProxy: TrustProxy;
  /** How long an idle HTTP connection stays open (server.keepAliveTimeout). */
  httpKeepAliveMs: number;
  /** Sign-in links per client address / per mailbox per window; undefined = settings.ts default. */
  magicLinksPerClient: number | undefined;
  magicLinksPerAddress: number | undefined;
  /** The console's built files, served at `/`; undefined when the folder does not exist. */
  consoleDir: string | undefined;
  /** Per-tenant quotas; a call that would exceed one answers 409 QUOTA_EXCEEDED. */
  quotas: Quotas;
  /** Largest request bodies in bytes (after decompression); a larger one answers 413. */
  bodyLimits: BodyLimits;
  /** Snapshot history kept, and the brake on mass deletes. */
  history: HistoryConfig;
  /** When set, `GET /metrics` needs `Authorization: Bearer <it>`; unset, it is open on the listener. */
  metricsToken: string | undefined;
  /**
   * DNSSEC (issue 16): the secret sealing private keys (undefined: production without
   * DNSCOVE_DNSSEC_KEY_SECRET, DNSSEC cannot be enabled), the ZSK lifetime and the propagation delay.
   */
  dnssec: { keySecret: string | undefined; zskLifetimeDays: number; propagationSeconds: number };
  /**
   * The RFC 2136 update listener (UDP and TCP); port 0 picks a free one; undefined (`off`): none.
   * Edges forward UPDATE messages here (EDGE_UPDATE_FORWARD; the embedded edge is set up itself).
   */
  update: { host: string; port: number; limits: UpdateListenerLimits } | undefined;
}

export interface HistoryConfig {
  retentionDays: number;
  massDeleteShare: number;
  massDeleteMin: number;
}

export const DEFAULT_HISTORY: Readonly<HistoryConfig> = Object.freeze({
  retentionDays: DEFAULT_HISTORY_RETENTION_DAYS,
  massDeleteShare: DEFAULT_MASS_DELETE_SHARE,
  massDeleteMin: DEFAULT_MASS_DELETE_MIN,
});

export interface BodyLimits {
  /** every route but the import */
  default: number;
  /** `POST /api/import/route53`: a whole zone in one body */
  import: number;
}

export const DEFAULT_BODY_LIMITS: Readonly<BodyLimits> = Object.freeze({
  default: DEFAULT_MAX_BODY_BYTES,
  import: DEFAULT_MAX_IMPORT_BYTES,
});

export interface Quotas {
  zonesPerTenant: number;
  rrsetsPerZone: number;
}

export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({
  zonesPerTenant: DEFAULT_MAX_ZONES_PER_TENANT,
  rrsetsPerZone: DEFAULT_MAX_RRSETS_PER_ZONE,
});

/** apps/console/dist, seen from apps/api/dist/src/config.js (the built API). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL("../../../console/dist", import.meta.url));

function consoleDir(configured: string | undefined): string | undefined {
  const dir = path.resolve(configured ?? DEFAULT_CONSOLE_DIR);
  return existsSync(path.join(dir, "index.html")) ? dir : undefined;
}

function hostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  return { host: value.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(value.slice(colon + 1)) };
}

/**
 * The URL of the listening address, the default DNSCOVE_PUBLIC_URL: a sign-in link then opens on
 * the host the browser already uses (a link to localhost from a page on 127.0.0.1 starts a session
 * in another origin). A wildcard address is reached through loopback.
 */
export function listeningUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

const absolute = (name: string) => `${name.trim().toLowerCase().replace(/\.$/, "")}.`;

/**
 * Reads the environment once. Throws with every problem listed; in production it refuses the
 * development mailer and the default secret rather than run insecurely.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw configurationError(parsed.error.issues);
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const problems: string[] = [];
  if (production && e.DNSCOVE_SECRET === DEVELOPMENT_SECRET)
    problems.push("  DNSCOVE_SECRET: must be set in production");
  if (production && !e.SMTP_URL)
    problems.push("  SMTP_URL: must be set in production (no development mailer)");
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  const { dataDir, databaseUrl, logLevel } = processSettings(e);
  return Object.freeze({
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl,
    secret: e.DNSCOVE_SECRET,
    publicUrl: (e.DNSCOVE_PUBLIC_URL ?? listeningUrl(e.HOST, e.PORT)).replace(/\/$/, ""),
    smtpUrl: e.SMTP_URL,
    developmentMailer: !e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    nameservers: e.DNSCOVE_NAMESERVERS.split(",")
      .filter((ns) => ns.trim())
      .map(absolute),
    soaRname: absolute(e.DNSCOVE_SOA_RNAME),
    publishIntervalMs: e.DNSCOVE_PUBLISH_INTERVAL_MS,
    transactionTimeoutMs: e.DNSCOVE_DB_TRANSACTION_TIMEOUT_MS,
    embeddedEdge: e.DNSCOVE_EMBEDDED_EDGE === "true",
    resolver: hostPort(e.DNSCOVE_RESOLVER),
    authoritativePort: e.DNSCOVE_AUTHORITATIVE_PORT,
    parityEdge: e.DNSCOVE_PARITY_EDGE ? hostPort(e.DNSCOVE_PARITY_EDGE) : undefined,
    logLevel,
    trustProxy: e.DNSCOVE_TRUST_PROXY,
    httpKeepAliveMs: e.DNSCOVE_HTTP_KEEPALIVE_MS,
    magicLinksPerClient: e.DNSCOVE_MAGIC_LINKS_PER_CLIENT,
    magicLinksPerAddress: e.DNSCOVE_MAGIC_LINKS_PER_ADDRESS,
    consoleDir: consoleDir(e.DNSCOVE_CONSOLE_DIR),
    quotas: {
      zonesPerTenant: e.DNSCOVE_MAX_ZONES_PER_TENANT,
      rrsetsPerZone: e.DNSCOVE_MAX_RRSETS_PER_ZONE,
    },
    bodyLimits: { default: e.DNSCOVE_MAX_BODY_BYTES, import: e.DNSCOVE_MAX_IMPORT_BYTES },
    history: {
      retentionDays: e.DNSCOVE_HISTORY_RETENTION_DAYS,
      massDeleteShare: e.DNSCOVE_MASS_DELETE_SHARE,
      massDeleteMin: e.DNSCOVE_MASS_DELETE_MIN,
    },
    metricsToken: e.DNSCOVE_METRICS_TOKEN,
    dnssec: {
      keySecret: e.DNSCOVE_DNSSEC_KEY_SECRET ?? (production ? undefined : DEVELOPMENT_DNSSEC_KEY_SECRET),
      zskLifetimeDays: e.DNSCOVE_DNSSEC_ZSK_LIFETIME_DAYS,
      propagationSeconds: e.DNSCOVE_DNSSEC_PROPAGATION_SECONDS,
    },
    update:
      e.DNSCOVE_UPDATE_PORT === "off"
        ? undefined
        : {
            host: e.DNSCOVE_UPDATE_HOST,
            port: e.DNSCOVE_UPDATE_PORT,
            limits: {
              maxConnections: e.DNSCOVE_UPDATE_TCP_MAX_CONNECTIONS,
              maxPerSource: e.DNSCOVE_UPDATE_TCP_MAX_PER_SOURCE,
              messageTimeoutMs: e.DNSCOVE_UPDATE_TCP_MESSAGE_TIMEOUT_MS,
              idleTimeoutMs: e.DNSCOVE_UPDATE_TCP_IDLE_TIMEOUT_MS,
              maxMessageBytes: e.DNSCOVE_UPDATE_MAX_MESSAGE_BYTES,
            },
          },
  });
}
