import { DEFAULT_TTL, TTL_MAX, TTL_MIN } from "@dnscove/dns";
import { z } from "zod";
import { MAX_RECORDS_PER_RRSET } from "./rrset-change.js";

export const RRset = z
  .object({
    name: z.string().meta({ description: "Absolute, lowercase, with a trailing dot." }),
    type: z.string(),
    ttl: z.number().int(),
    records: z.array(z.string()).meta({ description: "Canonical presentation form, sorted." }),
  })
  .meta({ id: "RRset" });
/** An rrset as the list, the single GET and the change answer show it. */
export type RRsetView = z.output<typeof RRset>;

export const RRsetList = z.object({ rrsets: z.array(RRset) }).meta({ id: "RRsetList" });

/**
 * UPSERT replaces the rrset at name+type; CREATE does the same but refuses (409 RRSET_EXISTS) when
 * the rrset is already there, Route 53's CREATE; DELETE removes it.
 */
export const ChangeAction = z.enum(["CREATE", "UPSERT", "DELETE"]);
export type ChangeAction = z.output<typeof ChangeAction>;

export const RRsetChange = z
  .strictObject({
    action: ChangeAction.default("UPSERT").meta({
      description: "CREATE: like UPSERT, but 409 `RRSET_EXISTS` when the rrset exists.",
    }),
    name: z.string().max(300),
    type: z.string().min(1).max(16),
    ttl: z.number().int().min(TTL_MIN).max(TTL_MAX).default(DEFAULT_TTL),
    records: z.array(z.string().max(100_000)).max(MAX_RECORDS_PER_RRSET).optional(),
  })
  .meta({ id: "RRsetChange" });
/** A change as the caller sent it, shape checked; rrset-change.ts canonicalises it. */
export type RRsetChangeInput = z.output<typeof RRsetChange>;

export const RRsetChangeBatch = z.strictObject({ changes: z.array(RRsetChange).min(1).max(1000) }).meta({
  id: "RRsetChangeBatch",
});

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
export type ChangeAccepted = z.output<typeof ChangeAccepted>;
