import { signOut } from "../../../domain/auth/sign-out.js";
import { defineRoute } from "../../route.js";

export const signOutRoute = defineRoute({
  method: "post",
  path: "/auth/sign-out",
  operationId: "signOut",
  summary: "End the calling session",
  description:
    "Ends the console session in the Authorization header on the server: it answers 401 from then on, " +
    "on every API process. Other sessions of the same user are not affected. Machine tokens answer 403; " +
    "revoke them with `DELETE /tokens/{id}`.",
  tag: "auth",
  auth: "bearer",
  success: { status: 204, description: "Session ended" },
  problems: [403],
  handle: ({ services, actor }) => signOut(services, actor),
});
