import { z } from "zod";
import { applyAcmeChallenge } from "../../../domain/acme/apply-challenge.js";
import { AcmeChallengeResult, ChallengeAction } from "../../../domain/acme/schemas.js";
import { defineRoute } from "../../route.js";

const AcmeChallengeRequest = z.strictObject({
  action: ChallengeAction,
  name: z.string().max(300),
  value: z.string().max(200),
});

export const acmeChallengeRoute = defineRoute({
  method: "post",
  path: "/zones/:id/acme-challenge",
  operationId: "acmeChallenge",
  summary: "Present or clean up an ACME DNS-01 challenge value",
  description:
    "Adds (PRESENT) or removes (CLEANUP) one value on the _acme-challenge TXT rrset (TTL 60) and publishes " +
    "before answering. Values merge; presenting a value already there or cleaning one that is not answers " +
    "`changed: false`. A value never cleaned up is removed one hour after it was presented. A new " +
    "challenge name beyond the zone's rrsets quota answers 409 `QUOTA_EXCEEDED`.",
  tag: "acme",
  auth: "bearer",
  access: "acme",
  body: AcmeChallengeRequest,
  success: { status: 200, description: "Challenge applied and published", schema: AcmeChallengeResult },
  problems: [403, 404, 409],
  handle: ({ services, actor, params, body }) => applyAcmeChallenge(services, actor, params.id ?? "", body),
});
