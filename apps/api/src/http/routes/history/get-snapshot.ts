import { getSnapshot } from "../../../domain/history/get-snapshot.js";
import { SnapshotView } from "../../../domain/history/schemas.js";
import { defineRoute } from "../../route.js";

export const getSnapshotRoute = defineRoute({
  method: "get",
  path: "/zones/:id/snapshots/:serial",
  operationId: "getSnapshot",
  summary: "The zone's content at one published serial",
  description:
    "The whole zone as the edges served it at that serial, SOA and apex NS first. 404 `NOT_FOUND` for a " +
    "serial that was never published; 410 `HISTORY_GONE` for one older than the kept history.",
  tag: "history",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "The snapshot", schema: SnapshotView },
  problems: [403, 404, 410],
  handle: ({ services, actor, params }) => getSnapshot(services, actor, params.id ?? "", params.serial ?? ""),
});
