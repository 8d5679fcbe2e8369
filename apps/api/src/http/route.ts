import type { z } from "zod";
import type { Actor, Permission, RequestContext } from "../domain/actor.js";
import type { Services } from "../domain/services.js";
import type { Logger } from "../lib/logger.js";

export interface RouteContext<Body, Query = undefined> {
  services: Services;
  /** The verified caller; routes with `auth: "none"` get null. */
  actor: Actor;
  params: Record<string, string>;
  body: Body;
  /** The query string, validated against the route's `query` schema. */
  query: Query;
  clientIp: string;
  /** Client address and request id, for operations without an actor (sign-in) to audit. */
  request: RequestContext;
  log: Logger;
}

type BodyOf<B> = B extends z.ZodType ? z.output<B> : undefined;
type QueryOf<Q> = Q extends z.ZodType ? z.output<Q> : undefined;

/** One operation of the API: its OpenAPI description and its handler, side by side. */
export interface Route {
  method: "get" | "post" | "put" | "delete";
  /** Express-style path under /api, e.g. `/zones/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag:
    | "auth"
    | "zones"
    | "rrsets"
    | "history"
    | "dnssec"
    | "tokens"
    | "checks"
    | "acme"
    | "import"
    | "audit"
    | "meta";
  /** `basic` also takes the token as an HTTP Basic password, for clients that only speak Basic (lego httpreq). */
  auth: "none" | "bearer" | "basic";
  /**
   * What a bearer route needs, checked right after authentication so a refused scope answers 403
   * before any body is read. On `/zones/:id/…` paths the zone binding is checked against `:id`.
   * The domain operation checks again: the route table is not the only line of defence.
   */
  access?: Permission;
  body?: z.ZodType;
  /** A `z.object` of query parameters (strings in, coerced by the schema); errors name the parameter. */
  query?: z.ZodType;
  /** The body may be as large as DNSCOVE_MAX_IMPORT_BYTES instead of DNSCOVE_MAX_BODY_BYTES. */
  largeBody?: true;
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; mediaType?: TextMediaType };
  /**
   * A body with `"dry_run": true` is answered with this status instead (same schema): a dry run of
   * a create creates nothing, so it is no 201.
   */
  dryRun?: { status: 200; description: string };
  /** Problem statuses this operation can answer besides the common ones (400/401/429/500). */
  problems: number[];
  handle(context: RouteContext<unknown, unknown>): Promise<unknown>;
}

/**
 * What the handler must answer: the success schema's input (what the router serialises is what
 * the schema, and so openapi.json and the SDK, describe), or nothing for a 204.
 */
type Answer<S> = S extends z.ZodType ? Promise<z.input<S>> : Promise<void>;

/**
 * A media type a route may answer as text instead of JSON (its `schema` is then `z.string()`):
 * `text/dns` is the RFC 4027 type of an RFC 1035 master file. Errors stay problem+json.
 */
export type TextMediaType = "text/dns";

type Success<S extends z.ZodType | undefined> = S extends z.ZodType
  ? { status: 200 | 201; description: string; schema: S; mediaType?: TextMediaType }
  : { status: 204; description: string; schema?: undefined };

/**
 * Declares a route. The handler's answer is typed by `success.schema`, so a domain answer that
 * drifts from the published schema fails to compile instead of drifting silently.
 */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  S extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  route: Omit<Route, "body" | "query" | "success" | "handle"> & {
    body?: B;
    query?: Q;
    success: Success<S>;
    handle(context: RouteContext<BodyOf<B>, QueryOf<Q>>): Answer<S>;
  },
): Route {
  return route as Route;
}
