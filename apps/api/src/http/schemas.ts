import { DEFAULT_TTL, TOKEN_SCOPES, TTL_MAX, TTL_MIN } from "@dnscove/dns";
import { z } from "zod";
import { MAX_RECORDS_PER_RRSET } from "../domain/rrsets/rrset-change.js";
import { ERROR_CODES } from "./problem.js";

// Response schemas carry an `id`: they become named components of the OpenAPI document and
// named types in the generated SDK.

export const FieldError = z.object({ path: z.string(), message: z.string() }).meta({ id: "FieldError" });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES as [string, ...string[]]),
    request_id: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details, served as application/problem+json." });

export const Zone = z
  .object({
    id: z.string().meta({ example: "Z1a2b3c4d5e6f70" }),
    tenant_id: z.string(),
    origin: z.string().meta({ description: "Lowercase A-label form, no trailing dot." }),
    status: z.enum(["PENDING_VERIFICATION", "ACTIVE"]),
    ns: z.array(z.string()),
    serial: z.number().int(),
    published_serial: z.number().int(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: "Zone" });

export const RRset = z
  .object({
    name: z.string().meta({ description: "Absolute, lowercase, with a trailing dot." }),
    type: z.string(),
    ttl: z.number().int(),
    records: z.array(z.string()).meta({ description: "Canonical presentation form, sorted." }),
  })
  .meta({ id: "RRset" });

export const Token = z
  .object({
    id: z.string().meta({ description: "Public id (16 hex digits)." }),
    zone_id: z.string().nullable(),
    scope: z.enum(TOKEN_SCOPES),
    name: z.string(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().nullable(),
    revoked: z.boolean(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Token" });

export const MintedToken = Token.extend({
  token: z.string().meta({ description: "The plaintext token, `dnsc_<id>_<secret>`. Shown once." }),
}).meta({ id: "MintedToken" });

/**
 * A mailbox a server will deliver to: local part at most 64 octets (RFC 5321 §4.5.3.1.1), the whole
 * address at most 254 (a 256-octet path minus its angle brackets, RFC 5321 §4.5.3.1.3 with RFC 3696
 * erratum 1690).
 */
const Email = z
  .email()
  .max(254)
  .refine((email) => Buffer.byteLength(email.slice(0, email.lastIndexOf("@"))) <= 64, {
    message: "local part (before @) must be at most 64 octets (RFC 5321)",
  });
export const MagicLinkRequest = z.strictObject({ email: Email });
export const MagicLinkSent = z
  .object({ sent: z.literal(true), dev_token: z.string().optional(), dev_link: z.string().optional() })
  .meta({ id: "MagicLinkSent" });

export const ExchangeRequest = z.strictObject({ token: z.string().min(1).max(256) });
export const Session = z.object({ token: z.string(), expires_at: z.iso.datetime() }).meta({ id: "Session" });

export const CreateZoneRequest = z.strictObject({ origin: z.string().min(1).max(300) });
export const ZoneList = z.object({ zones: z.array(Zone) }).meta({ id: "ZoneList" });

export const RRsetChange = z
  .strictObject({
    action: z
      .enum(["CREATE", "UPSERT", "DELETE"])
      .default("UPSERT")
      .meta({ description: "CREATE: like UPSERT, but 409 `RRSET_EXISTS` when the rrset exists." }),
    name: z.string().max(300),
    type: z.string().min(1).max(16),
    ttl: z.number().int().min(TTL_MIN).max(TTL_MAX).default(DEFAULT_TTL),
    records: z.array(z.string().max(100_000)).max(MAX_RECORDS_PER_RRSET).optional(),
  })
  .meta({ id: "RRsetChange" });
export const RRsetChangeBatch = z.strictObject({ changes: z.array(RRsetChange).min(1).max(1000) }).meta({
  id: "RRsetChangeBatch",
});
export const ChangeRRsetsRequest = z.union([RRsetChangeBatch, RRsetChange]);
export const ChangeAccepted = z
  .object({
    status: z.literal("PENDING"),
    serial: z.number().int(),
    rrsets: z.array(RRset).meta({
      description:
        "The stored canonical rrsets after the change, one per change in request order; for a DELETE " +
        "the rrset removed (`records` empty when there was none).",
    }),
  })
  .meta({ id: "ChangeAccepted" });
export const RRsetList = z.object({ rrsets: z.array(RRset) }).meta({ id: "RRsetList" });

export const PublishResult = z
  .object({
    zone: Zone,
    published: z.boolean().meta({ description: "False when an edge did not confirm the serial in time." }),
    serial: z.number().int(),
    publish_error: z.string().optional(),
  })
  .meta({ id: "PublishResult" });

/** Free text stored as is: no control characters (PostgreSQL refuses NUL) and no lone surrogates. */
const tokenName = z
  .string()
  .max(100)
  .refine((name) => !/[\p{Cc}\p{Cs}]/u.test(name), "must not contain control characters or invalid Unicode")
  .optional();

const expiresInDays = z
  .number()
  .int()
  .min(0)
  .max(3650)
  .optional()
  .meta({ description: "0 or absent: the token never expires." });
export const MintZoneTokenRequest = z.strictObject({
  name: tokenName,
  scope: z.enum(["acme-dns01", "zone-admin"]).default("acme-dns01"),
  expires_in_days: expiresInDays,
});
export const MintTokenRequest = z.strictObject({
  name: tokenName,
  scope: z.enum(TOKEN_SCOPES).default("tenant-admin"),
  zone_id: z.string().max(64).optional().meta({ description: "Required for zone-bound scopes." }),
  expires_in_days: expiresInDays,
});
export const TokenList = z.object({ tokens: z.array(Token) }).meta({ id: "TokenList" });

export const DelegationResult = z
  .object({
    delegation: z.object({
      origin: z.string(),
      delegated: z.boolean(),
      expected: z.array(z.string()),
      found: z.array(z.string()),
      missing: z.array(z.string()),
      extra: z.array(z.string()).meta({ description: "Nameservers the parent lists that are not ours." }),
      servers: z.array(
        z.object({
          name: z.string(),
          address: z.string(),
          answered: z.boolean(),
          error: z.string().optional(),
        }),
      ),
      error: z.string().optional(),
      checked_at: z.iso.datetime(),
    }),
    status: Zone.shape.status,
  })
  .meta({ id: "DelegationResult" });

export const ParityResult = z
  .object({
    parity: z.object({
      origin: z.string(),
      matches: z.boolean(),
      checked: z.number().int(),
      mismatched: z.number().int(),
      truncated: z.boolean(),
      mismatches: z.array(
        z.object({
          name: z.string(),
          type: z.string(),
          ours: z.array(z.string()),
          theirs: z.array(z.string()),
        }),
      ),
      ttl_differences: z.array(
        z.object({ name: z.string(), type: z.string(), ours: z.number().int(), theirs: z.number().int() }),
      ),
      their_servers: z.array(z.string()),
      not_compared: z.array(z.object({ name: z.string(), type: z.string(), reason: z.string() })).meta({
        description:
          "Records the import skipped that cannot be compared; safe_to_delete is false while any remain.",
      }),
      error: z.string().optional(),
      checked_at: z.iso.datetime(),
    }),
    safe_to_delete: z.boolean(),
    status: Zone.shape.status,
  })
  .meta({ id: "ParityResult" });

export const AcmeChallengeRequest = z.strictObject({
  action: z.enum(["PRESENT", "CLEANUP"]),
  name: z.string().max(300),
  value: z.string().max(200),
});
export const AcmeChallengeResult = z
  .object({
    status: z.literal("ok"),
    action: z.enum(["PRESENT", "CLEANUP"]),
    changed: z.boolean(),
    published: z.boolean(),
    serial: z.number().int(),
    publish_error: z.string().optional(),
  })
  .meta({ id: "AcmeChallengeResult" });

export const Route53ImportRequest = z.strictObject({
  json: z.string().max(5_000_000),
  origin: z.string().max(300).optional(),
});
export const Route53ImportResult = z
  .object({
    zone: Zone,
    imported: z.number().int(),
    skipped: z.array(z.object({ name: z.string(), type: z.string(), reason: z.string() })),
    published: z.boolean(),
    publish_error: z.string().optional(),
    ns: z.array(z.string()),
  })
  .meta({ id: "Route53ImportResult" });

const ServerSerial = z
  .object({
    id: z.string(),
    address: z.string(),
    serial: z.number().int().nullable(),
    updated_at: z.iso.datetime().nullable(),
    last_seen_at: z.iso.datetime(),
    live: z.boolean(),
  })
  .meta({ id: "ServerSerial" });
export const ZoneServers = z
  .object({
    zone_id: z.string(),
    serial: z.number().int(),
    published_serial: z.number().int(),
    in_sync: z.boolean(),
    edges: z.array(ServerSerial),
    secondaries: z.array(ServerSerial),
  })
  .meta({ id: "ZoneServers" });

export const LegoHttpreqRequest = z.union([
  z.strictObject({ fqdn: z.string().min(1).max(300), value: z.string().max(200) }),
  z.strictObject({
    domain: z.string().min(1).max(300),
    token: z.string().max(500),
    keyAuth: z.string().max(1000),
  }),
]);

export const HealthStatus = z
  .object({
    status: z.literal("ok"),
    database: z.enum(["not-checked", "reachable"]),
  })
  .meta({ id: "HealthStatus" });
