import { canonicalTargetName, DnsInputError } from "@dnscove/dns";
import type { Actor } from "../actor.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";

/**
 * The caller's zone that holds `fqdn` (the longest matching origin), for callers that name a
 * record but not a zone, such as lego's httpreq protocol. A zone-bound token finding another zone
 * of its tenant is refused (403) by the operation that follows, as on `/zones/{id}` paths.
 */
export async function findZoneForName(services: Services, actor: Actor, fqdn: string) {
  let name: string;
  try {
    name = canonicalTargetName(fqdn);
  } catch (error) {
    if (error instanceof DnsInputError) throw new ValidationError([{ path: "fqdn", message: error.message }]);
    throw error;
  }
  const labels = name.slice(0, -1).split(".");
  const candidates = labels.map((_, i) => labels.slice(i).join("."));
  const zones = await services.db.zone.findMany({
    where: { tenantId: actor.tenantId, origin: { in: candidates } },
  });
  const zone = zones.sort((a, b) => b.origin.length - a.origin.length)[0];
  if (!zone) throw new NotFoundError(`A zone holding ${name}`);
  return { zone, name };
}
