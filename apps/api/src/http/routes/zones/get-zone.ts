import { getZone } from "../../../domain/zones/get-zone.js";
import { Zone } from "../../../domain/zones/schemas.js";
import { defineRoute } from "../../route.js";

export const getZoneRoute = defineRoute({
  method: "get",
  path: "/zones/:id",
  operationId: "getZone",
  summary: "Get a zone",
  tag: "zones",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "The zone", schema: Zone },
  problems: [403, 404],
  handle: ({ services, actor, params }) => getZone(services, actor, params.id ?? ""),
});
