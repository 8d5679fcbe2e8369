import {
  canonicalOwnerName,
  canonicalRecords,
  DEFAULT_TTL,
  isRecordType,
  isValidTtl,
  relativeToOrigin,
  TTL_MAX,
  TTL_MIN,
} from "@dnscove/dns";
import type { RRset } from "@dnscove/sdk";
import { UNKNOWN } from "../protocol/cty.js";
import { type Diagnostic, DiagnosticError, errorDiagnostic, toDiagnostic } from "../protocol/diagnostics.js";
import type { BlockSpec } from "../schema.js";
import { isApiError, isNotFound, type Obj, type ProviderContext, type ResourceType, str } from "./context.js";

export const rrsetResourceSchema: BlockSpec = {
  version: 0,
  description:
    "One resource record set (all records of one name and type) in a DNSCove zone. Creating one that already exists fails unless `allow_overwrite = true`. Import with `zone_id/name/type`, e.g. `Z1a2b3c4d5e6f70/www/A`.",
  attributes: [
    {
      name: "id",
      type: "string",
      computed: true,
      description:
        "`zone_id/name/type`, with the absolute owner name, e.g. `Z1a2b3c4d5e6f70/www.example.com./A`.",
    },
    {
      name: "zone_id",
      type: "string",
      required: true,
      forceNew: true,
      description: "The id of the zone holding the rrset. Changing it replaces the rrset.",
    },
    {
      name: "name",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The owner name: `@` for the apex, a name relative to the zone (`www`), or absolute with a trailing dot (`www.example.com.`). Case-insensitive. Changing it replaces the rrset.",
    },
    {
      name: "type",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The record type in upper case, e.g. `A`, `AAAA`, `CNAME`, `MX`, `TXT`. Changing it replaces the rrset.",
    },
    {
      name: "ttl",
      type: "number",
      optional: true,
      computed: true,
      description: `Time to live in seconds, ${TTL_MIN} to ${TTL_MAX}. Defaults to ${DEFAULT_TTL}.`,
    },
    {
      name: "records",
      type: ["set", "string"],
      required: true,
      description:
        'The records\' data in presentation format, e.g. `192.0.2.1`, `10 mail.example.com.`, `"v=spf1 -all"`. Equivalent spellings (case, IPv6 compression, unquoted TXT) plan no changes.',
    },
    {
      name: "allow_overwrite",
      type: "bool",
      optional: true,
      description:
        "Whether creating the rrset may take over one of the same name and type that already exists (created outside this configuration), replacing its records. Defaults to false: the create fails and names the `terraform import` command instead, as the AWS provider's `aws_route53_record` does.",
    },
    {
      name: "fqdn",
      type: "string",
      computed: true,
      description: "The absolute owner name, lower case with a trailing dot, e.g. `www.example.com.`.",
    },
  ],
};

/** Whether two record lists are the same rrset data once canonicalised (invalid → not equal). */
export function sameRecords(type: string, a: readonly string[], b: readonly string[]): boolean {
  if (!isRecordType(type)) return false;
  try {
    const left = canonicalRecords(type, a);
    const right = canonicalRecords(type, b);
    return left.length === right.length && left.every((r, i) => r === right[i]);
  } catch {
    return false;
  }
}

function validate(config: Obj): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { type, ttl, records } = config;
  if (typeof type === "string" && !isRecordType(type)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid record type",
        `${JSON.stringify(type)} is not a record type DNSCove manages; use an upper-case type such as A, AAAA, CNAME, MX, TXT, SRV, CAA.`,
        "type",
      ),
    );
  }
  if (typeof ttl === "number" && !isValidTtl(ttl)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid TTL",
        `ttl must be a whole number from ${TTL_MIN} to ${TTL_MAX}, got ${ttl}`,
        "ttl",
      ),
    );
  }
  if (typeof type === "string" && isRecordType(type) && Array.isArray(records)) {
    if (records.length === 0) {
      diagnostics.push(
        errorDiagnostic("Invalid records", "records must hold at least one record", "records"),
      );
    } else if (records.every((r) => typeof r === "string")) {
      try {
        canonicalRecords(type, records as string[]);
      } catch (error) {
        diagnostics.push(toDiagnostic(error, `Invalid ${type} records`, "records"));
      }
    }
  }
  return diagnostics;
}

/** The absolute owner name, once the zone (and so its origin) is known. */
async function ownerName(ctx: ProviderContext, zoneId: string, name: string): Promise<string> {
  let origin: string;
  try {
    origin = (await ctx.zone(zoneId)).origin;
  } catch (error) {
    const summary = isNotFound(error) ? `Zone ${zoneId} not found` : `Reading zone ${zoneId}`;
    throw DiagnosticError.of(error, summary, "zone_id");
  }
  try {
    return canonicalOwnerName(name, origin);
  } catch (error) {
    throw DiagnosticError.of(error, "Invalid owner name", "name");
  }
}

async function plan(ctx: ProviderContext, prior: Obj | null, _proposed: Obj, config: Obj): Promise<Obj> {
  const zoneId = config.zone_id ?? null;
  const name = config.name ?? null;
  const type = config.type ?? null;
  const records = config.records ?? null;
  const ttl = config.ttl ?? DEFAULT_TTL;
  const fqdn =
    typeof zoneId === "string" && typeof name === "string" ? await ownerName(ctx, zoneId, name) : undefined;
  const id =
    fqdn && typeof zoneId === "string" && typeof type === "string" ? `${zoneId}/${fqdn}/${type}` : UNKNOWN;
  const planned: Obj = {
    id,
    zone_id: zoneId,
    name,
    type,
    ttl,
    records,
    allow_overwrite: config.allow_overwrite ?? null,
    fqdn: fqdn ?? UNKNOWN,
  };
  if (!prior) return planned;
  // An update in place: equivalent spellings keep the prior value, so they plan nothing.
  if (name !== prior.name && fqdn !== undefined && fqdn === prior.fqdn) planned.name = prior.name ?? null;
  planned.id = prior.id ?? id;
  planned.fqdn = prior.fqdn ?? planned.fqdn ?? null;
  if (
    typeof type === "string" &&
    Array.isArray(records) &&
    Array.isArray(prior.records) &&
    records.every((r) => typeof r === "string") &&
    sameRecords(type, records as string[], prior.records as string[])
  ) {
    planned.records = prior.records;
  }
  return planned;
}

/**
 * The state after a write, from the rrset the API stored (its answer's `rrsets`): the stored
 * owner name and TTL; the configured spelling of the records when it is the same data, so the
 * state still matches the plan (Terraform checks that after apply).
 */
function storedState(zoneId: string, planned: Obj, stored: RRset): Obj {
  const mine = Array.isArray(planned.records) ? (planned.records as string[]) : [];
  return {
    ...planned,
    id: `${zoneId}/${stored.name}/${stored.type}`,
    fqdn: stored.name,
    ttl: stored.ttl,
    records: sameRecords(stored.type, mine, stored.records) ? mine : stored.records,
  };
}

async function apply(ctx: ProviderContext, prior: Obj | null, planned: Obj | null): Promise<Obj | null> {
  if (!planned) {
    if (prior && typeof prior.zone_id === "string" && typeof prior.type === "string") {
      const name = str(prior.fqdn) ?? str(prior.name) ?? "@";
      try {
        await ctx.api.POST("/api/zones/{id}/rrsets", {
          params: { path: { id: prior.zone_id } },
          body: { action: "DELETE", name, type: prior.type },
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return null;
  }
  const zoneId = str(planned.zone_id);
  const name = str(planned.name);
  const type = str(planned.type);
  const records = planned.records;
  if (!zoneId || name === undefined || !type || !Array.isArray(records)) {
    throw new DiagnosticError("Invalid rrset", "zone_id, name, type and records must be known at apply time");
  }
  const fqdn = await ownerName(ctx, zoneId, name);
  const ttl = typeof planned.ttl === "number" ? planned.ttl : DEFAULT_TTL;
  // A create must not silently take over an rrset made outside this state (Route53's CREATE);
  // an update, or a create told so by allow_overwrite, writes whatever is there (UPSERT).
  const action = prior || planned.allow_overwrite === true ? "UPSERT" : "CREATE";
  try {
    const { data } = await ctx.api.POST("/api/zones/{id}/rrsets", {
      params: { path: { id: zoneId } },
      body: { action, name: fqdn, type, ttl, records: records as string[] },
    });
    const stored = data?.rrsets?.[0];
    if (!stored) throw new Error("the API answered without the stored rrset");
    return storedState(zoneId, planned, stored);
  } catch (error) {
    if (!isApiError(error, "RRSET_EXISTS")) throw error;
    throw new DiagnosticError(
      `RRset ${fqdn} ${type} already exists`,
      `Zone ${zoneId} already has a ${type} rrset at ${fqdn}, created outside this Terraform state; creating it would overwrite its records.\nTo manage it, import it:\n\n  terraform import dnscove_rrset.<name> ${zoneId}/${fqdn}/${type}\n\nor set allow_overwrite = true on the resource to take it over and replace its records.`,
      "name",
    );
  }
}

/** One rrset through GET /api/zones/{id}/rrsets/{name}/{type}; undefined when there is none. */
async function getRRset(ctx: ProviderContext, zoneId: string, name: string, type: string) {
  try {
    const { data } = await ctx.api.GET("/api/zones/{id}/rrsets/{name}/{type}", {
      params: { path: { id: zoneId, name, type } },
    });
    return data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function read(ctx: ProviderContext, current: Obj): Promise<Obj | null> {
  const zoneId = str(current.zone_id);
  const type = str(current.type);
  if (!zoneId || !type) return null;
  // The API canonicalises a relative name against the zone, so no zone lookup is needed here.
  const remote = await getRRset(ctx, zoneId, str(current.fqdn) ?? str(current.name) ?? "@", type);
  if (!remote) return null; // deleted outside Terraform (or its zone was): planned again as a create
  const prior = Array.isArray(current.records) ? (current.records as string[]) : [];
  return {
    ...current,
    id: `${zoneId}/${remote.name}/${type}`,
    fqdn: remote.name,
    ttl: remote.ttl,
    records: sameRecords(type, prior, remote.records) ? prior : remote.records,
  };
}

async function importRRset(ctx: ProviderContext, id: string): Promise<Obj> {
  const match = /^([^/]+)\/(.*)\/([A-Za-z0-9]+)$/.exec(id.trim());
  if (!match) {
    throw new DiagnosticError(
      "Cannot import rrset",
      `expected an id of the form zone_id/name/type (e.g. Z1a2b3c4d5e6f70/www/A), got ${JSON.stringify(id)}`,
    );
  }
  const [, zoneId = "", rawName = "", rawType = ""] = match;
  const type = rawType.toUpperCase();
  let origin: string;
  try {
    origin = (await ctx.zone(zoneId)).origin;
  } catch (error) {
    if (isNotFound(error))
      throw new DiagnosticError("Cannot import rrset", `no zone with id ${JSON.stringify(zoneId)}`);
    throw error;
  }
  const remote = await getRRset(ctx, zoneId, rawName, type);
  if (!remote)
    throw new DiagnosticError("Cannot import rrset", `zone ${zoneId} has no ${type} rrset at ${rawName}`);
  return {
    id: `${zoneId}/${remote.name}/${type}`,
    zone_id: zoneId,
    name: relativeToOrigin(remote.name, origin),
    type,
    ttl: remote.ttl,
    records: remote.records,
    allow_overwrite: null,
    fqdn: remote.name,
  };
}

export const rrsetResource: ResourceType = {
  typeName: "dnscove_rrset",
  schema: rrsetResourceSchema,
  validate,
  plan,
  apply,
  read,
  import: importRRset,
};
