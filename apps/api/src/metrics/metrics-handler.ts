import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Registry } from "prom-client";
import { UnauthenticatedError } from "../domain/errors.js";
import { sendProblem, toProblem } from "../http/problem.js";

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
  if (!presented) return false;
  // Hash both sides so the comparison neither leaks the token's length nor needs equal lengths.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * `GET /metrics` in Prometheus's text exposition format. With a token, a scrape without
 * `Authorization: Bearer <token>` answers 401 (problem+json, as every API error) and nothing is
 * collected; without one the endpoint is open to whoever reaches the listener.
 */
export function metricsHandler(registry: Registry, token: string | undefined): RequestHandler {
  return async (req: Request, res: Response) => {
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      const problem = toProblem(
        new UnauthenticatedError("GET /metrics needs `Authorization: Bearer <DNSCOVE_METRICS_TOKEN>`."),
        randomUUID(),
      );
      sendProblem(res, problem);
      return;
    }
    try {
      const body = await registry.metrics();
      res.setHeader("Cache-Control", "no-store");
      res.type(registry.contentType).send(body);
    } catch {
      res.status(500).type("text/plain").send("metrics collection failed\n");
    }
  };
}
