import { checkReady } from "../../../domain/health/check-health.js";
import { HealthStatus } from "../../../domain/health/schemas.js";
import { defineRoute } from "../../route.js";

export const healthReadyRoute = defineRoute({
  method: "get",
  path: "/health/ready",
  operationId: "healthReady",
  summary: "Readiness: the database is reachable and migrated",
  description:
    "200 when the database answers and holds every migration of this version; otherwise 503 `DATABASE_UNAVAILABLE` with Retry-After.",
  tag: "meta",
  auth: "none",
  success: { status: 200, description: "Ready to serve requests", schema: HealthStatus },
  problems: [503],
  handle: ({ services }) => checkReady(services),
});
