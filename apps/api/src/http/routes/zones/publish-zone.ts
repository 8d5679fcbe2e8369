import { publishZone } from "../../../domain/publish/publish-zone.js";
import { PublishResult } from "../../../domain/publish/schemas.js";
import { defineRoute } from "../../route.js";

export const publishZoneRoute = defineRoute({
  method: "post",
  path: "/zones/:id/publish",
  operationId: "publishZone",
  summary: "Publish pending changes now",
  description: "Stores an immutable snapshot at the current serial and answers once the edge serves it.",
  tag: "zones",
  auth: "bearer",
  access: "tenant",
  success: { status: 200, description: "Published", schema: PublishResult },
  problems: [403, 404, 503],
  handle: ({ services, actor, params }) => publishZone(services, actor, params.id ?? ""),
});
