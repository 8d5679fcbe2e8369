import { checkZoneDelegation } from "../../../domain/checks/check-delegation.js";
import { DelegationResult } from "../../../domain/checks/schemas.js";
import { defineRoute } from "../../route.js";

export const checkDelegationRoute = defineRoute({
  method: "post",
  path: "/zones/:id/delegation",
  operationId: "checkDelegation",
  summary: "Check the zone's delegation at its parent",
  description:
    "Asks the parent zone's servers (found through the configured resolver) for the zone's NS referral and " +
    "compares it with `ns`. A verified delegation moves the zone to ACTIVE; losing it moves it back to " +
    "PENDING_VERIFICATION. Bounded by a per-query timeout and a query budget.",
  tag: "checks",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "Delegation check result", schema: DelegationResult },
  problems: [403, 404],
  handle: ({ services, actor, params }) => checkZoneDelegation(services, actor, params.id ?? ""),
});
