import type { Server } from "node:http";
import type { Express } from "express";

export interface ListenOptions {
  port: number;
  host: string;
  /** server.keepAliveTimeout: how long an idle connection stays open (DNSCOVE_HTTP_KEEPALIVE_MS). */
  keepAliveMs: number;
}

/**
 * Serves the app with keep-alive set for life behind a load balancer. A balancer reuses idle
 * connections to its targets; if we closed one first (Node's default is 5 s) while the balancer was
 * sending on it, that request fails with a reset (the ALB answers 502). So we keep idle connections
 * longer than the balancer does (AWS ALB idle timeout 60 s, GCP 600 s: set it above yours) and the
 * balancer closes first. The header timeout must be longer still, or Node would drop a connection
 * that has sat idle past it before a request's headers arrived.
 */
export function listen(app: Express, options: ListenOptions, onListening?: () => void): Server {
  const server = app.listen(options.port, options.host, onListening);
  server.keepAliveTimeout = options.keepAliveMs;
  server.headersTimeout = options.keepAliveMs + 5_000;
  // requestTimeout bounds a whole request and must not be below headersTimeout (Node checks).
  server.requestTimeout = Math.max(server.requestTimeout, server.headersTimeout + 5_000);
  return server;
}
