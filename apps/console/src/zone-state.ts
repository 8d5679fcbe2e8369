import type { Zone } from "@dnscove/sdk";

/** The zone has changes its servers are not serving yet. */
export function pending(zone: Pick<Zone, "serial" | "published_serial">): boolean {
  return zone.serial !== zone.published_serial;
}
