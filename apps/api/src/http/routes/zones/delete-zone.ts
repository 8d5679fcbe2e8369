import { deleteZone } from "../../../domain/zones/delete-zone.js";
import { defineRoute } from "../../route.js";

export const deleteZoneRoute = defineRoute({
  method: "delete",
  path: "/zones/:id",
  operationId: "deleteZone",
  summary: "Delete a zone",
  description:
    "Removes the zone, its rrsets, snapshots and zone-bound tokens; the edge stops answering for it.",
  tag: "zones",
  auth: "bearer",
  access: "tenant",
  success: { status: 204, description: "Zone deleted" },
  problems: [403, 404],
  handle: ({ services, actor, params }) => deleteZone(services, actor, params.id ?? ""),
});
