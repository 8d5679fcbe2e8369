import { TOKEN_SCOPES } from "@dnscove/dns";
import { z } from "zod";

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
/** A token as listings show it: never the secret or its hash. */
export type TokenView = z.output<typeof Token>;

export const MintedToken = Token.extend({
  token: z.string().meta({ description: "The plaintext token, `dnsc_<id>_<secret>`. Shown once." }),
}).meta({ id: "MintedToken" });
export type MintedToken = z.output<typeof MintedToken>;

export const TokenList = z.object({ tokens: z.array(Token) }).meta({ id: "TokenList" });

// Fields both mint requests take (routes/tokens/mint-token.ts, mint-zone-token.ts).

/** Free text stored as is: no control characters (PostgreSQL refuses NUL) and no lone surrogates. */
export const TokenName = z
  .string()
  .max(100)
  .refine((name) => !/[\p{Cc}\p{Cs}]/u.test(name), "must not contain control characters or invalid Unicode")
  .optional();

export const ExpiresInDays = z
  .number()
  .int()
  .min(0)
  .max(3650)
  .optional()
  .meta({ description: "0 or absent: the token never expires." });
