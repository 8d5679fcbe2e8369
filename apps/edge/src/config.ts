import { availableParallelism, hostname } from "node:os";
import type { Secondary } from "./sync/secondaries.js";
import type { TransferPolicy } from "./transfer/transfer-acl.js";
import type { TsigKey } from "./transfer/tsig.js";

export interface EdgeConfig {
  host: string;
  port: number;
  edgeId: string;
  pollIntervalMs: number;
  transfer: TransferPolicy;
  secondaries: Secondary[];
  /** Serving processes on the one port (node:cluster workers); see cluster/edge-workers.ts. */
  workers: number;
  /** How long the primary waits for every worker to confirm a refresh before giving up. */
  refreshTimeoutMs: number;
  /** SQLite write-lock wait of an edge process (short: better-sqlite3 waits synchronously). */
  dbBusyTimeoutMs: number;
  /** Set only in a cluster worker (by its primary): its number, 1…workers. */
  workerIndex?: number;
  /** Set only in a cluster worker (by its primary): report heartbeat and serials over IPC. */
  recordViaPrimary?: boolean;
}

/** A standalone edge process (apps/edge) or the edge the API starts (embedded default). */
export type EdgeRole = "standalone" | "embedded";

/**
 * Reads the edge's settings from the environment (called only by entry points):
 * - DNS_HOST, DNS_PORT: where to answer (default 127.0.0.1:5353)
 * - EDGE_ID: this edge's name in the servers view (default host name and port)
 * - EDGE_POLL_INTERVAL_MS: how often to look for new snapshots (default 200)
 * - DNSCOVE_TRANSFER_ALLOW: addresses/CIDRs allowed to AXFR/IXFR (default loopback)
 * - DNSCOVE_TSIG_KEYS: `name:base64secret,…` HMAC-SHA256 keys
 * - DNSCOVE_TRANSFER_REQUIRE_TSIG: `true` to refuse unsigned transfers
 * - DNSCOVE_SECONDARIES: `host:port[:keyname],…` to NOTIFY on every publish
 * - EDGE_WORKERS: serving processes sharing the port (default: every core for a standalone edge
 *   with NODE_ENV=production, otherwise 1)
 * - EDGE_REFRESH_TIMEOUT_MS: how long a publish waits for the workers to load it (default 5000)
 * - EDGE_DB_BUSY_TIMEOUT_MS: SQLite write-lock wait of an edge process (default 20)
 */
export function loadEdgeConfig(env: NodeJS.ProcessEnv, role: EdgeRole = "standalone"): EdgeConfig {
  const host = env.DNS_HOST ?? "127.0.0.1";
  const port = integer(env.DNS_PORT ?? "5353", "DNS_PORT", 0, 65535);
  const tsigKeys: TsigKey[] = list(env.DNSCOVE_TSIG_KEYS).map((entry) => {
    const colon = entry.indexOf(":");
    if (colon < 1) throw new Error(`DNSCOVE_TSIG_KEYS: "${entry.slice(0, 20)}…" is not name:base64secret`);
    return { name: entry.slice(0, colon), algorithm: "hmac-sha256", secret: entry.slice(colon + 1) };
  });
  const secondaries: Secondary[] = list(env.DNSCOVE_SECONDARIES).map((entry) => {
    const match = /^\[?([^\]]+?)\]?:(\d+)(?::(.+))?$/.exec(entry);
    if (!match?.[1] || !match[2])
      throw new Error(`DNSCOVE_SECONDARIES: "${entry}" is not host:port[:keyname]`);
    const keyName = match[3];
    const tsigKey = keyName ? tsigKeys.find((key) => key.name === keyName) : undefined;
    if (keyName && !tsigKey) throw new Error(`DNSCOVE_SECONDARIES: no TSIG key named ${keyName}`);
    return {
      host: match[1],
      port: integer(match[2], "DNSCOVE_SECONDARIES port", 1, 65535),
      ...(tsigKey ? { tsigKey } : {}),
    };
  });
  return {
    host,
    port,
    edgeId: env.EDGE_ID ?? `${hostname()}:${port}`,
    pollIntervalMs: integer(env.EDGE_POLL_INTERVAL_MS ?? "200", "EDGE_POLL_INTERVAL_MS", 10, 60_000),
    transfer: {
      allow: list(env.DNSCOVE_TRANSFER_ALLOW ?? "127.0.0.0/8,::1"),
      tsigKeys,
      requireTsig: env.DNSCOVE_TRANSFER_REQUIRE_TSIG === "true",
    },
    secondaries,
    workers: integer(
      env.EDGE_WORKERS ??
        String(role === "standalone" && env.NODE_ENV === "production" ? availableParallelism() : 1),
      "EDGE_WORKERS",
      1,
      256,
    ),
    refreshTimeoutMs: integer(env.EDGE_REFRESH_TIMEOUT_MS ?? "5000", "EDGE_REFRESH_TIMEOUT_MS", 100, 600_000),
    dbBusyTimeoutMs: integer(env.EDGE_DB_BUSY_TIMEOUT_MS ?? "20", "EDGE_DB_BUSY_TIMEOUT_MS", 0, 60_000),
    ...(env.DNSCOVE_EDGE_RECORD_VIA_PRIMARY === "true" ? { recordViaPrimary: true } : {}),
    ...(env.DNSCOVE_EDGE_WORKER_INDEX
      ? { workerIndex: integer(env.DNSCOVE_EDGE_WORKER_INDEX, "DNSCOVE_EDGE_WORKER_INDEX", 1, 256) }
      : {}),
  };
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name}: must be an integer from ${min} to ${max}`);
  return n;
}
