import { z } from "zod";
import { ChangedRRset, RRset } from "../rrsets/schemas.js";

export type { RRsetDiff } from "../rrsets/schemas.js";

export const ZoneDiff = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    added: z.array(RRset),
    removed: z.array(RRset),
    changed: z.array(ChangedRRset),
  })
  .meta({
    id: "ZoneDiff",
    description:
      "What turns the zone at serial `from` into the zone at serial `to` (apex SOA and NS left out).",
  });
export type ZoneDiff = z.output<typeof ZoneDiff>;

export const SnapshotSummary = z
  .object({
    serial: z.number().int(),
    published_at: z.string().meta({ description: "ISO 8601 time of the publish." }),
    actor: z.string().meta({
      description:
        "Who caused the publish: `user:<id>` (a console session), `token:<id>` (a machine token's public " +
        "id) or `system` (the auto-publisher).",
    }),
    rrset_count: z.number().int().meta({ description: "Rrsets at that serial, apex SOA and NS included." }),
  })
  .meta({ id: "SnapshotSummary" });
export type SnapshotSummary = z.output<typeof SnapshotSummary>;

export const SnapshotList = z
  .object({
    snapshots: z.array(SnapshotSummary).meta({ description: "Newest first." }),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next (older) page; null on the last page." }),
  })
  .meta({ id: "SnapshotList" });
export type SnapshotList = z.output<typeof SnapshotList>;

export const SnapshotView = z
  .object({
    serial: z.number().int(),
    published_at: z.string(),
    actor: z.string(),
    rrset_count: z.number().int(),
    origin: z.string().meta({ description: "Absolute, lowercase, with a trailing dot." }),
    rrsets: z.array(RRset).meta({ description: "The whole zone at that serial, SOA and apex NS first." }),
  })
  .meta({ id: "SnapshotView" });
export type SnapshotView = z.output<typeof SnapshotView>;

export const SnapshotsQuery = z.object({
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "must be a `next_cursor` from a previous page")
    .optional()
    .meta({ description: "`next_cursor` of the previous page." }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .meta({ description: "Entries per page (1 to 500, default 50)." }),
});

const SerialParam = z.coerce.number().int().min(1).max(4_294_967_295);

export const DiffQuery = z.object({
  from: SerialParam.meta({ description: "The serial to compare from." }),
  to: SerialParam.optional().meta({
    description:
      "The serial to compare to; default the zone's current serial (unpublished changes included).",
  }),
});

export const RollbackRequest = z
  .strictObject({
    serial: z.number().int().min(1).max(4_294_967_295),
    dry_run: z.boolean().default(false).meta({
      description: "Validate and answer the diff it would apply; nothing is written, the serial stays.",
    }),
    confirm_mass_delete: z.boolean().default(false).meta({
      description: "Allow a rollback that deletes more than the mass-delete share of the zone's rrsets.",
    }),
  })
  .meta({ id: "RollbackRequest" });

export const RollbackResult = z
  .object({
    status: z.enum(["PENDING", "DRY_RUN", "UNCHANGED"]).meta({
      description:
        "`PENDING`: applied as a new serial, published within the bounded delay; `DRY_RUN`: nothing " +
        "written; `UNCHANGED`: the zone already equals that snapshot, nothing written, no new serial.",
    }),
    dry_run: z.boolean(),
    rolled_back_to: z.number().int(),
    serial: z.number().int().meta({
      description: "The new serial (a dry run: the one it would take; `UNCHANGED`: the current one).",
    }),
    diff: ZoneDiff,
  })
  .meta({ id: "RollbackResult" });
export type RollbackResult = z.output<typeof RollbackResult>;
