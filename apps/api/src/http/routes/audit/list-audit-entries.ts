import { listAuditEntries } from "../../../domain/audit/list-audit-entries.js";
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, AuditPage, AuditQuery } from "../../../domain/audit/schemas.js";
import { defineRoute } from "../../route.js";

export const listAuditEntriesRoute = defineRoute({
  method: "get",
  path: "/audit",
  operationId: "listAuditEntries",
  summary: "List the tenant's audit log",
  description:
    "Every accepted mutation (zones, rrsets, imports, ACME challenges, publishes, tokens, sign-ins and " +
    "sign-outs), newest first: who (user or token), what (rrsets before and after), when, and from which " +
    `address and request. ${AUDIT_PAGE_DEFAULT} entries a page unless \`limit\` says otherwise (at most ` +
    `${AUDIT_PAGE_MAX}); follow \`next_cursor\` for older ones. Entries are kept (never pruned).`,
  tag: "audit",
  auth: "bearer",
  access: "tenant",
  query: AuditQuery,
  success: { status: 200, description: "A page of entries", schema: AuditPage },
  problems: [403],
  handle: ({ services, actor, query }) => listAuditEntries(services, actor, query),
});
