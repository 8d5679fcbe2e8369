import { z } from "zod";
import { createZone } from "../../../domain/zones/create-zone.js";
import { Zone } from "../../../domain/zones/schemas.js";
import { defineRoute } from "../../route.js";

const CreateZoneRequest = z.strictObject({ origin: z.string().min(1).max(300) });

export const createZoneRoute = defineRoute({
  method: "post",
  path: "/zones",
  operationId: "createZone",
  summary: "Create a zone",
  description:
    "The origin is canonicalised (IDNA to punycode, lowercase, no trailing dot). Serial 1 (SOA and apex NS) " +
    "is published at once. An origin hosted by any tenant answers 409 `ZONE_EXISTS`; a public suffix " +
    "(`co.uk`, `github.io`, Public Suffix List) answers 400 `PUBLIC_SUFFIX`; beyond the zones-per-tenant " +
    "quota, 409 `QUOTA_EXCEEDED`.",
  tag: "zones",
  auth: "bearer",
  access: "tenant",
  body: CreateZoneRequest,
  success: { status: 201, description: "Zone created", schema: Zone },
  problems: [403, 409],
  handle: ({ services, actor, body }) => createZone(services, actor, body),
});
