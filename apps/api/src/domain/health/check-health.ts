import { checkReadiness } from "@dnscove/db";
import { DatabaseUnavailableError } from "../errors.js";
import type { Services } from "../services.js";
import type { HealthStatus } from "./schemas.js";

/** Liveness: the process runs and answers HTTP. Never touches the database, so a load balancer or
 * supervisor does not restart API processes because PostgreSQL is down (they recover by themselves). */
export async function checkLive(): Promise<HealthStatus> {
  return { status: "ok", database: "not-checked" };
}

/**
 * Readiness: the database answers and holds every migration this build ships. Otherwise 503
 * DATABASE_UNAVAILABLE with Retry-After, so a load balancer sends traffic elsewhere meanwhile.
 */
export async function checkReady(services: Services): Promise<HealthStatus> {
  const readiness = await checkReadiness(services.db);
  if (readiness.ready) return { status: "ok", database: "reachable" };
  if (readiness.reason === "migrations-pending") {
    throw new DatabaseUnavailableError(
      `The database schema lacks migrations this version needs (${readiness.pending.join(", ")}); start an API process of this version to apply them.`,
    );
  }
  throw new DatabaseUnavailableError("The database cannot be reached.");
}
