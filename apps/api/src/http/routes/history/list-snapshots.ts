import { listSnapshots } from "../../../domain/history/list-snapshots.js";
import { SnapshotList, SnapshotsQuery } from "../../../domain/history/schemas.js";
import { defineRoute } from "../../route.js";

export const listSnapshotsRoute = defineRoute({
  method: "get",
  path: "/zones/:id/snapshots",
  operationId: "listSnapshots",
  summary: "List the zone's published serials (snapshot history)",
  description:
    "Every publish still in the kept history, newest first: serial, time, who caused it (`system` for the " +
    "auto-publisher) and the zone's rrset count then. Pages with `limit` and `cursor` (`next_cursor` of the " +
    "previous page). History older than `DNSCOVE_HISTORY_RETENTION_DAYS` (default 30) is pruned.",
  tag: "history",
  auth: "bearer",
  access: "zone-records",
  query: SnapshotsQuery,
  success: { status: 200, description: "A page of the history", schema: SnapshotList },
  problems: [403, 404],
  handle: ({ services, actor, params, query }) => listSnapshots(services, actor, params.id ?? "", query),
});
