import { canonicalOrigin } from "@dnscove/dns";
import type { Zone } from "@dnscove/sdk";
import { type Diagnostic, DiagnosticError, errorDiagnostic } from "../protocol/diagnostics.js";
import {
  type DataSourceType,
  isNotFound,
  type Obj,
  type ProviderContext,
  str,
} from "../resources/context.js";
import { readDnssec, zoneState } from "../resources/zone.js";
import type { BlockSpec } from "../schema.js";

export const zoneDataSourceSchema: BlockSpec = {
  version: 0,
  description: "Looks up a DNSCove zone by `id` or by `origin` (exactly one of them).",
  attributes: [
    { name: "id", type: "string", optional: true, computed: true, description: "The zone id to look up." },
    {
      name: "origin",
      type: "string",
      optional: true,
      computed: true,
      description: "The zone apex domain to look up, e.g. `example.com`.",
    },
    { name: "ns", type: ["list", "string"], computed: true, description: "The zone's name servers." },
    { name: "status", type: "string", computed: true, description: "`PENDING_VERIFICATION` or `ACTIVE`." },
    { name: "serial", type: "number", computed: true, description: "The zone's current SOA serial." },
    {
      name: "published_serial",
      type: "number",
      computed: true,
      description: "The SOA serial last published to the edge servers.",
    },
    { name: "dnssec", type: "bool", computed: true, description: "Whether the zone is signed with DNSSEC." },
    {
      name: "ds",
      type: ["list", "string"],
      computed: true,
      description:
        "The DS records to give the registrar (SHA-256), one presentation line each; empty when unsigned.",
    },
  ],
};

function validate(config: Obj): Diagnostic[] {
  const { id, origin } = config;
  if (id === null && origin === null) {
    return [errorDiagnostic("Missing zone selector", "Set exactly one of `id` or `origin`.")];
  }
  if (typeof id === "string" && typeof origin === "string") {
    return [
      errorDiagnostic(
        "Conflicting zone selectors",
        "Set exactly one of `id` or `origin`, not both.",
        "origin",
      ),
    ];
  }
  return [];
}

async function read(ctx: ProviderContext, config: Obj): Promise<Obj> {
  const id = str(config.id);
  const origin = str(config.origin);
  let zone: Zone | undefined;
  if (id) {
    try {
      zone = await ctx.zone(id);
    } catch (error) {
      if (isNotFound(error))
        throw new DiagnosticError("Zone not found", `no zone with id ${JSON.stringify(id)}`, "id");
      throw error;
    }
  } else if (origin) {
    const wanted = canonicalOrigin(origin);
    const { data } = await ctx.api.GET("/api/zones");
    zone = data?.zones.find((z) => z.origin === wanted);
    if (!zone) throw new DiagnosticError("Zone not found", `no zone with origin ${wanted}`, "origin");
  } else {
    throw new DiagnosticError("Missing zone selector", "Set exactly one of `id` or `origin`.");
  }
  return zoneState(zone, origin ?? zone.origin, await readDnssec(ctx, zone.id));
}

export const zoneDataSource: DataSourceType = {
  typeName: "dnscove_zone",
  schema: zoneDataSourceSchema,
  validate,
  read,
};
