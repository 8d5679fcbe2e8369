import { DiffQuery, ZoneDiff } from "../../../domain/history/schemas.js";
import { diffZone } from "../../../domain/history/zone-diff.js";
import { defineRoute } from "../../route.js";

export const diffZoneRoute = defineRoute({
  method: "get",
  path: "/zones/:id/diff",
  operationId: "diffZone",
  summary: "Rrsets added, removed and changed between two serials",
  description:
    "Computed from the change journal, so it costs what changed, not the zone's size. Any serial from the " +
    "start of the kept history to the current one (published or not) may be given, in either order; `to` " +
    "defaults to the current serial. A serial beyond the current one answers 400 naming the parameter; one " +
    "older than the kept history, 410 `HISTORY_GONE`. The apex SOA and NS (system-managed) are left out.",
  tag: "history",
  auth: "bearer",
  access: "zone-records",
  query: DiffQuery,
  success: { status: 200, description: "The difference", schema: ZoneDiff },
  problems: [403, 404, 410],
  handle: ({ services, actor, params, query }) => diffZone(services, actor, params.id ?? "", query),
});
