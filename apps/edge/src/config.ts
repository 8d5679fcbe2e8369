import { availableParallelism, hostname } from "node:os";
import { z } from "zod";
import { configurationError, ProcessEnv, type ProcessSettings, processSettings } from "./process-env.js";
import { DEFAULT_ANSWER_CACHE_BYTES, DEFAULT_ANSWER_CACHE_ENTRIES } from "./server/answer-cache.js";
import type { RrlOptions } from "./server/response-rate-limit.js";
import type { TcpLimits } from "./server/tcp-front.js";
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
  /** TCP front-end limits; absent: the built-in defaults (TCP_DEFAULTS). */
  tcp?: TcpLimits;
  /** UDP response rate limiting; absent: off. loadEdgeConfig always sets it (on by default). */
  rrl?: RrlOptions;
  /** Bounds of the encoded-answer cache (server/answer-cache.ts). */
  answerCache?: { maxEntries: number; maxBytes: number };
  /** The standalone edge's HTTP health listener (/live, /ready); undefined: off. */
  health?: { host: string; port: number };
  /**
   * The edge's Prometheus listener (GET /metrics, summed over its workers); undefined: off.
   * `token`: when set, a scrape needs `Authorization: Bearer <token>`.
   */
  metrics?: { host: string; port: number; token?: string };
  /**
   * Where opcode-UPDATE messages are forwarded (RFC 2136 §6): the API's update listener. Undefined:
   * UPDATE answers NOTIMP (edges are read-only replicas).
   */
  updateForward?: { host: string; port: number };
  /** Set only in a cluster worker (by its primary): count metrics for the primary's listener. */
  countMetrics?: boolean;
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

/** What an entry point gets: the edge's settings and the ones every process shares (process-env.ts). */
export interface EdgeProcessConfig extends EdgeConfig, ProcessSettings {}

/** A standalone edge process (apps/edge) or the edge the API starts (embedded default). */
export type EdgeRole = "standalone" | "embedded";

/**
 * Reads the edge's settings from the environment (called only by entry points), every variable
 * checked at once like the API's (apps/api/src/config.ts):
 * - LOG_LEVEL, DNSCOVE_DATA_DIR, DATABASE_URL: shared with the API, defaults in process-env.ts
 * - DNS_HOST, DNS_PORT: where to answer (default 127.0.0.1:5353)
 * - EDGE_ID: this edge's name in the servers view (default host name and port)
 * - EDGE_POLL_INTERVAL_MS: how often to look for new snapshots (default 200)
 * - DNSCOVE_TRANSFER_ALLOW: addresses/CIDRs allowed to AXFR/IXFR (default loopback)
 * - DNSCOVE_TSIG_KEYS: `name:base64secret,…` HMAC-SHA256 keys
 * - DNSCOVE_TRANSFER_REQUIRE_TSIG: `true` to refuse unsigned transfers
 * - DNSCOVE_SECONDARIES: `host:port[:keyname],…` to NOTIFY on every publish
 * - EDGE_TCP_* and EDGE_RRL_*: the TCP and UDP abuse limits below (docs/edge-limits.md)
 *
 * Why these defaults:
 * - EDGE_TCP_MAX_CONNECTIONS 1000: RFC 7766 section 6.2.2 asks servers to bound concurrent
 *   connections, and 6.2.3 says a server under pressure may close idle ones (we close the oldest
 *   idle one to admit a new one). BIND's tcp-clients is 150 and Knot's tcp-max-clients defaults
 *   near the process's file limit; 1000 keeps file descriptors and memory small (each connection
 *   holds at most ~200 KiB of input plus its write buffer) while far above real load.
 * - EDGE_TCP_MAX_PER_SOURCE 20: RFC 7766 section 6.2.2 suggests limiting connections per client
 *   address; 20 leaves room for a NAT or a resolver farm behind one address, and a full source only
 *   evicts its own idle connections, never someone else's.
 * - EDGE_TCP_MESSAGE_TIMEOUT_MS 5000 and EDGE_TCP_IDLE_TIMEOUT_MS 10000: RFC 7766 section 6.2.3
 *   recommends idle timeouts of seconds, not minutes; Knot's tcp-idle-timeout and NSD's
 *   tcp-timeout are 10 s, BIND's tcp-initial-timeout is 30 s. A slow-drip client gets no more than
 *   the message timeout, because partial bytes never extend it.
 * - EDGE_TCP_MAX_INFLIGHT 16: RFC 7766 section 6.2.1.1 requires pipelining; BIND processes a
 *   bounded number of pipelined queries per connection (tcp-pipelining) and Knot answers one batch
 *   at a time; 16 keeps a resolver's burst flowing while bounding the queue per connection.
 * - EDGE_TCP_MAX_WRITE_BUFFER 256 KiB: a few of the largest (64 KiB) responses or AXFR messages
 *   (RFC 5936 section 2.2) in flight; beyond it we stop reading until the client reads.
 * - EDGE_TCP_MESSAGES_PER_TURN 8: queries answered per connection before other connections and UDP
 *   get the event loop.
 * - EDGE_RRL_RATE 200, EDGE_RRL_SLIP 2, EDGE_RRL_IPV4_PREFIX 24, EDGE_RRL_IPV6_PREFIX 56: NSD's
 *   defaults (rrl-ratelimit 200, rrl-slip 2, rrl-ipv4-prefix-length 24, rrl-ipv6-prefix-length 56);
 *   Knot and BIND use slip 2 and /24 and /56 too. EDGE_RRL_RATE=0 turns rate limiting off.
 * - EDGE_RRL_TABLE_SIZE 100000: bound on remembered buckets (BIND's max-table-size is 20000, NSD's
 *   rrl-size 1000000); about 10-20 MB at most.
 * - EDGE_RRL_LOG_INTERVAL_MS 10000: how often the dropped/truncated counts are logged while
 *   anything is being limited.
 * - EDGE_ANSWER_CACHE_ENTRIES: most cached encoded answers (default 100000; 0 turns the cache off)
 * - EDGE_ANSWER_CACHE_BYTES: most octets the answer cache holds (default 67108864, 64 MiB)
 * - EDGE_HEALTH_PORT: serve /live and /ready over HTTP on this port (default: off; 0 picks one)
 * - EDGE_HEALTH_HOST: where the health listener binds (default 127.0.0.1)
 * - EDGE_UPDATE_FORWARD: host:port of the API's RFC 2136 update listener; UPDATE messages are
 *   forwarded there unchanged (default: unset, UPDATE answers NOTIMP; the embedded default sets it)
 * - EDGE_METRICS_PORT: serve Prometheus metrics (GET /metrics) on this port (default: off; 0
 *   picks one); with several workers the listener is the primary's and sums theirs
 * - EDGE_METRICS_HOST: where the metrics listener binds (default 127.0.0.1)
 * - EDGE_METRICS_TOKEN: when set, a scrape needs `Authorization: Bearer <token>` (default: unset)
 * - EDGE_WORKERS: serving processes sharing the port (default: every core for a standalone edge
 *   with NODE_ENV=production, otherwise 1)
 * - EDGE_REFRESH_TIMEOUT_MS: how long a publish waits for the workers to load it (default 5000)
 * - EDGE_DB_BUSY_TIMEOUT_MS: SQLite write-lock wait of an edge process (default 20)
 */
export function loadEdgeConfig(env: NodeJS.ProcessEnv, role: EdgeRole = "standalone"): EdgeProcessConfig {
  const parsed = EdgeEnv.safeParse(env);
  if (!parsed.success) throw configurationError(parsed.error.issues);
  const e = parsed.data;
  const problems: string[] = [];
  const tsigKeys: TsigKey[] = [];
  for (const entry of list(e.DNSCOVE_TSIG_KEYS)) {
    const colon = entry.indexOf(":");
    if (colon < 1) problems.push(`DNSCOVE_TSIG_KEYS: "${entry.slice(0, 20)}…" is not name:base64secret`);
    else
      tsigKeys.push({
        name: entry.slice(0, colon),
        algorithm: "hmac-sha256",
        secret: entry.slice(colon + 1),
      });
  }
  const secondaries: Secondary[] = [];
  for (const entry of list(e.DNSCOVE_SECONDARIES)) {
    const match = /^\[?([^\]]+?)\]?:(\d+)(?::(.+))?$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`DNSCOVE_SECONDARIES: "${entry}" is not host:port[:keyname] (port 1 to 65535)`);
      continue;
    }
    const keyName = match[3];
    const tsigKey = keyName ? tsigKeys.find((key) => key.name === keyName) : undefined;
    if (keyName && !tsigKey) problems.push(`DNSCOVE_SECONDARIES: no TSIG key named ${keyName}`);
    else secondaries.push({ host: match[1], port, ...(tsigKey ? { tsigKey } : {}) });
  }
  if (problems.length > 0)
    throw new Error(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  return {
    ...processSettings(e),
    host: e.DNS_HOST,
    port: e.DNS_PORT,
    edgeId: e.EDGE_ID ?? `${hostname()}:${e.DNS_PORT}`,
    pollIntervalMs: e.EDGE_POLL_INTERVAL_MS,
    transfer: {
      allow: list(e.DNSCOVE_TRANSFER_ALLOW),
      tsigKeys,
      requireTsig: e.DNSCOVE_TRANSFER_REQUIRE_TSIG === "true",
    },
    secondaries,
    tcp: {
      maxConnections: e.EDGE_TCP_MAX_CONNECTIONS,
      maxPerSource: e.EDGE_TCP_MAX_PER_SOURCE,
      messageTimeoutMs: e.EDGE_TCP_MESSAGE_TIMEOUT_MS,
      idleTimeoutMs: e.EDGE_TCP_IDLE_TIMEOUT_MS,
      maxInflight: e.EDGE_TCP_MAX_INFLIGHT,
      maxWriteBuffer: e.EDGE_TCP_MAX_WRITE_BUFFER,
      messagesPerTurn: e.EDGE_TCP_MESSAGES_PER_TURN,
    },
    rrl: {
      rate: e.EDGE_RRL_RATE,
      slip: e.EDGE_RRL_SLIP,
      ipv4PrefixLength: e.EDGE_RRL_IPV4_PREFIX,
      ipv6PrefixLength: e.EDGE_RRL_IPV6_PREFIX,
      maxEntries: e.EDGE_RRL_TABLE_SIZE,
      logIntervalMs: e.EDGE_RRL_LOG_INTERVAL_MS,
    },
    answerCache: { maxEntries: e.EDGE_ANSWER_CACHE_ENTRIES, maxBytes: e.EDGE_ANSWER_CACHE_BYTES },
    ...(e.EDGE_UPDATE_FORWARD !== undefined ? { updateForward: hostPort(e.EDGE_UPDATE_FORWARD) } : {}),
    ...(e.EDGE_HEALTH_PORT !== undefined
      ? { health: { host: e.EDGE_HEALTH_HOST, port: e.EDGE_HEALTH_PORT } }
      : {}),
    ...(e.EDGE_METRICS_PORT !== undefined
      ? {
          metrics: {
            host: e.EDGE_METRICS_HOST,
            port: e.EDGE_METRICS_PORT,
            ...(e.EDGE_METRICS_TOKEN ? { token: e.EDGE_METRICS_TOKEN } : {}),
          },
        }
      : {}),
    ...(e.DNSCOVE_EDGE_COUNT_METRICS === "true" ? { countMetrics: true } : {}),
    workers:
      e.EDGE_WORKERS ?? (role === "standalone" && e.NODE_ENV === "production" ? availableParallelism() : 1),
    refreshTimeoutMs: e.EDGE_REFRESH_TIMEOUT_MS,
    dbBusyTimeoutMs: e.EDGE_DB_BUSY_TIMEOUT_MS,
    ...(e.DNSCOVE_EDGE_RECORD_VIA_PRIMARY === "true" ? { recordViaPrimary: true } : {}),
    ...(e.DNSCOVE_EDGE_WORKER_INDEX !== undefined ? { workerIndex: e.DNSCOVE_EDGE_WORKER_INDEX } : {}),
  };
}

/** A whole number from `min` to `max`; unset: `fallback` (an empty value counts as unset). */
function integer(min: number, max: number, fallback: number) {
  return optionalInteger(min, max).default(fallback);
}

function optionalInteger(min: number, max: number) {
  return z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number()
      .int(`must be an integer from ${min} to ${max}`)
      .min(min, `must be an integer from ${min} to ${max}`)
      .max(max, `must be an integer from ${min} to ${max}`)
      .optional(),
  );
}

const flag = z.enum(["true", "false"]).default("false");

const EdgeEnv = ProcessEnv.extend({
  NODE_ENV: z.string().default("development"),
  DNS_HOST: z.string().min(1).default("127.0.0.1"),
  DNS_PORT: integer(0, 65535, 5353),
  EDGE_ID: z.string().min(1).optional(),
  EDGE_POLL_INTERVAL_MS: integer(10, 60_000, 200),
  DNSCOVE_TRANSFER_ALLOW: z.string().default("127.0.0.0/8,::1"),
  DNSCOVE_TSIG_KEYS: z.string().optional(),
  DNSCOVE_TRANSFER_REQUIRE_TSIG: flag,
  DNSCOVE_SECONDARIES: z.string().optional(),
  EDGE_TCP_MAX_CONNECTIONS: integer(1, 1_000_000, 1000),
  EDGE_TCP_MAX_PER_SOURCE: integer(1, 1_000_000, 20),
  EDGE_TCP_MESSAGE_TIMEOUT_MS: integer(100, 3_600_000, 5000),
  EDGE_TCP_IDLE_TIMEOUT_MS: integer(100, 3_600_000, 10_000),
  EDGE_TCP_MAX_INFLIGHT: integer(1, 65_535, 16),
  EDGE_TCP_MAX_WRITE_BUFFER: integer(1024, 1 << 30, 256 * 1024),
  EDGE_TCP_MESSAGES_PER_TURN: integer(1, 65_535, 8),
  EDGE_RRL_RATE: integer(0, 1_000_000, 200),
  EDGE_RRL_SLIP: integer(0, 10, 2),
  EDGE_RRL_IPV4_PREFIX: integer(0, 32, 24),
  EDGE_RRL_IPV6_PREFIX: integer(0, 128, 56),
  EDGE_RRL_TABLE_SIZE: integer(1, 100_000_000, 100_000),
  EDGE_RRL_LOG_INTERVAL_MS: integer(100, 86_400_000, 10_000),
  EDGE_ANSWER_CACHE_ENTRIES: integer(0, 10_000_000, DEFAULT_ANSWER_CACHE_ENTRIES),
  EDGE_ANSWER_CACHE_BYTES: integer(0, 2 ** 40, DEFAULT_ANSWER_CACHE_BYTES),
  EDGE_HEALTH_PORT: optionalInteger(0, 65535),
  EDGE_HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  EDGE_UPDATE_FORWARD: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, "must be host:port")
    .optional(),
  EDGE_METRICS_PORT: optionalInteger(0, 65535),
  EDGE_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  // A guessable token would protect nothing: 16 characters at least, as openssl rand -hex 16 gives.
  EDGE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  EDGE_WORKERS: optionalInteger(1, 256),
  EDGE_REFRESH_TIMEOUT_MS: integer(100, 600_000, 5000),
  EDGE_DB_BUSY_TIMEOUT_MS: integer(0, 60_000, 20),
  // Set only by cluster/edge-workers.ts for the workers it forks.
  DNSCOVE_EDGE_RECORD_VIA_PRIMARY: flag,
  DNSCOVE_EDGE_WORKER_INDEX: optionalInteger(1, 256),
  DNSCOVE_EDGE_COUNT_METRICS: flag,
});

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function hostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  return { host: value.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(value.slice(colon + 1)) };
}
