import { z } from "zod";

// The zone entity's wire shapes. Output schemas carry an `id`: they become named components of the
// OpenAPI document and named types in the generated SDK; the domain's views are their z.output.

/**
 * `PENDING_VERIFICATION`: created, delegation not yet seen at the parent. `ACTIVE`: the delegation
 * check found the parent delegating to `ns` (check-delegation.ts moves zones between the two).
 */
export const ZoneStatus = z.enum(["PENDING_VERIFICATION", "ACTIVE"]);
export type ZoneStatus = z.output<typeof ZoneStatus>;

export const Zone = z
  .object({
    id: z.string().meta({ example: "Z1a2b3c4d5e6f70" }),
    tenant_id: z.string(),
    origin: z.string().meta({ description: "Lowercase A-label form, no trailing dot." }),
    status: ZoneStatus,
    ns: z.array(z.string()),
    serial: z.number().int(),
    published_serial: z.number().int(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: "Zone" });
export type ZoneView = z.output<typeof Zone>;

export const ZoneList = z.object({ zones: z.array(Zone) }).meta({ id: "ZoneList" });

const ServerSerial = z
  .object({
    id: z.string(),
    address: z.string(),
    /** The serial it serves for this zone; null when it does not serve the zone (yet). */
    serial: z.number().int().nullable(),
    updated_at: z.iso.datetime().nullable(),
    last_seen_at: z.iso.datetime(),
    live: z.boolean(),
  })
  .meta({ id: "ServerSerial" });
export type ServerSerial = z.output<typeof ServerSerial>;

export const ZoneServers = z
  .object({
    zone_id: z.string(),
    serial: z.number().int(),
    published_serial: z.number().int(),
    /** True when every running edge and every secondary serves `published_serial`. */
    in_sync: z.boolean(),
    edges: z.array(ServerSerial),
    secondaries: z.array(ServerSerial),
  })
  .meta({ id: "ZoneServers" });
export type ZoneServers = z.output<typeof ZoneServers>;
