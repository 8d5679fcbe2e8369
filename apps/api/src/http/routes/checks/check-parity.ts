import { checkZoneParity } from "../../../domain/checks/check-parity.js";
import { ParityResult } from "../../../domain/checks/schemas.js";
import { defineRoute } from "../../route.js";

export const checkParityRoute = defineRoute({
  method: "post",
  path: "/zones/:id/parity",
  operationId: "checkParity",
  summary: "Compare the zone with what the old provider serves",
  description:
    "Asks the previous nameservers (kept from the import) and our edge the same questions for every rrset, " +
    "plus probes for a non-existent name and wildcards. `safe_to_delete` is true only when everything matches, " +
    "nothing was truncated and the parent delegates to our nameservers alone.",
  tag: "checks",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "Parity check result", schema: ParityResult },
  problems: [403, 404, 409],
  handle: ({ services, actor, params }) => checkZoneParity(services, actor, params.id ?? ""),
});
