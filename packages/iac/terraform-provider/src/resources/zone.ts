import { canonicalOrigin } from "@dnscove/dns";
import type { Zone } from "@dnscove/sdk";
import { UNKNOWN } from "../protocol/cty.js";
import { type Diagnostic, DiagnosticError, toDiagnostic } from "../protocol/diagnostics.js";
import type { BlockSpec } from "../schema.js";
import { isApiError, isNotFound, type Obj, type ProviderContext, type ResourceType, str } from "./context.js";

export const zoneResourceSchema: BlockSpec = {
  version: 0,
  description: "A DNS zone hosted on DNSCove. Import with the zone id, e.g. `Z1a2b3c4d5e6f70`.",
  attributes: [
    { name: "id", type: "string", computed: true, description: "The zone id, e.g. `Z1a2b3c4d5e6f70`." },
    {
      name: "origin",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The zone apex domain, e.g. `example.com`. Case, a trailing dot and Unicode (IDN) spellings are equivalent. Changing it replaces the zone.",
    },
    {
      name: "ns",
      type: ["list", "string"],
      computed: true,
      description: "The name servers to delegate the zone to at its parent.",
    },
    {
      name: "status",
      type: "string",
      computed: true,
      description: "`PENDING_VERIFICATION` until the delegation is seen, then `ACTIVE`.",
    },
    { name: "serial", type: "number", computed: true, description: "The zone's current SOA serial." },
    {
      name: "published_serial",
      type: "number",
      computed: true,
      description: "The SOA serial last published to the edge servers.",
    },
  ],
};

/** The state of a zone, keeping the configuration's spelling of its origin. */
export function zoneState(zone: Zone, origin: string): Obj {
  return {
    id: zone.id,
    origin,
    ns: zone.ns,
    status: zone.status,
    serial: zone.serial,
    published_serial: zone.published_serial,
  };
}

function safeOrigin(origin: string): string | undefined {
  try {
    return canonicalOrigin(origin);
  } catch {
    return undefined;
  }
}

function validate(config: Obj): Diagnostic[] {
  const origin = config.origin;
  if (typeof origin !== "string") return [];
  try {
    canonicalOrigin(origin);
    return [];
  } catch (error) {
    return [toDiagnostic(error, "Invalid zone origin", "origin")];
  }
}

function plan(_ctx: ProviderContext, prior: Obj | null, _proposed: Obj, config: Obj): Obj {
  const origin = config.origin ?? null;
  if (prior && typeof origin === "string" && typeof prior.origin === "string") {
    // Same zone, perhaps spelled differently: keep the prior value so nothing is planned.
    if (origin === prior.origin || safeOrigin(origin) === safeOrigin(prior.origin)) return { ...prior };
  }
  return { id: UNKNOWN, origin, ns: UNKNOWN, status: UNKNOWN, serial: UNKNOWN, published_serial: UNKNOWN };
}

/**
 * A 409 ZONE_EXISTS answer with the way out: the zone is usually one this tenant created outside
 * Terraform (the README quick start), which `terraform import` adopts.
 */
async function zoneExists(ctx: ProviderContext, origin: string, error: unknown): Promise<DiagnosticError> {
  const wanted = safeOrigin(origin) ?? origin;
  let id: string | undefined;
  try {
    const { data } = await ctx.api.GET("/api/zones");
    id = data?.zones.find((z) => z.origin === wanted)?.id;
  } catch {
    // The hint is a nicety: without it the API's own answer still explains the failure.
  }
  const base = toDiagnostic(error, "Creating dnscove_zone");
  if (!id) {
    return new DiagnosticError(
      `Zone ${wanted} is already hosted`,
      `${base.detail}\nThe credential cannot see it, so it belongs to another DNSCove account: remove it there first.`,
      "origin",
    );
  }
  return new DiagnosticError(
    `Zone ${wanted} already exists (id ${id})`,
    `${base.detail}\nTo manage the existing zone with Terraform, import it into this state instead of creating it:\n\n  terraform import dnscove_zone.<name> ${id}\n\nor add an import block:\n\n  import {\n    to = dnscove_zone.<name>\n    id = "${id}"\n  }`,
    "origin",
  );
}

async function apply(ctx: ProviderContext, prior: Obj | null, planned: Obj | null): Promise<Obj | null> {
  if (!planned) {
    const id = str(prior?.id);
    if (id) {
      try {
        await ctx.api.DELETE("/api/zones/{id}", { params: { path: { id } } });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return null;
  }
  // Nothing updates in place (origin forces a replacement): an update only keeps the prior values.
  if (prior && typeof prior.id === "string") return { ...planned };
  const origin = str(planned.origin);
  if (!origin) throw new DiagnosticError("Invalid zone", "origin must be known at apply time", "origin");
  try {
    const { data: zone } = await ctx.api.POST("/api/zones", { body: { origin } });
    if (!zone) throw new Error("the API answered without the created zone");
    return zoneState(zone, origin);
  } catch (error) {
    if (isApiError(error, "ZONE_EXISTS")) throw await zoneExists(ctx, origin, error);
    throw error;
  }
}

async function read(ctx: ProviderContext, current: Obj): Promise<Obj | null> {
  const id = str(current.id);
  if (!id) return null;
  try {
    const { data: zone } = await ctx.api.GET("/api/zones/{id}", { params: { path: { id } } });
    if (!zone) return null;
    const prior = str(current.origin);
    const keep = prior !== undefined && safeOrigin(prior) === zone.origin;
    return zoneState(zone, keep ? prior : zone.origin);
  } catch (error) {
    if (isNotFound(error)) return null; // deleted outside Terraform: planned again as a create
    throw error;
  }
}

async function importZone(ctx: ProviderContext, id: string): Promise<Obj> {
  try {
    const zone = await ctx.zone(id.trim());
    return zoneState(zone, zone.origin);
  } catch (error) {
    if (isNotFound(error))
      throw new DiagnosticError("Cannot import zone", `no zone with id ${JSON.stringify(id)}`);
    throw error;
  }
}

export const zoneResource: ResourceType = {
  typeName: "dnscove_zone",
  schema: zoneResourceSchema,
  validate,
  plan,
  apply,
  read,
  import: importZone,
};
