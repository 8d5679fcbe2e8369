import { getRRset } from "../../../domain/rrsets/get-rrset.js";
import { defineRoute } from "../../route.js";
import { RRset } from "../../schemas.js";

export const getRRsetRoute = defineRoute({
  method: "get",
  path: "/zones/:id/rrsets/:name/:type",
  operationId: "getRRset",
  summary: "Get one rrset",
  description:
    "The rrset at name+type, unpublished changes included, in the same form as the list. `name` is " +
    "absolute (`www.example.com.`) or relative to the zone (`www`, `@` for the apex; URL-encoded, IDNA " +
    "allowed) and canonicalised like a write. The apex SOA and NS are the system-managed rrsets. " +
    "404 `NOT_FOUND` when there is no such rrset.",
  tag: "rrsets",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "The rrset", schema: RRset },
  problems: [403, 404],
  handle: ({ services, actor, params }) =>
    getRRset(services, actor, params.id ?? "", params.name ?? "", params.type ?? ""),
});
