import { rawQuery, sql } from "@dnscove/db";
import { canonicalOwnerName, DnsInputError, isRecordType, RECORD_TYPES } from "@dnscove/dns";
import { type Actor, authorize } from "../actor.js";
import { type FieldIssue, NotFoundError, ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { apexRRsets } from "../zones/apex.js";
import type { RRsetView } from "./schemas.js";

/**
 * One rrset of the zone as the list shows it (unpublished changes included), or 404. `name` is
 * absolute or relative to the zone and canonicalised like a write (case, IDNA per RFC 5891), so a
 * client can read back exactly what it wrote. The apex SOA and NS are the system-managed ones the
 * list shows.
 *
 * Two raw SELECTs, not Prisma's model queries: this is the read every Terraform refresh and SDK
 * `getRRset` makes, and through the models it cost more CPU than a change (docs/benchmarks.md,
 * issue 14); on SQLite raw lone SELECTs also take the read-only connection.
 */
export async function getRRset(
  services: Services,
  actor: Actor,
  zoneId: string,
  name: string,
  type: string,
): Promise<RRsetView> {
  authorize(actor, "zone-records", zoneId);
  const [zone] = await rawQuery<{ origin: string; serial: number }[]>(
    services.db,
    sql`SELECT "origin", "serial" FROM "zones" WHERE "id" = ${zoneId} AND "tenant_id" = ${actor.tenantId}`,
  );
  if (!zone) throw new NotFoundError("Zone");

  let owner = "";
  const issues: FieldIssue[] = [];
  try {
    owner = canonicalOwnerName(name, zone.origin);
  } catch (error) {
    if (!(error instanceof DnsInputError)) throw error;
    issues.push({ path: "name", message: error.message });
  }
  const rrtype = type.trim().toUpperCase();
  if (rrtype !== "SOA" && !isRecordType(rrtype)) {
    issues.push({ path: "type", message: `unsupported type; one of SOA, ${RECORD_TYPES.join(", ")}` });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  const system = apexRRsets(zone.origin, zone.serial, services.settings.zone).find(
    (rrset) => rrset.name === owner && rrset.type === rrtype,
  );
  if (system) return system;
  const [row] = await rawQuery<{ name: string; type: string; ttl: number; records: string }[]>(
    services.db,
    sql`SELECT "name", "type", "ttl", "records" FROM "rrsets"
        WHERE "zone_id" = ${zoneId} AND "name" = ${owner} AND "type" = ${rrtype}`,
  );
  if (!row) throw new NotFoundError("RRset");
  return { name: row.name, type: row.type, ttl: row.ttl, records: JSON.parse(row.records) as string[] };
}
