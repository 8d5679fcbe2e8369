import { z } from "zod";
import { exchangeMagicLink } from "../../../domain/auth/exchange-magic-link.js";
import { Session } from "../../../domain/auth/schemas.js";
import { defineRoute } from "../../route.js";

const ExchangeRequest = z.strictObject({ token: z.string().min(1).max(256) });

export const exchangeMagicLinkRoute = defineRoute({
  method: "post",
  path: "/auth/exchange",
  operationId: "exchangeMagicLink",
  summary: "Exchange a magic-link token for a session",
  description: "The link token is single use. First sign-in of an address creates its tenant.",
  tag: "auth",
  auth: "none",
  body: ExchangeRequest,
  success: { status: 200, description: "Session issued", schema: Session },
  problems: [401],
  handle: ({ services, body, request }) => exchangeMagicLink(services, body.token, request),
});
