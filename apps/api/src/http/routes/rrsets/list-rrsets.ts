import { listRRsets } from "../../../domain/rrsets/list-rrsets.js";
import { RRsetList } from "../../../domain/rrsets/schemas.js";
import { defineRoute } from "../../route.js";

export const listRRsetsRoute = defineRoute({
  method: "get",
  path: "/zones/:id/rrsets",
  operationId: "listRRsets",
  summary: "List rrsets",
  description: "Current content including unpublished changes; SOA and apex NS (system-managed) first.",
  tag: "rrsets",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "The zone's rrsets", schema: RRsetList },
  problems: [403, 404],
  handle: async ({ services, actor, params }) => ({
    rrsets: await listRRsets(services, actor, params.id ?? ""),
  }),
});
