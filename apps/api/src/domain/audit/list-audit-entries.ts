import { joinSql, type Sql, sql } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { AUDIT_COLUMNS, type AuditRow, toEntryView } from "./audit-entry.js";
import { AUDIT_PAGE_DEFAULT, type AuditPage, type AuditQuery } from "./schemas.js";

/**
 * `GET /api/audit`: the tenant's entries newest first, filtered, a page at a time. The cursor is
 * the seq of the page's last entry; the next page continues below it (keyset pagination on the
 * primary key, so a page costs the same however deep it is and entries written meanwhile never
 * shift a page).
 */
export async function listAuditEntries(
  services: Services,
  actor: Actor,
  query: AuditQuery,
): Promise<AuditPage> {
  authorize(actor, "tenant");
  const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
  const where: Sql[] = [sql`"tenant_id" = ${actor.tenantId}`];
  if (query.cursor !== undefined) where.push(sql`"seq" < ${Number(query.cursor)}`);
  if (query.zone !== undefined) where.push(sql`"zone_id" = ${query.zone}`);
  if (query.actor !== undefined) {
    where.push(
      query.actor.includes("@")
        ? sql`"actor_kind" = 'session' AND "actor_name" = ${query.actor}`
        : sql`"actor_id" = ${query.actor}`,
    );
  }
  if (query.since !== undefined) where.push(sql`"at" >= ${new Date(query.since)}`);
  if (query.until !== undefined) where.push(sql`"at" < ${new Date(query.until)}`);
  const rows = await services.db.$queryRaw<AuditRow[]>`
    SELECT ${AUDIT_COLUMNS} FROM "audit_entries" WHERE ${joinSql(where, " AND ")}
    ORDER BY "seq" DESC LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map(toEntryView);
  const last = page[page.length - 1];
  return { entries: page, next_cursor: rows.length > limit && last ? String(last.seq) : null };
}
