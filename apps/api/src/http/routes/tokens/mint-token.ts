import { TOKEN_SCOPES } from "@dnscove/dns";
import { z } from "zod";
import { mintToken } from "../../../domain/tokens/mint-token.js";
import { ExpiresInDays, MintedToken, TokenName } from "../../../domain/tokens/schemas.js";
import { defineRoute } from "../../route.js";

const MintTokenRequest = z.strictObject({
  name: TokenName,
  scope: z.enum(TOKEN_SCOPES).default("tenant-admin"),
  zone_id: z.string().max(64).optional().meta({ description: "Required for zone-bound scopes." }),
  expires_in_days: ExpiresInDays,
});

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
