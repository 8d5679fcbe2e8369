import { randomUUID } from "node:crypto";
import { bearerMatches } from "@dnscove/edge";
import type { Request, RequestHandler, Response } from "express";
import type { Registry } from "prom-client";
import { UnauthenticatedError } from "../domain/errors.js";
import { sendProblem, toProblem } from "../http/problem.js";

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
