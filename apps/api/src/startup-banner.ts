import type { DatabaseTarget } from "@dnscove/db";

export interface BannerFacts {
  /** Where the HTTP server really listens, e.g. http://127.0.0.1:8080 (the real port, never 0). */
  url: string;
  /** Whether the console's built files are served at `/`. */
  console: boolean;
  /** The embedded edge's real address; undefined when DNSCOVE_EMBEDDED_EDGE=false. */
  dns: { host: string; port: number } | undefined;
  database: DatabaseTarget;
}

/**
 * The one plain line a person reads once the API and its DNS server listen (the JSON log lines
 * are for machines): what to open, where DNS answers, and where the data is, so resetting it is
 * one `rm`. A PostgreSQL URL is shown without its password.
 */
export function startupBanner(facts: BannerFacts): string {
  const dns = facts.dns ? `${hostPort(facts.dns.host, facts.dns.port)} (udp/tcp)` : "not embedded";
  const console = facts.console ? `${facts.url}/` : "not built (pnpm --filter @dnscove/console build)";
  return `DNSCove is running — console ${console}  API ${facts.url}/api  DNS ${dns}  data ${where(facts.database)}`;
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function where(database: DatabaseTarget): string {
  if (database.provider === "sqlite") return database.location;
  try {
    const url = new URL(database.location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres";
  }
}
