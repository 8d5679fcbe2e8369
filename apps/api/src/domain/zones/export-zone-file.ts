import { writeZoneFile } from "@dnscove/dns";
import { type Actor, authorize } from "../actor.js";
import { readPublished } from "../history/get-snapshot.js";
import type { Services } from "../services.js";
import { findTenantZone } from "./find-zone.js";

/**
 * `GET /zones/{id}/zone-file`: the zone as the edges serve it now, i.e. its published serial (not
 * unpublished changes: a file to move the zone elsewhere should hold what resolvers see), SOA and
 * apex NS included, as an RFC 1035 master file (`text/dns`, RFC 4027).
 */
export async function exportZoneFile(services: Services, actor: Actor, zoneId: string): Promise<string> {
  authorize(actor, "zone-records", zoneId);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  const { publish, content } = await readPublished(services.db, zone, zone.publishedSerial);
  return writeZoneFile(
    {
      origin: content.origin,
      serial: zone.publishedSerial,
      comment: `published ${publish.publishedAt.toISOString()}, exported by DNSCove`,
    },
    content.rrsets,
  );
}
