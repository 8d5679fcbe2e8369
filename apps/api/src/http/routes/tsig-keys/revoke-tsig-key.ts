import { revokeTsigKey } from "../../../domain/tsig-keys/revoke-tsig-key.js";
import { TsigKey } from "../../../domain/tsig-keys/schemas.js";
import { defineRoute } from "../../route.js";

export const revokeTsigKeyRoute = defineRoute({
  method: "delete",
  path: "/zones/:id/tsig-keys/:keyId",
  operationId: "revokeTsigKey",
  summary: "Revoke a TSIG key",
  description:
    "UPDATEs signed with it are refused (NOTAUTH, BADKEY) from then on. Revoking twice answers the same.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "TSIG key revoked", schema: TsigKey },
  problems: [403, 404],
  handle: ({ services, actor, params }) =>
    revokeTsigKey(services, actor, params.id ?? "", params.keyId ?? ""),
});
