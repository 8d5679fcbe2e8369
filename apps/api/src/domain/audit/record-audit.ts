import { joinSql, type RawTx, type Sql, sql, writesAtCommit } from "@dnscove/db";
import type { Clock } from "../../lib/clock.js";
import type { Actor } from "../actor.js";
import {
  type AuditActor,
  type AuditEvent,
  auditActor,
  entryHash,
  GENESIS_HASH,
  type HashedFields,
} from "./audit-entry.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * Appends one entry to the tenant's audit chain inside the mutation's transaction `tx`, so the entry
 * commits with the change or not at all (a refused or rolled-back request leaves none). Call it last
 * in the transaction: on PostgreSQL the head upsert holds the tenant's head row lock until commit,
 * so concurrent mutations of one tenant extend the chain one after the other (never two entries
 * with one seq or one prev_hash), and holding it only at the end keeps that wait short. SQLite has
 * one writer, which serialises the same way.
 *
 * Raw SQL both databases run unchanged: the head upsert (claimAuditHead), and the insert
 * (appendAuditEntry); a trigger (migration 0010_audit) moves the head's hash forward on each insert.
 */
export async function recordAudit(
  tx: RawTx,
  clock: Clock,
  by: Actor | AuditActor,
  event: AuditEvent,
): Promise<void> {
  const actor = "id" in by ? by : auditActor(by);
  await appendAuditEntry(tx, clock, actor, event, await claimAuditHead(tx, actor.tenantId));
}

/** The tenant's chain head, claimed: the next entry's seq, and the hash it follows. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Takes the next seq of the tenant's chain: the head upsert (seq + 1), locking the head row until
 * the transaction ends (PostgreSQL), with the previous entry's hash. The entry for it must be
 * appended (appendAuditEntry) before any other claim in the same transaction: the trigger that
 * moves the head's hash runs on that insert. When an earlier member of the transaction has
 * appended to the chain (ChainSoFar), it holds the lock already and the next seq is known: no
 * statement.
 */
export async function claimAuditHead(tx: RawTx, tenantId: string): Promise<AuditHead> {
  const sofar = tx.carried?.(chainKey(tenantId)) as ChainSoFar | undefined;
  if (sofar) return { seq: sofar.last.seq + 1, hash: sofar.last.hash };
  const heads = await tx.$queryRaw<{ seq: number | bigint; hash: string }[]>`
    INSERT INTO "audit_heads" ("tenant_id", "seq", "hash") VALUES (${tenantId}, 1, ${GENESIS_HASH})
    ON CONFLICT ("tenant_id") DO UPDATE SET "seq" = "audit_heads"."seq" + 1
    RETURNING "seq", "hash"`;
  const head = heads[0];
  if (!head) throw new Error("the audit head upsert returned no row");
  return { seq: Number(head.seq), hash: head.hash };
}

/**
 * Writes the entry at the claimed `head` (claimAuditHead, same transaction, same tenant) just before
 * the transaction commits: where the transaction carries values from one member to the next
 * (RawTx.carry: PostgreSQL's direct transactions, in which one zone's waiting changes run
 * together), with the entries of its other members in one statement (ChainSoFar); otherwise as a
 * write for COMMIT (writesAtCommit). Nothing in the transaction may read it back.
 */
export async function appendAuditEntry(
  tx: RawTx,
  clock: Clock,
  by: Actor | AuditActor,
  event: AuditEvent,
  head: AuditHead,
): Promise<void> {
  const actor = "id" in by ? by : auditActor(by);
  // The time is read under the head lock (after the claim), so `at` never goes back as `seq` goes up.
  const at = clock.now();
  const detail = canonicalJson(event.detail);
  const entry: HashedFields = {
    tenant_id: actor.tenantId,
    seq: head.seq,
    at: at.toISOString(),
    actor: { kind: actor.kind, id: actor.id, name: actor.name, scope: actor.scope },
    operation: event.operation,
    zone: event.zone ? { id: event.zone.id, origin: event.zone.origin } : null,
    client_address: actor.request?.clientAddress ?? null,
    request_id: actor.request?.requestId ?? null,
    prev_hash: head.hash,
  };
  const hash = entryHash(entry, detail);
  const row = sql`(${entry.tenant_id}, ${entry.seq}, ${at}, ${actor.kind}, ${actor.id}, ${actor.name},
      ${actor.scope}, ${entry.operation}, ${entry.zone?.id ?? null}, ${entry.zone?.origin ?? null}, ${detail},
      ${entry.client_address}, ${entry.request_id}, ${entry.prev_hash}, ${hash})`;
  if (!tx.carry) {
    await writesAtCommit(tx).$executeRaw`INSERT INTO "audit_entries" ${AUDIT_INSERT_COLUMNS} VALUES ${row}`;
    return;
  }
  const key = chainKey(actor.tenantId);
  const before = tx.carried?.(key) as ChainSoFar | undefined;
  const sofar: ChainSoFar = {
    tenantId: actor.tenantId,
    claimed: before?.claimed ?? head.seq,
    last: { seq: head.seq, hash },
    rows: [...(before?.rows ?? []), row],
  };
  tx.carry(key, sofar, () => chainWrites(sofar));
}

/**
 * The entries a transaction has appended to one tenant's chain and not yet written: `claimed` is
 * the seq its one head upsert took, `last` the newest entry (the next one's seq - 1 and prev_hash).
 */
interface ChainSoFar {
  tenantId: string;
  claimed: number;
  last: AuditHead;
  rows: Sql[];
}

function chainKey(tenantId: string): string {
  return `audit-chain ${tenantId}`;
}

/**
 * One INSERT for the entries (the trigger moves the head's hash to the last one's), and, when there
 * is more than one, the head's seq moved from the one its upsert claimed to the last entry's.
 */
function chainWrites(sofar: ChainSoFar): Sql[] {
  const writes: Sql[] = [];
  for (let start = 0; start < sofar.rows.length; start += INSERT_ROWS) {
    const rows = joinSql(sofar.rows.slice(start, start + INSERT_ROWS));
    writes.push(sql`INSERT INTO "audit_entries" ${AUDIT_INSERT_COLUMNS} VALUES ${rows}`);
  }
  if (sofar.last.seq !== sofar.claimed) {
    writes.push(
      sql`UPDATE "audit_heads" SET "seq" = ${sofar.last.seq} WHERE "tenant_id" = ${sofar.tenantId}`,
    );
  }
  return writes;
}

/** 15 values a row: 1,000 rows stay far below PostgreSQL's 65,535 bound parameters. */
const INSERT_ROWS = 1000;

const AUDIT_INSERT_COLUMNS = sql`("tenant_id", "seq", "at", "actor_kind", "actor_id", "actor_name",
      "actor_scope", "operation", "zone_id", "zone_origin", "detail", "client_address", "request_id",
      "prev_hash", "hash")`;
