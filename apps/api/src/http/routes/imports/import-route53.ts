import { z } from "zod";
import { importRoute53 } from "../../../domain/imports/import-route53.js";
import { Route53ImportResult } from "../../../domain/imports/schemas.js";
import { defineRoute } from "../../route.js";

const Route53ImportRequest = z
  .strictObject({
    // No length bound here: the body limit (DNSCOVE_MAX_IMPORT_BYTES) bounds it, answering 413.
    json: z
      .string()
      .optional()
      .meta({
        description:
          "The output of `aws route53 list-resource-record-sets` as text (a JSON string holding the JSON). " +
          "Give this or `export`, not both.",
      }),
    // A record of unknown values, not the full shape: the importer checks every record set and names
    // the offending one; a schema here would walk 100,000 record sets once more (issue 14).
    export: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description:
          'The output of `aws route53 list-resource-record-sets` as a JSON object (`{"ResourceRecordSets": [...]}`), ' +
          "embedded as it is: no second JSON parse of a large export. Give this or `json`, not both.",
      }),
    origin: z.string().max(300).optional(),
    dry_run: z.boolean().default(false).meta({
      description:
        "Check everything and answer 200 with what the import would create (`diff`); nothing is written.",
    }),
  })
  .superRefine((body, ctx) => {
    if (body.json !== undefined && body.export !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["export"],
        message: "give the export as json or as export, not both",
      });
    } else if (body.json === undefined && body.export === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["json"],
        message: "required: the export as text (json) or as a JSON object (export)",
      });
    }
  });

export const importRoute53Route = defineRoute({
  method: "post",
  path: "/import/route53",
  operationId: "importRoute53",
  summary: "Import a zone from `aws route53 list-resource-record-sets` output",
  description:
    "The export goes in `json` (as text) or in `export` (as the JSON object itself); exactly one of them, " +
    "else 400 naming the field. All or nothing. Apex SOA and NS are replaced by DNSCove's (the old nameservers are kept for the parity " +
    "check); alias records, routing-policy groups and unsupported types are flattened faithfully or listed " +
    "in `skipped` with a reason. The zone is published before the answer. A public-suffix origin answers 400 " +
    "`PUBLIC_SUFFIX`; beyond the zones-per-tenant or rrsets-per-zone quota, 409 `QUOTA_EXCEEDED`. " +
    'With `"dry_run": true` every check runs the same and the answer is 200 with `dry_run: true` and ' +
    "the `diff`; nothing is written.",
  tag: "import",
  auth: "bearer",
  access: "tenant",
  body: Route53ImportRequest,
  largeBody: true,
  success: { status: 201, description: "Zone imported", schema: Route53ImportResult },
  dryRun: { status: 200, description: "Dry run: nothing written" },
  problems: [403, 409, 413],
  handle: ({ services, actor, body }) => importRoute53(services, actor, body),
});
