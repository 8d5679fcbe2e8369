import { hostname } from "node:os";
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
  /** The standalone edge's HTTP health listener (/live, /ready); undefined: off. */
  health?: { host: string; port: number };
}

/**
 * Reads the edge's settings from the environment (called only by entry points):
 * - DNS_HOST, DNS_PORT: where to answer (default 127.0.0.1:5353)
 * - EDGE_ID: this edge's name in the servers view (default host name and port)
 * - EDGE_POLL_INTERVAL_MS: how often to look for new snapshots (default 200)
 * - DNSCOVE_TRANSFER_ALLOW: addresses/CIDRs allowed to AXFR/IXFR (default loopback)
 * - DNSCOVE_TSIG_KEYS: `name:base64secret,…` HMAC-SHA256 keys
 * - DNSCOVE_TRANSFER_REQUIRE_TSIG: `true` to refuse unsigned transfers
 * - DNSCOVE_SECONDARIES: `host:port[:keyname],…` to NOTIFY on every publish
 * - EDGE_HEALTH_PORT: serve /live and /ready over HTTP on this port (default: off; 0 picks one)
 * - EDGE_HEALTH_HOST: where the health listener binds (default 127.0.0.1)
 */
export function loadEdgeConfig(env: NodeJS.ProcessEnv): EdgeConfig {
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
    ...(env.EDGE_HEALTH_PORT
      ? {
          health: {
            host: env.EDGE_HEALTH_HOST ?? "127.0.0.1",
            port: integer(env.EDGE_HEALTH_PORT, "EDGE_HEALTH_PORT", 0, 65535),
          },
        }
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
