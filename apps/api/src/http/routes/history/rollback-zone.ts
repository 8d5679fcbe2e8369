import { rollbackZone } from "../../../domain/history/rollback-zone.js";
import { RollbackRequest, RollbackResult } from "../../../domain/history/schemas.js";
import { defineRoute } from "../../route.js";

export const rollbackZoneRoute = defineRoute({
  method: "post",
  path: "/zones/:id/rollback",
  operationId: "rollbackZone",
  summary: "Make the zone's content equal a published snapshot, as a new serial",
  description:
    "Applies the difference between the current rrsets and those of published serial `serial` as one change " +
    "(a new, higher serial: secondaries follow as for any change), with the same checks as a change of rrsets, " +
    "and answers the diff it applied. The apex SOA and NS are system-managed and stay as they are. A rollback " +
    "that would delete more than the mass-delete share answers 409 `MASS_DELETE` unless " +
    '`"confirm_mass_delete": true`. With `"dry_run": true` it answers the exact diff and the serial it would ' +
    "take and writes nothing. A zone already equal to the snapshot answers `UNCHANGED` with no new serial. " +
    "404 for a serial never published; 410 `HISTORY_GONE` for one older than the kept history.",
  tag: "history",
  auth: "bearer",
  access: "zone-records",
  body: RollbackRequest,
  success: { status: 200, description: "Rolled back (or what it would do)", schema: RollbackResult },
  problems: [403, 404, 409, 410],
  handle: ({ services, actor, params, body }) => rollbackZone(services, actor, params.id ?? "", body),
});
