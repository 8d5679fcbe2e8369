import { DnssecView } from "../../../domain/dnssec/schemas.js";
import { startKskRollover } from "../../../domain/dnssec/start-ksk-rollover.js";
import { defineRoute } from "../../route.js";

export const startKskRolloverRoute = defineRoute({
  method: "post",
  path: "/zones/:id/dnssec/ksk-rollover",
  operationId: "startKskRollover",
  summary: "Start a KSK rollover",
  description:
    "A new KSK is published and signs the DNSKEY rrset beside the old one; CDS/CDNSKEY and `ds` now name only " +
    "the new KSK. Replace the DS at the registrar (or let the parent follow CDS): once the parent's DS names " +
    "the new KSK and the old DS's TTL has passed, the old KSK is removed automatically. 409 `DNSSEC_STATE` " +
    "on an unsigned zone or while a KSK rollover is under way. Sessions and tenant-admin tokens only.",
  tag: "dnssec",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "The zone's DNSSEC state with the new KSK", schema: DnssecView },
  problems: [403, 404, 409],
  handle: ({ services, actor, params }) => startKskRollover(services, actor, params.id ?? ""),
});
