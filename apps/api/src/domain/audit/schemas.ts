import { z } from "zod";
import { AUDIT_OPERATIONS } from "./audit-entry.js";

/** Entries per page of `GET /api/audit` unless `limit` says otherwise, and the most it may say. */
export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 1000;

const Datetime = z.iso.datetime({ offset: true });
const LIMIT_MESSAGE = `must be an integer from 1 to ${AUDIT_PAGE_MAX}`;

export const AuditQuery = z
  .object({
    zone: z
      .string()
      .max(64)
      .optional()
      .meta({ description: "Only entries about this zone id (a deleted zone's included)." }),
    actor: z
      .string()
      .max(320)
      .optional()
      .meta({
        description:
          "Only entries made by this actor: a user id, a machine token's id, `auto-publisher` or " +
          "`challenge-expiry`; a value with `@` matches a user's email.",
      }),
    since: Datetime.optional().meta({ description: "Only entries at or after this time (RFC 3339)." }),
    until: Datetime.optional().meta({ description: "Only entries before this time (RFC 3339)." }),
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/, "must be the next_cursor of an earlier page")
      .optional()
      .meta({ description: "The `next_cursor` of the previous page; absent: the newest entries." }),
    limit: z.coerce
      .number({ error: LIMIT_MESSAGE })
      .int(LIMIT_MESSAGE)
      .min(1, LIMIT_MESSAGE)
      .max(AUDIT_PAGE_MAX, LIMIT_MESSAGE)
      .optional()
      .meta({ description: `Entries per page, 1-${AUDIT_PAGE_MAX} (default ${AUDIT_PAGE_DEFAULT}).` }),
  })
  .strict();
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditEntry = z
  .object({
    tenant_id: z.string(),
    seq: z.number().int().meta({ description: "1, 2, 3... per tenant, without gaps." }),
    at: z.iso.datetime(),
    actor: z.object({
      kind: z.enum(["session", "token", "system"]),
      id: z.string().meta({ description: "User id, token id, or the job (`auto-publisher`)." }),
      name: z.string().nullable().meta({ description: "The user's email or the token's name." }),
      scope: z.string().nullable().meta({ description: "The token's scope." }),
    }),
    operation: z.string().meta({ description: `One of ${AUDIT_OPERATIONS.join(", ")} (more may be added).` }),
    zone: z.object({ id: z.string(), origin: z.string().nullable() }).nullable(),
    detail: z.record(z.string(), z.unknown()).meta({
      description: "What changed (rrsets before and after, a token's name and scope...); never a secret.",
    }),
    client_address: z.string().nullable(),
    request_id: z
      .string()
      .nullable()
      .meta({ description: "The X-Request-Id the mutation was answered with." }),
    prev_hash: z.string().meta({ description: "The hash of entry seq - 1 (64 zeros for seq 1)." }),
    hash: z.string().meta({
      description:
        "SHA-256 (hex) of the RFC 8785 canonical JSON of this entry without `hash` (docs/audit-log.md).",
    }),
  })
  .meta({ id: "AuditEntry" });

export const AuditPage = z
  .object({
    entries: z.array(AuditEntry).meta({ description: "Newest first." }),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for older entries; null: no more." }),
  })
  .meta({ id: "AuditPage" });
export type AuditPage = z.input<typeof AuditPage>;

export const AUDIT_BREAKS = ["hash_mismatch", "prev_hash_mismatch", "missing", "head_mismatch"] as const;

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    entries: z.number().int().meta({ description: "How many entries the chain holds (the head's seq)." }),
    first_broken: z
      .object({
        seq: z.number().int(),
        operation: z.string().nullable(),
        at: z.iso.datetime().nullable(),
      })
      .optional()
      .meta({ description: "The first entry that does not verify; absent when ok." }),
    reason: z.enum(AUDIT_BREAKS).optional(),
    message: z.string().optional(),
  })
  .meta({ id: "AuditVerification" });
export type AuditVerification = z.input<typeof AuditVerification>;
