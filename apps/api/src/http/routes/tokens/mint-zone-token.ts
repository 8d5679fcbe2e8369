import { ZONE_BOUND_SCOPES } from "@dnscove/dns";
import { z } from "zod";
import { mintToken } from "../../../domain/tokens/mint-token.js";
import { ExpiresInDays, MintedToken, TokenName } from "../../../domain/tokens/schemas.js";
import { defineRoute } from "../../route.js";

const MintZoneTokenRequest = z.strictObject({
  name: TokenName,
  scope: z.enum(ZONE_BOUND_SCOPES).default("acme-dns01"),
  expires_in_days: ExpiresInDays,
});

export const mintZoneTokenRoute = defineRoute({
  method: "post",
  path: "/zones/:id/tokens",
  operationId: "mintZoneToken",
  summary: "Mint a token bound to this zone",
  description: "acme-dns01 (default) or zone-admin. The plaintext token is returned exactly once.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  body: MintZoneTokenRequest,
  success: { status: 201, description: "Token minted", schema: MintedToken },
  problems: [403, 404],
  handle: ({ services, actor, params, body }) =>
    mintToken(services, actor, {
      scope: body.scope,
      zoneId: params.id ?? "",
      name: body.name,
      expiresInDays: body.expires_in_days,
    }),
});
