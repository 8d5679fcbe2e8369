import { z } from "zod";

/**
 * A mailbox a server will deliver to: local part at most 64 octets (RFC 5321 §4.5.3.1.1), the whole
 * address at most 254 (a 256-octet path minus its angle brackets, RFC 5321 §4.5.3.1.3 with RFC 3696
 * erratum 1690).
 */
export const Email = z
  .email()
  .max(254)
  .refine((email) => Buffer.byteLength(email.slice(0, email.lastIndexOf("@"))) <= 64, {
    message: "local part (before @) must be at most 64 octets (RFC 5321)",
  });

export const MagicLinkSent = z
  .object({
    sent: z.literal(true),
    /** Only with the development mailer, which sends nothing. */
    dev_token: z.string().optional(),
    dev_link: z.string().optional(),
  })
  .meta({ id: "MagicLinkSent" });
export type MagicLinkSent = z.output<typeof MagicLinkSent>;

export const Session = z.object({ token: z.string(), expires_at: z.iso.datetime() }).meta({ id: "Session" });
export type Session = z.output<typeof Session>;
