import { z } from "zod";
import { exportZoneFile } from "../../../domain/zones/export-zone-file.js";
import { defineRoute } from "../../route.js";

export const exportZoneFileRoute = defineRoute({
  method: "get",
  path: "/zones/:id/zone-file",
  operationId: "exportZoneFile",
  summary: "The zone as an RFC 1035 zone file",
  description:
    "What the edges serve now (the published serial; unpublished changes are not in it), SOA and apex NS " +
    "included: absolute names, one record per line, SOA first and then DNS order, every line with its TTL " +
    "and class. `named-checkzone` and `kzonecheck` accept it, and `POST /import/zone-file` reads it back.",
  tag: "zones",
  auth: "bearer",
  access: "zone-records",
  success: {
    status: 200,
    description: "The zone file",
    schema: z.string(),
    mediaType: "text/dns",
  },
  problems: [403, 404],
  handle: ({ services, actor, params }) => exportZoneFile(services, actor, params.id ?? ""),
});
