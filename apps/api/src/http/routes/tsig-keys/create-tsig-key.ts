import { createTsigKey } from "../../../domain/tsig-keys/create-tsig-key.js";
import { CreatedTsigKey, CreateTsigKeyRequest } from "../../../domain/tsig-keys/schemas.js";
import { defineRoute } from "../../route.js";

export const createTsigKeyRoute = defineRoute({
  method: "post",
  path: "/zones/:id/tsig-keys",
  operationId: "createTsigKey",
  summary: "Create a TSIG key for RFC 2136 updates of this zone",
  description:
    "hmac-sha256, bound to this zone, scope acme-dns01 (default) or zone-admin. The secret is returned exactly once.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  body: CreateTsigKeyRequest,
  success: { status: 201, description: "TSIG key created", schema: CreatedTsigKey },
  problems: [403, 404],
  handle: ({ services, actor, params, body }) =>
    createTsigKey(services, actor, params.id ?? "", { name: body.name, scope: body.scope }),
});
