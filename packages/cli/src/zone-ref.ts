import { canonicalOrigin, DnsInputError, isZoneId } from "@dnscove/dns";
import { DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";
import { CliError, EXIT_API, UsageError } from "./errors.js";

/** An origin in the API's form (A-label, lowercase, no trailing dot); input the API would refuse is kept as typed. */
export function canonicalOriginOrAsTyped(origin: string): string {
  try {
    return canonicalOrigin(origin);
  } catch (error) {
    if (error instanceof DnsInputError) return origin.trim().toLowerCase().replace(/\.$/, "");
    throw error;
  }
}

/**
 * Turns a `<zone>` argument into a zone id: an id is used as it is; an origin is looked up with
 * GET /api/zones, which zone-bound tokens may not call (they must pass the id).
 */
export async function resolveZoneId(client: DnscoveClient, zone: string): Promise<string> {
  const ref = zone.trim();
  if (isZoneId(ref)) return ref;
  if (ref === "") throw new UsageError("empty zone: pass a zone id (Z + 14 hex digits) or an origin");
  const origin = canonicalOriginOrAsTyped(ref);
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
