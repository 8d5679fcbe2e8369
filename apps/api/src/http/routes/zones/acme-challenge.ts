import { NotImplementedError } from "../../../domain/errors.js";
import { getZone } from "../../../domain/zones/get-zone.js";
import { defineRoute } from "../../route.js";
import { AcmeChallengeRequest, AcmeChallengeResult } from "../../schemas.js";

export const acmeChallengeRoute = defineRoute({
  method: "post",
  path: "/zones/:id/acme-challenge",
  operationId: "acmeChallenge",
  summary: "Present or clean up an ACME DNS-01 challenge value",
  description:
    "Adds (PRESENT) or removes (CLEANUP) one value on the _acme-challenge TXT rrset and publishes before answering.",
  tag: "acme",
  auth: "bearer",
  access: "acme",
  body: AcmeChallengeRequest,
  success: { status: 200, description: "Challenge applied and published", schema: AcmeChallengeResult },
  problems: [403, 404, 501],
  handle: async ({ services, actor, params }) => {
    await getZone(services, actor, params.id ?? "", "acme");
    throw new NotImplementedError("The acme-challenge endpoint");
  },
});
