import { z } from "zod";
import { SkippedRecord } from "../imports/schemas.js";
import { ZoneStatus } from "../zones/schemas.js";

// The answers of the delegation and parity checks, declared once: the domain builds them from the
// raw probe data of the DnsChecks port (dns-checks.ts), whose names keep their trailing dot.

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
    status: ZoneStatus,
  })
  .meta({ id: "DelegationResult" });
export type DelegationResult = z.output<typeof DelegationResult>;

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
          error: z.string().optional().meta({
            description:
              "Set when a side gave no usable answer (timeout, REFUSED, SERVFAIL…) rather than different data.",
          }),
        }),
      ),
      ttl_differences: z.array(
        z.object({ name: z.string(), type: z.string(), ours: z.number().int(), theirs: z.number().int() }),
      ),
      their_servers: z.array(z.string()),
      not_compared: z.array(SkippedRecord).meta({
        description:
          "Records the import skipped that cannot be compared; safe_to_delete is false while any remain.",
      }),
      error: z.string().optional(),
      checked_at: z.iso.datetime(),
    }),
    /** Every rrset matches, nothing was truncated, and the parent delegates to our nameservers alone. */
    safe_to_delete: z.boolean(),
    status: ZoneStatus,
  })
  .meta({ id: "ParityResult" });
export type ParityResult = z.output<typeof ParityResult>;
