import { changeRRsets } from "../../../domain/rrsets/change-rrsets.js";
import { defineRoute } from "../../route.js";
import { ChangeAccepted, ChangeRRsetsRequest } from "../../schemas.js";

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
    "A change that would leave the zone with more rrsets than its quota answers 409 `QUOTA_EXCEEDED`.",
  tag: "rrsets",
  auth: "bearer",
  access: "zone-records",
  body: ChangeRRsetsRequest,
  success: { status: 200, description: "Accepted", schema: ChangeAccepted },
  problems: [403, 404, 409, 413],
  handle: ({ services, actor, params, body }) =>
    "changes" in body
      ? changeRRsets(services, actor, params.id ?? "", body.changes, true)
      : changeRRsets(services, actor, params.id ?? "", [body], false),
});
