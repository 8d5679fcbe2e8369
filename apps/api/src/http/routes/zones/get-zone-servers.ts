import { ZoneServers } from "../../../domain/zones/schemas.js";
import { getZoneServers } from "../../../domain/zones/zone-servers.js";
import { defineRoute } from "../../route.js";

export const getZoneServersRoute = defineRoute({
  method: "get",
  path: "/zones/:id/servers",
  operationId: "getZoneServers",
  summary: "Which serial each edge and secondary serves",
  description:
    "Lets a user see that a change is live everywhere: every running edge and configured secondary.",
  tag: "zones",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "Serials per server", schema: ZoneServers },
  problems: [403, 404],
  handle: ({ services, actor, params }) => getZoneServers(services, actor, params.id ?? ""),
});
