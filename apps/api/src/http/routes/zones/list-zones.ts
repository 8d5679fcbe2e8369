import { listZones } from "../../../domain/zones/list-zones.js";
import { ZoneList } from "../../../domain/zones/schemas.js";
import { defineRoute } from "../../route.js";

export const listZonesRoute = defineRoute({
  method: "get",
  path: "/zones",
  operationId: "listZones",
  summary: "List zones",
  tag: "zones",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "The tenant's zones", schema: ZoneList },
  problems: [403],
  handle: async ({ services, actor }) => ({ zones: await listZones(services, actor) }),
});
