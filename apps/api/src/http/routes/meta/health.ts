import { checkReady } from "../../../domain/health/check-health.js";
import { HealthStatus } from "../../../domain/health/schemas.js";
import { defineRoute } from "../../route.js";

/** Kept for existing probes and scripts: the same answer as /health/ready. */
export const healthRoute = defineRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  summary: "Health (same as /health/ready)",
  description:
    "The readiness check under its historical path: 503 `DATABASE_UNAVAILABLE` while the database is down.",
  tag: "meta",
  auth: "none",
  success: { status: 200, description: "Ready to serve requests", schema: HealthStatus },
  problems: [503],
  handle: ({ services }) => checkReady(services),
});
