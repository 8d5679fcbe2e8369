import { authorize } from "../../../domain/actor.js";
import { NotImplementedError } from "../../../domain/errors.js";
import { defineRoute } from "../../route.js";
import { Route53ImportRequest, Route53ImportResult } from "../../schemas.js";

export const importRoute53Route = defineRoute({
  method: "post",
  path: "/import/route53",
  operationId: "importRoute53",
  summary: "Import a zone from `aws route53 list-resource-record-sets` output",
  tag: "import",
  auth: "bearer",
  access: "tenant",
  body: Route53ImportRequest,
  success: { status: 201, description: "Zone imported", schema: Route53ImportResult },
  problems: [403, 409, 413, 501],
  handle: async ({ actor }) => {
    authorize(actor, "tenant");
    throw new NotImplementedError("The Route53 import");
  },
});
