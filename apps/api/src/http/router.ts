import { randomUUID } from "node:crypto";
import { isDatabaseUnavailable } from "@dnscove/db";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { BodyLimits } from "../config.js";
import { type Actor, authorize, type RequestContext } from "../domain/actor.js";
import { authenticate } from "../domain/auth/authenticate.js";
import { DatabaseUnavailableError, DomainError, UnauthenticatedError } from "../domain/errors.js";
import type { Services } from "../domain/services.js";
import type { Logger } from "../lib/logger.js";
import { sendProblem, TransportError, toProblem } from "./problem.js";
import type { Route } from "./route.js";
import { RouteTable } from "./route-table.js";
import { validateBody } from "./validate-body.js";

/** A route in the table, with its full path pattern (the `route` label of its metrics). */
interface MountedRoute {
  route: Route;
  pattern: string;
}

/** The `route` label of requests no route matched (404s to unknown paths): one series, not one per path. */
export const UNMATCHED_ROUTE = "unmatched";

/** The credential of `Authorization: Bearer <token>`, or with `allowBasic`, the password of Basic. */
function credential(req: Request, allowBasic: boolean): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = allowBasic ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0 && colon < decoded.length - 1) return decoded.slice(colon + 1);
  }
  throw new UnauthenticatedError(
    `The Authorization header must be \`Bearer <token>\`${allowBasic ? " or Basic with the token as password" : ""}.`,
  );
}

/**
 * Mounts the route table on an Express router. Order per request: authenticate (401) and check the
 * route's access (403), then parse the body and validate it (400) against the same zod schemas the
 * OpenAPI document is built from, then the handler; one error middleware answers every problem.
 */
export function createApiRouter(
  services: Services,
  routes: readonly Route[],
  openApiDocument: unknown,
  bodyLimits: BodyLimits,
): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    // One line per request: method, route path and status only. Bodies and headers carry
    // credentials and are never logged.
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route's pattern (set once a route matched), never the raw path: ids in paths would
      // make a series per zone (issue 17).
      const labels = {
        route: typeof res.locals.routePattern === "string" ? res.locals.routePattern : UNMATCHED_ROUTE,
        method: req.method,
        status: String(res.statusCode),
      };
      services.metrics.httpRequests.inc(labels);
      services.metrics.httpDuration.observe(labels, seconds);
      services.logger.info(
        {
          requestId,
          method: req.method,
          path: req.baseUrl + req.path,
          status: res.statusCode,
          ms: seconds * 1e3,
        },
        "request",
      );
    });
    next();
  });
  // The published curl examples send JSON without a Content-Type: parse every body as JSON. Bodies
  // are read only after the caller is authenticated and authorized (401/403 before 400).
  const parseJson = express.json({ type: () => true, limit: bodyLimits.default });
  // A Route53 import carries a whole zone in one body; only that route takes the larger limit.
  const parseLargeJson = express.json({ type: () => true, limit: bodyLimits.import });
  /** One request to `route`, whose path matched: admit, read the body, validate, answer. */
  const serve = async (mounted: MountedRoute, req: Request, res: Response): Promise<void> => {
    const { route } = mounted;
    res.locals.routePattern = mounted.pattern;
    const request = requestContext(req, res);
    const actor = route.auth === "none" ? undefined : await admit(route, req, request);
    await runMiddleware(route.largeBody ? parseLargeJson : parseJson, req, res);
    const query = route.query ? validateBody(route.query, { ...req.query }) : undefined;
    const body = route.body ? validateBody(route.body, req.body) : undefined;
    // The request's child logger is made on first use: most handlers never log, and a pino child
    // per request was a measurable share of a single-rrset change (issue 14).
    let log: Logger | undefined;
    const result = await route.handle({
      services,
      actor: actor as Actor,
      params: req.params as Record<string, string>,
      body,
      query,
      clientIp: req.ip ?? "unknown",
      request,
      get log() {
        log ??= services.logger.child({ requestId: res.locals.requestId, operation: route.operationId });
        return log;
      },
    });
    const dryRun = route.dryRun && (body as { dry_run?: unknown } | undefined)?.dry_run === true;
    const status = dryRun && route.dryRun ? route.dryRun.status : route.success.status;
    if (status === 204) res.status(204).end();
    else if (route.success.mediaType) res.status(status).type(route.success.mediaType).send(String(result));
    else res.status(status).json(result);
  };
  /** Authenticate (401), then check the route's access (403), before any body is read. */
  const admit = async (route: Route, req: Request, request: RequestContext): Promise<Actor> => {
    const actor = await authenticate(services, credential(req, route.auth === "basic"), request);
    if (route.access) {
      authorize(actor, route.access, route.path.startsWith("/zones/:id") ? String(req.params.id) : undefined);
    }
    return actor;
  };
  const table = new RouteTable<MountedRoute>();
  for (const route of routes) table.add(route.method, route.path, { route, pattern: `/api${route.path}` });
  router.use((req, res, next) => {
    const match = table.find(req.method, req.path);
    if (!match) return next();
    req.params = match.params;
    serve(match.value, req, res).catch(next);
  });
  router.get("/openapi.json", (_req, res) => {
    res.locals.routePattern = "/api/openapi.json";
    res.json(openApiDocument);
  });

  router.use((_req, _res, next) => next(new DomainError("NOT_FOUND", "No such API path.")));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId ?? "");
    const mapped = fromExpressError(error, bodyLimits);
    const problem = toProblem(mapped, requestId);
    if (problem.status >= 500 && !(mapped instanceof DomainError && mapped.code !== "INTERNAL")) {
      services.logger.error({ err: error, requestId }, "request failed");
    } else if (mapped instanceof DatabaseUnavailableError) {
      services.metrics.databaseErrors.inc({ where: "request" });
      services.logger.warn({ err: error, requestId }, "database unavailable");
    }
    sendProblem(res, problem, mapped instanceof DomainError ? mapped.details.retryAfterSeconds : undefined);
  });
  return router;
}

/**
 * The caller's address as rate limits see it (`req.ip`: the socket's peer unless a proxy named in
 * DNSCOVE_TRUST_PROXY forwarded it) and the id of this request's `X-Request-Id`.
 */
function requestContext(req: Request, res: Response): RequestContext {
  return { clientAddress: req.ip ?? "unknown", requestId: String(res.locals.requestId) };
}

/** Runs a connect-style middleware (body-parser) to completion. */
function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(req, res, (error?: unknown) => (error === undefined ? resolve() : reject(error)));
  });
}

/** body-parser reports its failures as errors with a `type`; give them stable codes. */
function fromExpressError(error: unknown, bodyLimits: BodyLimits): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === "entity.parse.failed")
    return new TransportError("INVALID_JSON", "The body is not valid JSON.");
  if (type === "entity.too.large") {
    const limit = (error as { limit?: unknown }).limit;
    const bytes = typeof limit === "number" ? limit : bodyLimits.default;
    return new TransportError("PAYLOAD_TOO_LARGE", `The body is larger than ${formatBytes(bytes)}.`);
  }
  if ((typeof type === "string" && type.startsWith("encoding.")) || type === "charset.unsupported") {
    return new TransportError("INVALID_JSON", "The body must be UTF-8 JSON.");
  }
  // The one place a lost database connection (either Prisma adapter) becomes 503 + Retry-After.
  if (!(error instanceof DomainError) && isDatabaseUnavailable(error)) return new DatabaseUnavailableError();
  // A body that cannot be decoded (e.g. `Content-Encoding: gzip` on bytes that are not gzip) reaches
  // us as body-parser's 400 without a `type`: the client's malformed body, not a server fault.
  const http = error as { status?: unknown; expose?: unknown } | null;
  if (!(error instanceof DomainError) && http?.status === 400 && http.expose === true) {
    return new TransportError("INVALID_JSON", "The body could not be decoded.");
  }
  return error;
}

/** "6mb" for whole mebibytes (the spelling of the fixed limit this setting replaced), else bytes. */
function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)}mb` : `${bytes} bytes`;
}
