import { z } from "zod";
import { RRsetDiff } from "../rrsets/schemas.js";
import { Zone } from "../zones/schemas.js";

/** A record the import did not bring over, and why (aliases to AWS resources, routing policies…). */
export const SkippedRecord = z.object({ name: z.string(), type: z.string(), reason: z.string() });
export type SkippedRecord = z.output<typeof SkippedRecord>;

export const Route53ImportResult = z
  .object({
    zone: Zone,
    imported: z.number().int(),
    skipped: z.array(SkippedRecord),
    published: z.boolean(),
    publish_error: z.string().optional(),
    ns: z.array(z.string()),
    dry_run: z.boolean().optional().meta({ description: "Present (true) on dry runs only." }),
    diff: RRsetDiff.optional().meta({
      description:
        "Dry runs only: the rrsets the import would create (all `added`). The zone, its id included, is not kept.",
    }),
  })
  .meta({ id: "Route53ImportResult" });
export type Route53ImportResult = z.output<typeof Route53ImportResult>;

/** The zone-file import answers exactly what the Route53 import does. */
export const ZoneFileImportResult = Route53ImportResult.meta({ id: "ZoneFileImportResult" });
export type ZoneFileImportResult = z.output<typeof ZoneFileImportResult>;
