import { domainToASCII } from "node:url";
import { DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";
import { CliError, EXIT_API, UsageError } from "./errors.js";

/** Zone ids are `Z` + 14 lowercase hex digits. */
export const ZONE_ID = /^Z[0-9a-f]{14}$/;

/** An origin in the API's form: A-label, lowercase, no trailing dot. */
export function canonicalOrigin(origin: string): string {
  const trimmed = origin.trim().replace(/\.$/, "");
  const ascii = domainToASCII(trimmed);
  return (ascii || trimmed).toLowerCase();
}

/**
 * Turns a `<zone>` argument into a zone id: an id is used as it is; an origin is looked up with
 * GET /api/zones, which zone-bound tokens may not call (they must pass the id).
 */
export async function resolveZoneId(client: DnscoveClient, zone: string): Promise<string> {
  const ref = zone.trim();
  if (ZONE_ID.test(ref)) return ref;
  if (ref === "") throw new UsageError("empty zone: pass a zone id (Z + 14 hex digits) or an origin");
  const origin = canonicalOrigin(ref);
  let zones: { id: string; origin: string }[];
  try {
    const { data } = await client.GET("/api/zones");
    zones = data?.zones ?? [];
  } catch (error) {
    if (error instanceof DnscoveApiError && error.status === 403) {
      throw new UsageError(
        `this token cannot list zones, so the origin ${JSON.stringify(ref)} cannot be resolved: ` +
          "pass the zone id (Z + 14 hex digits) instead",
      );
    }
    throw error;
  }
  const found = zones.find((z) => z.origin === origin);
  if (!found) throw new CliError(`no zone with origin ${origin} in this tenant`, EXIT_API);
  return found.id;
}
