import { mintToken } from "../../../domain/tokens/mint-token.js";
import { defineRoute } from "../../route.js";
import { MintedToken, MintTokenRequest } from "../../schemas.js";

export const mintTokenRoute = defineRoute({
  method: "post",
  path: "/tokens",
  operationId: "mintToken",
  summary: "Mint a machine token",
  description:
    "tenant-admin (default, tenant-wide) or a zone-bound scope with `zone_id`. The plaintext token is " +
    "returned exactly once.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  body: MintTokenRequest,
  success: { status: 201, description: "Token minted", schema: MintedToken },
  problems: [403, 404],
  handle: ({ services, actor, body }) =>
    mintToken(services, actor, {
      scope: body.scope,
      zoneId: body.zone_id,
      name: body.name,
      expiresInDays: body.expires_in_days,
    }),
});
