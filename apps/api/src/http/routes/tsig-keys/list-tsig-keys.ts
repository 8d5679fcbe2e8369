import { listTsigKeys } from "../../../domain/tsig-keys/list-tsig-keys.js";
import { TsigKeyList } from "../../../domain/tsig-keys/schemas.js";
import { defineRoute } from "../../route.js";

export const listTsigKeysRoute = defineRoute({
  method: "get",
  path: "/zones/:id/tsig-keys",
  operationId: "listTsigKeys",
  summary: "List the zone's TSIG keys",
  description: "Revoked keys included; never a secret.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "TSIG keys of this zone", schema: TsigKeyList },
  problems: [403, 404],
  handle: async ({ services, actor, params }) => ({
    tsig_keys: await listTsigKeys(services, actor, params.id ?? ""),
  }),
});
