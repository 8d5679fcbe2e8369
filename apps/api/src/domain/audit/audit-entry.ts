import { sql } from "@dnscove/db";
import { sha256Hex } from "../../lib/secrets.js";
import type { Actor, RequestContext } from "../actor.js";
import { canonicalJson, RawJson } from "./canonical-json.js";

/** Every operation the log records: stable dotted names clients may filter and branch on. */
export const AUDIT_OPERATIONS = [
  "auth.sign-in",
  "auth.sign-out",
  "zone.create",
  "zone.delete",
  "zone.publish",
  "zone.status",
  "rrsets.change",
  "zone.rollback",
  "import.route53",
  "import.zone-file",
  "acme.present",
  "acme.cleanup",
  "token.create",
  "token.revoke",
  "dnssec.enable",
  "dnssec.disable",
  "dnssec.ksk-rollover",
  "dnssec.key-change",
  "dnssec.unsigned",
  "tsig-key.create",
  "tsig-key.revoke",
] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

/** The `prev_hash` of a tenant's first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** Who made a change as the log names them: a user (session), a machine token, or a job. */
export interface AuditActor {
  tenantId: string;
  kind: "session" | "token" | "system";
  /** User id, token id, or the job's name (`auto-publisher`). */
  id: string;
  /** The user's email or the token's name; null for a job. */
  name: string | null;
  /** The token's scope; null otherwise. */
  scope: string | null;
  /** Null for changes no request made (a job). */
  request: RequestContext | null;
}

export function auditActor(actor: Actor): AuditActor {
  return actor.kind === "session"
    ? {
        tenantId: actor.tenantId,
        kind: "session",
        id: actor.userId,
        name: actor.email,
        scope: null,
        request: actor.request,
      }
    : {
        tenantId: actor.tenantId,
        kind: "token",
        id: actor.tokenId,
        name: actor.name,
        scope: actor.scope,
        request: actor.request,
      };
}

/**
 * A change no request made: the auto-publisher's publishes, and the removal of ACME challenge
 * values their client never cleaned up.
 */
export function systemActor(
  tenantId: string,
  job: "auto-publisher" | "challenge-expiry" | "dnssec",
): AuditActor {
  return { tenantId, kind: "system", id: job, name: null, scope: null, request: null };
}

/** What one mutation records besides who made it and when. */
export interface AuditEvent {
  operation: AuditOperation;
  zone: { id: string; origin: string } | null;
  /** Plain JSON (strings, integers, booleans, null, arrays, objects); never a secret. */
  detail: Record<string, unknown>;
}

/**
 * An entry as `GET /api/audit` answers it. The hash covers every other field: SHA-256 (hex) of the
 * canonical JSON (RFC 8785) of this object without `hash`; `prev_hash` chains it to entry `seq - 1`.
 */
export interface AuditEntryView {
  tenant_id: string;
  seq: number;
  at: string;
  actor: { kind: AuditActor["kind"]; id: string; name: string | null; scope: string | null };
  operation: string;
  zone: { id: string; origin: string | null } | null;
  detail: Record<string, unknown>;
  client_address: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The fields an entry's hash covers, `detail` as its canonical JSON text. */
export type HashedFields = Omit<AuditEntryView, "hash" | "detail">;

/** SHA-256 (lowercase hex) of the entry's canonical JSON without `hash`; `detail` is canonical text. */
export function entryHash(fields: HashedFields, detailText: string): string {
  return sha256Hex(canonicalJson({ ...fields, detail: new RawJson(detailText) }));
}

/** An `audit_entries` row as the raw queries read it. */
export interface AuditRow {
  tenantId: string;
  seq: number | bigint;
  at: Date | string;
  actorKind: string;
  actorId: string;
  actorName: string | null;
  actorScope: string | null;
  operation: string;
  zoneId: string | null;
  zoneOrigin: string | null;
  detail: string;
  clientAddress: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** The columns of AuditRow, for SELECTs. */
export const AUDIT_COLUMNS = sql`"tenant_id" AS "tenantId", "seq", "at", "actor_kind" AS "actorKind",
  "actor_id" AS "actorId", "actor_name" AS "actorName", "actor_scope" AS "actorScope", "operation",
  "zone_id" AS "zoneId", "zone_origin" AS "zoneOrigin", "detail", "client_address" AS "clientAddress",
  "request_id" AS "requestId", "prev_hash" AS "prevHash", "hash"`;

/**
 * The row as the API shows it, `hash` as stored. A `detail` that is not JSON any more (tampered
 * with in the database) is shown as its text, so the listing still answers and verify names it.
 */
export function toEntryView(row: AuditRow): AuditEntryView {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    detail = { unparseable: row.detail };
  }
  return {
    tenant_id: row.tenantId,
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: {
      kind: row.actorKind as AuditActor["kind"],
      id: row.actorId,
      name: row.actorName,
      scope: row.actorScope,
    },
    operation: row.operation,
    zone: row.zoneId === null ? null : { id: row.zoneId, origin: row.zoneOrigin },
    detail,
    client_address: row.clientAddress,
    request_id: row.requestId,
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}
