import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type HttpListener, listenHttp } from "../http/listen-http.js";

/** True when `header` is `Bearer <token>` (compared in constant time over digests). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
  if (!presented) return false;
  // Digests on both sides: the comparison leaks neither the token's length nor needs equal lengths.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

export type MetricsServer = HttpListener;

/**
 * An edge's Prometheus listener: `GET /metrics` answers `collect()` in the text exposition
 * format; with a token, only to `Authorization: Bearer <token>` (else 401). Any other path is 404.
 * Off unless EDGE_METRICS_PORT is set (config.ts).
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  token?: string | undefined;
  collect(): Promise<{ contentType: string; body: string }>;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        ...headers,
      });
      res.end(JSON.stringify({ type: "about:blank", status, code, detail }));
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") return problem(404, "NOT_FOUND", "Only /metrics is served here.");
    if (req.method !== "GET" && req.method !== "HEAD")
      return problem(405, "METHOD_NOT_ALLOWED", "GET /metrics only.", { allow: "GET, HEAD" });
    if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
      return problem(
        401,
        "UNAUTHENTICATED",
        "GET /metrics needs `Authorization: Bearer <EDGE_METRICS_TOKEN>`.",
        {
          "www-authenticate": 'Bearer realm="metrics"',
        },
      );
    }
    options.collect().then(
      ({ contentType, body }) => {
        res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      () => problem(500, "INTERNAL", "Collecting the metrics failed."),
    );
  });
  return listenHttp(server, options.host, options.port);
}
