import { DnssecView, SetDnssecRequest } from "../../../domain/dnssec/schemas.js";
import { setDnssec } from "../../../domain/dnssec/set-dnssec.js";
import { defineRoute } from "../../route.js";

export const setDnssecRoute = defineRoute({
  method: "put",
  path: "/zones/:id/dnssec",
  operationId: "setDnssec",
  summary: "Sign the zone with DNSSEC, or start the insecure transition",
  description:
    '`{"enabled": true}` signs the zone (keys made, the whole zone signed and published before the answer; ' +
    "optional `algorithm`, `ECDSAP256SHA256` by default); give the `ds` of the answer to the registrar, or let " +
    'a parent that reads CDS/CDNSKEY (RFC 7344) pick it up. `{"enabled": false}` publishes the delete ' +
    "CDS/CDNSKEY (RFC 8078 section 4) and keeps the zone signed until the parent's DS is gone, so validation " +
    "never breaks; then every DNSSEC record and key is removed. Enabling while going insecure cancels the " +
    "transition. Asking for the current state writes nothing. Sessions and tenant-admin tokens only.",
  tag: "dnssec",
  auth: "bearer",
  access: "tenant",
  body: SetDnssecRequest,
  success: { status: 200, description: "The zone's DNSSEC state after the call", schema: DnssecView },
  problems: [403, 404, 409],
  handle: ({ services, actor, params, body }) => setDnssec(services, actor, params.id ?? "", body),
});
