import { z } from "zod";
import { requestMagicLink } from "../../../domain/auth/request-magic-link.js";
import { Email, MagicLinkSent } from "../../../domain/auth/schemas.js";
import { defineRoute } from "../../route.js";

const MagicLinkRequest = z.strictObject({ email: Email });

export const requestMagicLinkRoute = defineRoute({
  method: "post",
  path: "/auth/magic-link",
  operationId: "requestMagicLink",
  summary: "Request a magic-link sign-in token",
  description:
    "Mails a single-use sign-in link. The answer is the same whether or not the address is known; " +
    "`dev_token` and `dev_link` appear only when the server runs the development mailer.",
  tag: "auth",
  auth: "none",
  body: MagicLinkRequest,
  success: { status: 200, description: "Link issued", schema: MagicLinkSent },
  problems: [],
  handle: ({ services, body, clientIp }) => requestMagicLink(services, { email: body.email, clientIp }),
});
