import { listTokens } from "../../../domain/tokens/list-tokens.js";
import { TokenList } from "../../../domain/tokens/schemas.js";
import { defineRoute } from "../../route.js";

export const listTokensRoute = defineRoute({
  method: "get",
  path: "/tokens",
  operationId: "listTokens",
  summary: "List all of the tenant's tokens",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "Tokens (never their secrets)", schema: TokenList },
  problems: [403],
  handle: async ({ services, actor }) => ({ tokens: await listTokens(services, actor) }),
});
