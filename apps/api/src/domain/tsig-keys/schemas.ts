import { ZONE_BOUND_SCOPES } from "@dnscove/dns";
import { z } from "zod";

export const TsigKey = z
  .object({
    id: z.string().meta({ description: "Public id (16 hex digits)." }),
    zone_id: z.string(),
    name: z.string().meta({
      description: "The key's DNS name, as TSIG clients must spell it: `<label>.<8 hex>.tsig.`",
    }),
    algorithm: z.literal("hmac-sha256"),
    scope: z.enum(ZONE_BOUND_SCOPES),
    created_at: z.iso.datetime(),
    revoked: z.boolean(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "TsigKey" });
/** A TSIG key as listings show it: never the secret. */
export type TsigKeyView = z.output<typeof TsigKey>;

export const CreatedTsigKey = TsigKey.extend({
  secret: z.string().meta({ description: "The HMAC-SHA256 secret, base64 (256 bits). Shown once." }),
}).meta({ id: "CreatedTsigKey" });
export type CreatedTsigKey = z.output<typeof CreatedTsigKey>;

export const TsigKeyList = z.object({ tsig_keys: z.array(TsigKey) }).meta({ id: "TsigKeyList" });

export const CreateTsigKeyRequest = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?$/,
        "must be one DNS label: letters, digits, inner hyphens, at most 40",
      )
      .optional()
      .meta({ description: "The first label of the key name (lowercased); default: the scope." }),
    scope: z.enum(ZONE_BOUND_SCOPES).default("acme-dns01").meta({
      description:
        "acme-dns01: only `_acme-challenge` TXT rrsets; zone-admin: every rrset but the apex SOA/NS.",
    }),
  })
  .meta({ id: "CreateTsigKeyRequest" });
