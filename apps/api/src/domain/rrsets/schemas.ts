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

/** An rrset's content on one side of a change. */
export const RRsetContent = z
  .object({ ttl: z.number().int(), records: z.array(z.string()) })
  .meta({ id: "RRsetContent" });

export const ChangedRRset = z
  .object({ name: z.string(), type: z.string(), before: RRsetContent, after: RRsetContent })
  .meta({ id: "ChangedRRset" });

/**
 * What a change does to the zone's rrsets, in canonical form (so equal content never shows as a
 * difference), each list sorted by name then type. The system-managed apex SOA and NS are left out:
 * their only changes are the SOA serial, which every change moves.
 */
export const RRsetDiff = z
  .object({
    added: z.array(RRset),
    removed: z.array(RRset),
    changed: z.array(ChangedRRset).meta({ description: "Same name and type, other TTL or records." }),
  })
  .meta({ id: "RRsetDiff" });
export type RRsetDiff = z.output<typeof RRsetDiff>;

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

/** Options of a change call, beside the change (or `changes`) in the same body. */
const ChangeOptions = {
  dry_run: z.boolean().default(false).meta({
    description:
      "Validate everything and answer the exact diff (`diff`) and the serial it would take; nothing is written.",
  }),
  confirm_mass_delete: z.boolean().default(false).meta({
    description:
      "Allow a change that deletes more than the mass-delete share of the zone's rrsets (409 `MASS_DELETE` otherwise).",
  }),
};

export const RRsetChangeRequest = RRsetChange.extend(ChangeOptions).meta({ id: "RRsetChangeRequest" });

export const RRsetChangeBatch = z
  .strictObject({ changes: z.array(RRsetChange).min(1).max(1000), ...ChangeOptions })
  .meta({ id: "RRsetChangeBatch" });

export const ChangeAccepted = z
  .object({
    status: z.enum(["PENDING", "DRY_RUN"]).meta({
      description: "`PENDING`: accepted, published within the bounded delay; `DRY_RUN`: nothing was written.",
    }),
    dry_run: z.boolean().optional().meta({ description: "Present (true) on dry runs only." }),
    serial: z.number().int().meta({ description: "The serial the change took (a dry run: would take)." }),
    rrsets: z.array(RRset).meta({
      description:
        "The stored canonical rrsets after the change, one per change in request order; for a DELETE " +
        "the rrset removed (`records` empty when there was none).",
    }),
    diff: RRsetDiff.optional().meta({ description: "Dry runs only: exactly what the change would do." }),
  })
  .meta({ id: "ChangeAccepted" });
export type ChangeAccepted = z.output<typeof ChangeAccepted>;
