import { revokeToken } from "../../../domain/tokens/revoke-token.js";
import { Token } from "../../../domain/tokens/schemas.js";
import { defineRoute } from "../../route.js";

export const revokeTokenRoute = defineRoute({
  method: "delete",
  path: "/tokens/:id",
  operationId: "revokeToken",
  summary: "Revoke a machine token",
  description: "The token answers 401 from then on. Revoking twice answers the same.",
  tag: "tokens",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "Token revoked", schema: Token },
  problems: [403, 404],
  handle: ({ services, actor, params }) => revokeToken(services, actor, params.id ?? ""),
});
