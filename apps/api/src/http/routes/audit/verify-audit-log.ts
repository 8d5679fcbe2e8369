import { AuditVerification } from "../../../domain/audit/schemas.js";
import { verifyAuditLog } from "../../../domain/audit/verify-audit-log.js";
import { defineRoute } from "../../route.js";

export const verifyAuditLogRoute = defineRoute({
  method: "get",
  path: "/audit/verify",
  operationId: "verifyAuditLog",
  summary: "Check the audit log's hash chain",
  description:
    "Recomputes every entry's hash from seq 1 to the newest and checks each links to the one before. " +
    "`ok: false` names the first entry that does not verify and why.",
  tag: "audit",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "The chain's state", schema: AuditVerification },
  problems: [403],
  handle: ({ services, actor }) => verifyAuditLog(services, actor),
});
