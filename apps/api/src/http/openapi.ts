import { z } from "zod";
import { Problem } from "./problem.js";
import type { Route } from "./route.js";

type JsonSchema = Record<string, unknown>;

// Any call that reaches the database can answer 503 DATABASE_UNAVAILABLE while it is down.
const COMMON_PROBLEMS = [400, 429, 500, 503];
const STATUS_TEXT: Record<number, string> = {
  400: "Malformed JSON or invalid fields; `errors` lists every field.",
  401: "No, malformed, unknown, expired or revoked credential.",
  403: "The credential's scope or zone binding does not allow this call.",
  404: "No such resource in the caller's tenant.",
  409: "Conflicts with existing state.",
  410: "The serial is older than the zone's kept history (`HISTORY_GONE`).",
  413: "Request body too large.",
  429: "Rate limited; see Retry-After.",
  500: "Internal error.",
  503: "The database is unavailable (`DATABASE_UNAVAILABLE`; see Retry-After).",
};

/**
 * Converts a zod schema to JSON Schema (OpenAPI 3.1 uses draft 2020-12), moving named sub-schemas
 * into `components.schemas` and pointing references there.
 */
function toSchema(
  schema: z.ZodType,
  io: "input" | "output",
  components: Record<string, JsonSchema>,
): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  delete json.$schema;
  const rewrite = (value: JsonSchema): JsonSchema =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewrite(def);
  const id = z.globalRegistry.get(schema)?.id;
  if (id) {
    components[id] ??= rewrite(json);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewrite(json);
}

/** One `in: query` parameter per property of the route's query object. */
function queryParameters(query: z.ZodType | undefined): JsonSchema[] {
  if (!query) return [];
  const json = z.toJSONSchema(query, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: "query",
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function openApiPath(path: string): string {
  return `/api${path.replace(/:(\w+)/g, "{$1}")}`;
}

/** The API's one description of itself, built from the same route table that serves requests. */
export function buildOpenApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const problemRef = toSchema(Problem, "output", components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const responses: Record<string, JsonSchema> = {
      [route.success.status]: {
        description: route.success.description,
        ...(route.success.schema
          ? {
              content: {
                [route.success.mediaType ?? "application/json"]: {
                  schema: toSchema(route.success.schema, "output", components),
                },
              },
            }
          : {}),
      },
    };
    if (route.dryRun && route.success.schema) {
      responses[route.dryRun.status] = {
        description: route.dryRun.description,
        content: { "application/json": { schema: toSchema(route.success.schema, "output", components) } },
      };
    }
    const problems = new Set([
      ...COMMON_PROBLEMS,
      ...(route.auth !== "none" ? [401] : []),
      ...route.problems,
    ]);
    for (const status of [...problems].sort()) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? "Error",
        content: { "application/problem+json": { schema: problemRef } },
      };
    }
    const parameters: JsonSchema[] = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "string" },
      ...(match[1] === "id" && route.path.startsWith("/zones") ? { example: "Z1a2b3c4d5e6f70" } : {}),
    }));
    parameters.push(...queryParameters(route.query));
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.auth === "none" ? { security: [] } : {}),
      ...(route.auth === "basic" ? { security: [{ bearerAuth: [] }, { basicAuth: [] }] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(route.body, "input", components) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "DNSCove control-plane API",
      version,
      description:
        "JSON API for the DNSCove control plane: magic-link auth, zones and records, delegation/parity checks, " +
        "snapshot publish, Route53 import, and scoped machine tokens (acme-dns01, zone-admin, tenant-admin).",
    },
    servers: [{ url: "https://api.dnscove.com" }],
    security: [{ bearerAuth: [] }],
    tags: [
      "auth",
      "zones",
      "rrsets",
      "history",
      "dnssec",
      "checks",
      "acme",
      "tokens",
      "import",
      "audit",
      "meta",
    ].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        basicAuth: {
          type: "http",
          scheme: "basic",
          description: "Only for lego's httpreq protocol: any user name, a machine token as the password.",
        },
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A session from the magic-link exchange, or a machine token `dnsc_<id>_<secret>`.",
        },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
