import { NotImplementedError } from "../../../domain/errors.js";
import { getZone } from "../../../domain/zones/get-zone.js";
import { defineRoute } from "../../route.js";
import { DelegationResult } from "../../schemas.js";

export const checkDelegationRoute = defineRoute({
  method: "post",
  path: "/zones/:id/delegation",
  operationId: "checkDelegation",
  summary: "Check the zone's delegation at its parent",
  tag: "checks",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "Delegation check result", schema: DelegationResult },
  problems: [403, 404, 501],
  handle: async ({ services, actor, params }) => {
    await getZone(services, actor, params.id ?? "");
    throw new NotImplementedError("The delegation check");
  },
});
