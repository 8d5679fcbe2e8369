import { canonicalOrigin } from "@dnscove/dns";
import { type components, DnscoveApiError, type Zone } from "@dnscove/sdk";
import { isUnknown, UNKNOWN } from "../protocol/cty.js";
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
    {
      name: "dnssec",
      type: "bool",
      optional: true,
      computed: true,
      description:
        "Sign the zone with DNSSEC (ECDSAP256SHA256). Default `false`. Turning it off starts the insecure transition (RFC 8078): the zone stays signed until the parent no longer has a DS for it, so remove the DS at the registrar; `dnssec` reads `false` from then on.",
    },
    {
      name: "ds",
      type: ["list", "string"],
      computed: true,
      description:
        "The DS records to give the registrar (digest type 2, SHA-256), one presentation line each, e.g. `example.com. IN DS 12345 13 2 <hex>`. Empty while the zone is unsigned or going insecure; after a KSK rollover started outside Terraform, the new KSK's DS.",
    },
  ],
};

type Dnssec = components["schemas"]["Dnssec"];

/** The state of a zone, keeping the configuration's spelling of its origin. */
export function zoneState(zone: Zone, origin: string, dnssec: Dnssec | null): Obj {
  return {
    id: zone.id,
    origin,
    ns: zone.ns,
    status: zone.status,
    serial: zone.serial,
    published_serial: zone.published_serial,
    // A zone going insecure (disabled, waiting for the parent to drop the DS) reads false: the user
    // asked for it off, so a configuration saying false plans nothing.
    dnssec: dnssec ? dnssec.enabled : null,
    ds: dnssec ? dnssec.ds : null,
  };
}

/**
 * The zone's DNSSEC state, or null when the credential may not read it: a zone-admin token can read
 * its zone but not its signing state (the API keeps DNSSEC a tenant-admin matter), and a data source
 * read with one must still work.
 */
export async function readDnssec(ctx: ProviderContext, id: string): Promise<Dnssec | null> {
  try {
    const { data } = await ctx.api.GET("/api/zones/{id}/dnssec", { params: { path: { id } } });
    if (!data) throw new Error(`the API answered without the DNSSEC state of zone ${id}`);
    return data;
  } catch (error) {
    if (error instanceof DnscoveApiError && error.status === 403) return null;
    throw error;
  }
}

/** PUT /zones/{id}/dnssec, then the zone as it is now (enabling and disabling take a serial). */
async function setDnssec(ctx: ProviderContext, id: string, enabled: boolean, origin: string): Promise<Obj> {
  const { data: dnssec } = await ctx.api.PUT("/api/zones/{id}/dnssec", {
    params: { path: { id } },
    body: { enabled },
  });
  if (!dnssec) throw new Error(`the API answered without the DNSSEC state of zone ${id}`);
  const { data: zone } = await ctx.api.GET("/api/zones/{id}", { params: { path: { id } } });
  if (!zone) throw new Error(`the API answered without zone ${id}`);
  return zoneState(zone, origin, dnssec);
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
  // Optional with a default: unset in the configuration means unsigned.
  const dnssec = config.dnssec ?? false;
  if (prior && typeof origin === "string" && typeof prior.origin === "string") {
    // Same zone, perhaps spelled differently: keep the prior value so nothing is planned.
    if (origin === prior.origin || safeOrigin(origin) === safeOrigin(prior.origin)) {
      if (dnssec === prior.dnssec) return { ...prior };
      // Signing or unsigning takes a serial and changes the DS: known only after apply.
      return { ...prior, dnssec, ds: UNKNOWN, serial: UNKNOWN, published_serial: UNKNOWN };
    }
  }
  return {
    id: UNKNOWN,
    origin,
    ns: UNKNOWN,
    status: UNKNOWN,
    serial: UNKNOWN,
    published_serial: UNKNOWN,
    dnssec,
    ds: UNKNOWN,
  };
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
  const dnssec = planned.dnssec === true;
  if (isUnknown(planned.dnssec))
    throw new DiagnosticError("Invalid zone", "dnssec must be known at apply time", "dnssec");
  // Only dnssec updates in place (origin forces a replacement); otherwise an update keeps the prior values.
  if (prior && typeof prior.id === "string") {
    if (dnssec === (prior.dnssec === true)) return { ...planned };
    return setDnssec(ctx, prior.id, dnssec, str(planned.origin) ?? str(prior.origin) ?? "");
  }
  const origin = str(planned.origin);
  if (!origin) throw new DiagnosticError("Invalid zone", "origin must be known at apply time", "origin");
  let zone: Zone;
  try {
    const { data } = await ctx.api.POST("/api/zones", { body: { origin } });
    if (!data) throw new Error("the API answered without the created zone");
    zone = data;
  } catch (error) {
    if (isApiError(error, "ZONE_EXISTS")) throw await zoneExists(ctx, origin, error);
    throw error;
  }
  if (dnssec) {
    try {
      return await setDnssec(ctx, zone.id, true, origin);
    } catch (error) {
      // A failed create leaves nothing in the state: remove the zone rather than orphan it (the next
      // apply would otherwise stop at ZONE_EXISTS), then report why signing failed.
      await ctx.api.DELETE("/api/zones/{id}", { params: { path: { id: zone.id } } }).catch(() => undefined);
      throw error;
    }
  }
  return zoneState(zone, origin, await readDnssec(ctx, zone.id));
}

async function read(ctx: ProviderContext, current: Obj): Promise<Obj | null> {
  const id = str(current.id);
  if (!id) return null;
  try {
    const { data: zone } = await ctx.api.GET("/api/zones/{id}", { params: { path: { id } } });
    if (!zone) return null;
    const prior = str(current.origin);
    const keep = prior !== undefined && safeOrigin(prior) === zone.origin;
    const state = zoneState(zone, keep ? prior : zone.origin, await readDnssec(ctx, id));
    // Not allowed to read the signing state: keep what the state says rather than plan a change.
    if (state.dnssec === null) return { ...state, dnssec: current.dnssec ?? null, ds: current.ds ?? null };
    return state;
  } catch (error) {
    if (isNotFound(error)) return null; // deleted outside Terraform: planned again as a create
    throw error;
  }
}

async function importZone(ctx: ProviderContext, id: string): Promise<Obj> {
  try {
    const zone = await ctx.zone(id.trim());
    return zoneState(zone, zone.origin, await readDnssec(ctx, zone.id));
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
