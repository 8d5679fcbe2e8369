import { z } from "zod";
import { changeRRsets } from "../../../domain/rrsets/change-rrsets.js";
import { ChangeAccepted, RRsetChangeBatch, RRsetChangeRequest } from "../../../domain/rrsets/schemas.js";
import { defineRoute } from "../../route.js";

const ChangeRRsetsRequest = z.union([RRsetChangeBatch, RRsetChangeRequest]);

export const changeRRsetsRoute = defineRoute({
  method: "post",
  path: "/zones/:id/rrsets",
  operationId: "changeRRsets",
  summary: "Change rrsets (one, or an atomic batch)",
  description:
    "UPSERT replaces the rrset at name+type; CREATE does the same but answers 409 `RRSET_EXISTS` when the " +
    "rrset already exists (Route 53's CREATE); DELETE removes it (records are ignored). A batch is all or " +
    "nothing. Each accepted call increments the serial by one; the change is published within a bounded delay. " +
    "The answer's `rrsets` holds the stored canonical rrsets, one per change in request order. " +
    "A change that would leave the zone with more rrsets than its quota answers 409 `QUOTA_EXCEEDED`. " +
    "A change that would delete more than 25% of the zone's rrsets (and at least 10; settings " +
    "`DNSCOVE_MASS_DELETE_SHARE`, `DNSCOVE_MASS_DELETE_MIN`) answers 409 `MASS_DELETE` unless it carries " +
    '`"confirm_mass_delete": true`. With `"dry_run": true` everything is checked (the same errors) and the ' +
    "answer (`status: DRY_RUN`) holds the exact `diff` and the serial the change would take; nothing is " +
    "written and the serial does not move.",
  tag: "rrsets",
  auth: "bearer",
  access: "zone-records",
  body: ChangeRRsetsRequest,
  success: { status: 200, description: "Accepted", schema: ChangeAccepted },
  problems: [403, 404, 409, 413],
  handle: ({ services, actor, params, body }) => {
    const options = { dryRun: body.dry_run, confirmMassDelete: body.confirm_mass_delete };
    return "changes" in body
      ? changeRRsets(services, actor, params.id ?? "", body.changes, true, options)
      : changeRRsets(services, actor, params.id ?? "", [body], false, options);
  },
});
