import { type Actor, authorize } from "../actor.js";
import type { Services } from "../services.js";
import { AUDIT_COLUMNS, type AuditRow, entryHash, GENESIS_HASH, toEntryView } from "./audit-entry.js";
import { canonicalJson } from "./canonical-json.js";
import type { AuditVerification } from "./schemas.js";

/** Entries read per query: memory stays bounded however long the chain is. */
const PAGE_ROWS = 500;

type Break = NonNullable<AuditVerification["reason"]>;

/**
 * `GET /api/audit/verify`: walks the tenant's chain from seq 1 to the head, a page at a time, and
 * recomputes every hash the way docs/audit-log.md tells a user to. Answers the first entry that
 * does not verify: its content no longer matches its hash (changed in the database), its
 * `prev_hash` is not the previous entry's hash (the previous one was rewritten with a fresh hash),
 * an entry is missing (a gap, or entries deleted from the end: the head still counts them), or
 * the head's hash is not the last entry's.
 *
 * The head is read first, so entries committed while the walk runs are not part of this check
 * (every entry up to the head's seq had committed when the head was read: they commit together).
 */
export async function verifyAuditLog(services: Services, actor: Actor): Promise<AuditVerification> {
  authorize(actor, "tenant");
  const { db } = services;
  const tenantId = actor.tenantId;
  const heads = await db.$queryRaw<{ seq: number | bigint; hash: string }[]>`
    SELECT "seq", "hash" FROM "audit_heads" WHERE "tenant_id" = ${tenantId}`;
  const total = heads[0] ? Number(heads[0].seq) : 0;
  const broken = (row: AuditRow | number, reason: Break, message: string): AuditVerification => ({
    ok: false,
    entries: total,
    first_broken:
      typeof row === "number"
        ? { seq: row, operation: null, at: null }
        : { seq: Number(row.seq), operation: row.operation, at: new Date(row.at).toISOString() },
    reason,
    message,
  });

  let expected = 1;
  let previous = GENESIS_HASH;
  while (expected <= total) {
    const rows = await db.$queryRaw<AuditRow[]>`
      SELECT ${AUDIT_COLUMNS} FROM "audit_entries"
      WHERE "tenant_id" = ${tenantId} AND "seq" >= ${expected} AND "seq" <= ${total}
      ORDER BY "seq" LIMIT ${PAGE_ROWS}`;
    if (rows.length === 0) return broken(expected, "missing", `Entry ${expected} is missing.`);
    for (const row of rows) {
      if (Number(row.seq) !== expected) return broken(expected, "missing", `Entry ${expected} is missing.`);
      if (row.prevHash !== previous) {
        return broken(
          row,
          "prev_hash_mismatch",
          `Entry ${expected}'s prev_hash is not entry ${expected - 1}'s hash: one of the two was rewritten.`,
        );
      }
      if (recomputedHash(row) !== row.hash) {
        return broken(row, "hash_mismatch", `Entry ${expected} does not match its hash: it was changed.`);
      }
      previous = row.hash;
      expected += 1;
    }
    // Let other requests run between pages.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (heads[0] && heads[0].hash !== previous) {
    return broken(total, "head_mismatch", `The chain's head does not hold entry ${total}'s hash.`);
  }
  return { ok: true, entries: total };
}

/** The hash the row's content gives; a detail that is no longer JSON never matches. */
function recomputedHash(row: AuditRow): string | null {
  let detailText: string;
  try {
    detailText = canonicalJson(JSON.parse(row.detail));
  } catch {
    return null;
  }
  const { hash: _stored, detail: _detail, ...fields } = toEntryView(row);
  return entryHash(fields, detailText);
}
