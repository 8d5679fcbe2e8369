import { legoHttpreq } from "../../../domain/acme/lego-httpreq.js";
import {
  AcmeChallengeResult,
  type ChallengeAction,
  LegoHttpreqRequest,
} from "../../../domain/acme/schemas.js";
import { defineRoute } from "../../route.js";

/** lego's httpreq protocol has two operations that differ only in their action. */
function legoHttpreqRoute(action: ChallengeAction) {
  const verb = action === "PRESENT" ? "present" : "cleanup";
  return defineRoute({
    method: "post",
    path: `/acme/httpreq/${verb}`,
    operationId: `legoHttpreq${verb[0]?.toUpperCase()}${verb.slice(1)}`,
    summary: `lego httpreq: ${verb} a DNS-01 value`,
    description:
      "lego's `httpreq` provider protocol: set HTTPREQ_ENDPOINT to `<api>/api/acme/httpreq` and HTTPREQ_PASSWORD to " +
      "a machine token (HTTP Basic; the user name is ignored). Accepts `{fqdn, value}` and RAW mode " +
      "`{domain, token, keyAuth}`; the zone is the caller's zone holding the name.",
    tag: "acme",
    auth: "basic",
    access: "acme",
    body: LegoHttpreqRequest,
    success: { status: 200, description: "Challenge applied and published", schema: AcmeChallengeResult },
    problems: [403, 404, 409],
    handle: ({ services, actor, body }) => legoHttpreq(services, actor, action, body),
  });
}

export const legoHttpreqPresentRoute = legoHttpreqRoute("PRESENT");
export const legoHttpreqCleanupRoute = legoHttpreqRoute("CLEANUP");
