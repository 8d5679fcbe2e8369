import { z } from "zod";
import { importZoneFile } from "../../../domain/imports/import-zone-file.js";
import { ZoneFileImportResult } from "../../../domain/imports/schemas.js";
import { defineRoute } from "../../route.js";

const ZoneFileImportRequest = z.strictObject({
  origin: z.string().max(300).meta({
    description: "The zone's name; the file's `$ORIGIN` at its start, and where its SOA (if any) must be.",
  }),
  // No length bound here: the body limit (DNSCOVE_MAX_IMPORT_BYTES) bounds it, answering 413.
  zone_file: z.string().meta({
    description: "An RFC 1035 master file as BIND and Knot write it. `$INCLUDE` and `$GENERATE` are refused.",
  }),
  dry_run: z.boolean().default(false).meta({
    description:
      "Check everything and answer 200 with what the import would create (`diff`); nothing is written.",
  }),
});

export const importZoneFileRoute = defineRoute({
  method: "post",
  path: "/import/zone-file",
  operationId: "importZoneFile",
  summary: "Import a zone from an RFC 1035 zone file (BIND, Knot)",
  description:
    "All or nothing. Relative names, `@`, `$ORIGIN`, `$TTL`, parentheses, comments and escapes are read as " +
    "BIND reads them; a malformed file answers 400 naming `zone_file` with `line N: …`. Apex SOA and NS " +
    "are replaced by DNSCove's (the old nameservers are kept for the parity check); DNSSEC records, other " +
    "classes, out-of-zone data and unsupported types are listed in `skipped` with a reason. The zone is " +
    "published before the answer. A public-suffix origin answers 400 `PUBLIC_SUFFIX`; beyond the " +
    'zones-per-tenant or rrsets-per-zone quota, 409 `QUOTA_EXCEEDED`. With `"dry_run": true` every check ' +
    "runs the same and the answer is 200 with `dry_run: true` and the `diff`; nothing is written.",
  tag: "import",
  auth: "bearer",
  access: "tenant",
  body: ZoneFileImportRequest,
  largeBody: true,
  success: { status: 201, description: "Zone imported", schema: ZoneFileImportResult },
  dryRun: { status: 200, description: "Dry run: nothing written" },
  problems: [403, 409, 413],
  handle: ({ services, actor, body }) => importZoneFile(services, actor, body),
});
