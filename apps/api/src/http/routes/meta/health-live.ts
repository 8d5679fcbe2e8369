import { checkLive } from "../../../domain/health/check-health.js";
import { HealthStatus } from "../../../domain/health/schemas.js";
import { defineRoute } from "../../route.js";

export const healthLiveRoute = defineRoute({
  method: "get",
  path: "/health/live",
  operationId: "healthLive",
  summary: "Liveness: the process is up",
  description: "Answers 200 while the process runs; never asks the database (see docs/production.md).",
  tag: "meta",
  auth: "none",
  success: { status: 200, description: "The process is up", schema: HealthStatus },
  problems: [],
  handle: () => checkLive(),
});
