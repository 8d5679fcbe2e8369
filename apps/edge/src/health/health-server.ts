import { createServer, type Server } from "node:http";
import { type HttpListener, listenHttp } from "../http/listen-http.js";
import type { SyncStatus } from "../sync/snapshot-sync.js";

export interface EdgeHealthSource {
  /** How many zones the edge serves now (from the database or its on-disk cache). */
  zoneCount(): number;
  /** True once the edge has loaded what it serves: its cache at start, or a first sync. */
  loaded(): boolean;
  sync(): SyncStatus;
}

export interface EdgeHealthReport {
  status: "ok" | "not-ready";
  zones: number;
  database: "reachable" | "unreachable";
  /** Seconds since the last successful sync with the database; null if none yet. */
  last_sync_age_seconds: number | null;
  unreachable_since: string | null;
}

export type HealthServer = HttpListener;

/**
 * The standalone edge's own health over HTTP, for a supervisor or load balancer:
 * - `GET /live`: 200 while the process runs.
 * - `GET /ready`: 200 while the edge answers DNS from loaded zones, even with the database down
 *   (it serves its cache; the report says `database: "unreachable"` and how old its data is);
 *   503 only before anything is loaded.
 * Answers JSON; any other path is 404. Off unless EDGE_HEALTH_PORT is set (config.ts).
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  source: EdgeHealthSource;
}): Promise<HealthServer> {
  const { source } = options;
  const report = (): EdgeHealthReport => {
    const sync = source.sync();
    return {
      status: source.loaded() ? "ok" : "not-ready",
      zones: source.zoneCount(),
      database: sync.databaseReachable ? "reachable" : "unreachable",
      last_sync_age_seconds: sync.lastSuccessAt === null ? null : (Date.now() - sync.lastSuccessAt) / 1000,
      unreachable_since:
        sync.unreachableSince === null ? null : new Date(sync.unreachableSince).toISOString(),
    };
  };
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, { error: "method not allowed" });
    if (path === "/live") return send(200, { status: "ok" });
    if (path === "/ready") {
      const body = report();
      return send(body.status === "ok" ? 200 : 503, body);
    }
    send(404, { error: "not found" });
  });
  return listenHttp(server, options.host, options.port);
}
