import { getDnssec } from "../../../domain/dnssec/get-dnssec.js";
import { DnssecView } from "../../../domain/dnssec/schemas.js";
import { defineRoute } from "../../route.js";

export const getDnssecRoute = defineRoute({
  method: "get",
  path: "/zones/:id/dnssec",
  operationId: "getDnssec",
  summary: "The zone's DNSSEC state, keys and the DS for the registrar",
  description:
    "Whether the zone is signed, with which algorithm, where it is in a rollover or the insecure transition, " +
    "the signing keys (public parts only: a private key is never shown) and the DS records (SHA-256) the " +
    "parent zone needs. Sessions and tenant-admin tokens only.",
  tag: "dnssec",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "The zone's DNSSEC state", schema: DnssecView },
  problems: [403, 404],
  handle: ({ services, actor, params }) => getDnssec(services, actor, params.id ?? ""),
});
