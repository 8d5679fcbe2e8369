import { NotImplementedError } from "../../../domain/errors.js";
import { getZone } from "../../../domain/zones/get-zone.js";
import { defineRoute } from "../../route.js";
import { ParityResult } from "../../schemas.js";

export const checkParityRoute = defineRoute({
  method: "post",
  path: "/zones/:id/parity",
  operationId: "checkParity",
  summary: "Compare the zone with what the old provider serves",
  tag: "checks",
  auth: "bearer",
  access: "zone-records",
  success: { status: 200, description: "Parity check result", schema: ParityResult },
  problems: [403, 404, 501],
  handle: async ({ services, actor, params }) => {
    await getZone(services, actor, params.id ?? "");
    throw new NotImplementedError("The parity check");
  },
});
