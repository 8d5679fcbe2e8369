import { listTokens } from "../../../domain/tokens/list-tokens.js";
import { TokenList } from "../../../domain/tokens/schemas.js";
import { defineRoute } from "../../route.js";

export const listZoneTokensRoute = defineRoute({
  method: "get",
  path: "/zones/:id/tokens",
  operationId: "listZoneTokens",
  summary: "List tokens bound to a zone",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "Tokens bound to this zone", schema: TokenList },
  problems: [403, 404],
  handle: async ({ services, actor, params }) => ({
    tokens: await listTokens(services, actor, params.id ?? ""),
  }),
});
