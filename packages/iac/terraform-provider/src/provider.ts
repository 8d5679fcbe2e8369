import {
  canonicalOrigin,
  canonicalOwnerName,
  canonicalRecords,
  DEFAULT_TTL,
  isRecordType,
  isTokenScope,
  isValidTtl,
  relativeToOrigin,
  TOKEN_SCOPES,
  type TokenScope,
  TTL_MAX,
  TTL_MIN,
  ZONE_BOUND_SCOPES,
} from "@dnscove/dns";
import { createClient, DnscoveApiError, type DnscoveClient, type Zone } from "@dnscove/sdk";
import { type CtyValue, isUnknown, UNKNOWN } from "./cty.js";
import { type Diagnostic, DiagnosticError, errorDiagnostic, toDiagnostic } from "./diagnostics.js";

/** Attribute values of one object, as decoded from a DynamicValue. */
export type Obj = Record<string, CtyValue>;

export interface PlanResult {
  planned: Obj | null;
  requiresReplace: string[];
  diagnostics: Diagnostic[];
}

export { DEFAULT_TTL };

function str(value: CtyValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function known(value: CtyValue | undefined): boolean {
  return value !== undefined && !isUnknown(value);
}

function isNotFound(error: unknown): boolean {
  return error instanceof DnscoveApiError && error.status === 404;
}

/** The provider's configured state; rebuilt by every process's ConfigureProvider. */
export class DnscoveProvider {
  private client: DnscoveClient | undefined;
  private readonly zoneCache = new Map<string, Zone>();

  configure(config: Obj | null, env: NodeJS.ProcessEnv = process.env): Diagnostic[] {
    const endpointValue = config?.endpoint;
    const tokenValue = config?.token;
    if (isUnknown(endpointValue) || isUnknown(tokenValue)) {
      // Known only after apply: leave unconfigured; any call reports it.
      return [];
    }
    const endpoint = str(endpointValue) ?? env.DNSCOVE_API;
    const token = str(tokenValue) ?? env.DNSCOVE_TOKEN;
    const diagnostics: Diagnostic[] = [];
    if (!endpoint) {
      diagnostics.push(
        errorDiagnostic(
          "Missing DNSCove API endpoint",
          'Set `endpoint` in the provider "dnscove" block or the DNSCOVE_API environment variable.',
          "endpoint",
        ),
      );
    } else if (!/^https?:\/\//.test(endpoint)) {
      diagnostics.push(
        errorDiagnostic(
          "Invalid DNSCove API endpoint",
          `expected an http(s) URL, got ${JSON.stringify(endpoint)}`,
          "endpoint",
        ),
      );
    }
    if (!token) {
      diagnostics.push(
        errorDiagnostic(
          "Missing DNSCove API token",
          'Set `token` in the provider "dnscove" block or the DNSCOVE_TOKEN environment variable.',
          "token",
        ),
      );
    }
    if (diagnostics.length === 0 && endpoint) {
      this.client = createClient({ baseUrl: endpoint, token, userAgent: "terraform-provider-dnscove/0.1.0" });
    }
    return diagnostics;
  }

  private api(): DnscoveClient {
    if (!this.client) {
      throw new DiagnosticError(
        "Provider not configured",
        "The dnscove provider has no endpoint or token (they may depend on values known only after apply).",
      );
    }
    return this.client;
  }

  private async zone(id: string): Promise<Zone> {
    const cached = this.zoneCache.get(id);
    if (cached) return cached;
    const { data } = await this.api().GET("/api/zones/{id}", { params: { path: { id } } });
    if (!data) throw new Error(`the API answered without zone ${id}`);
    this.zoneCache.set(id, data);
    return data;
  }

  // ------------------------------------------------------------------ validation

  validateResource(typeName: string, config: Obj | null): Diagnostic[] {
    if (!config) return [];
    if (typeName === "dnscove_zone") {
      const origin = config.origin;
      if (typeof origin === "string") {
        try {
          canonicalOrigin(origin);
        } catch (error) {
          return [toDiagnostic(error, "Invalid zone origin", "origin")];
        }
      }
      return [];
    }
    if (typeName === "dnscove_rrset") return this.validateRRset(config);
    if (typeName === "dnscove_token") return validateToken(config);
    return [errorDiagnostic("Unknown resource type", `dnscove has no resource ${typeName}`)];
  }

  private validateRRset(config: Obj): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const type = config.type;
    if (typeof type === "string" && !isRecordType(type)) {
      diagnostics.push(
        errorDiagnostic(
          "Invalid record type",
          `${JSON.stringify(type)} is not a record type DNSCove manages; use an upper-case type such as A, AAAA, CNAME, MX, TXT, SRV, CAA.`,
          "type",
        ),
      );
    }
    const ttl = config.ttl;
    if (typeof ttl === "number" && !isValidTtl(ttl)) {
      diagnostics.push(
        errorDiagnostic(
          "Invalid TTL",
          `ttl must be a whole number from ${TTL_MIN} to ${TTL_MAX}, got ${ttl}`,
          "ttl",
        ),
      );
    }
    const records = config.records;
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

  validateDataSource(typeName: string, config: Obj | null): Diagnostic[] {
    if (typeName === "dnscove_zones") return [];
    if (typeName !== "dnscove_zone") {
      return [errorDiagnostic("Unknown data source", `dnscove has no data source ${typeName}`)];
    }
    if (!config) return [];
    const id = config.id;
    const origin = config.origin;
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

  // ------------------------------------------------------------------ plan

  async plan(
    typeName: string,
    prior: Obj | null,
    proposed: Obj | null,
    config: Obj | null,
  ): Promise<PlanResult> {
    if (!proposed || !config) return { planned: null, requiresReplace: [], diagnostics: [] };
    const diagnostics = this.validateResource(typeName, config);
    if (diagnostics.length > 0) return { planned: null, requiresReplace: [], diagnostics };
    if (typeName === "dnscove_zone") return this.planZone(prior, proposed, config);
    if (typeName === "dnscove_token") return planToken(prior, proposed, config);
    return this.planRRset(prior, proposed, config);
  }

  private planZone(prior: Obj | null, _proposed: Obj, config: Obj): PlanResult {
    const origin = config.origin ?? null;
    const fresh: Obj = {
      id: UNKNOWN,
      origin,
      ns: UNKNOWN,
      status: UNKNOWN,
      serial: UNKNOWN,
      published_serial: UNKNOWN,
    };
    if (!prior) return { planned: fresh, requiresReplace: [], diagnostics: [] };
    if (typeof origin === "string" && typeof prior.origin === "string") {
      if (origin === prior.origin || canonicalOrigin(origin) === canonicalOrigin(prior.origin)) {
        // Same zone, perhaps spelled differently: keep the prior value so nothing is planned.
        return { planned: { ...prior }, requiresReplace: [], diagnostics: [] };
      }
    }
    return { planned: fresh, requiresReplace: ["origin"], diagnostics: [] };
  }

  private async planRRset(prior: Obj | null, _proposed: Obj, config: Obj): Promise<PlanResult> {
    const zoneId = config.zone_id ?? null;
    const name = config.name ?? null;
    const type = config.type ?? null;
    const records = config.records ?? null;
    const ttl = config.ttl === null || config.ttl === undefined ? DEFAULT_TTL : config.ttl;

    // The owner name's canonical form needs the zone's origin, known once zone_id is.
    let fqdn: string | undefined;
    if (typeof zoneId === "string" && typeof name === "string") {
      let zone: Zone;
      try {
        zone = await this.zone(zoneId);
      } catch (error) {
        const summary = isNotFound(error) ? `Zone ${zoneId} not found` : `Reading zone ${zoneId}`;
        return { planned: null, requiresReplace: [], diagnostics: [toDiagnostic(error, summary, "zone_id")] };
      }
      try {
        fqdn = canonicalOwnerName(name, zone.origin);
      } catch (error) {
        return {
          planned: null,
          requiresReplace: [],
          diagnostics: [toDiagnostic(error, "Invalid owner name", "name")],
        };
      }
    }
    const id =
      fqdn && typeof type === "string" && typeof zoneId === "string" ? `${zoneId}/${fqdn}/${type}` : UNKNOWN;
    const planned: Obj = { id, zone_id: zoneId, name, type, ttl, records, fqdn: fqdn ?? UNKNOWN };
    if (!prior) return { planned, requiresReplace: [], diagnostics: [] };

    const requiresReplace: string[] = [];
    if (!known(zoneId) || zoneId !== prior.zone_id) requiresReplace.push("zone_id");
    if (!known(type) || type !== prior.type) requiresReplace.push("type");
    if (name === prior.name) {
      // unchanged
    } else if (fqdn !== undefined && fqdn === prior.fqdn) {
      planned.name = prior.name ?? null; // an equivalent spelling: keep the prior one
    } else {
      requiresReplace.push("name");
    }
    if (requiresReplace.length > 0) {
      if (!fqdn) planned.fqdn = UNKNOWN;
      return { planned, requiresReplace, diagnostics: [] };
    }
    planned.id = prior.id ?? id;
    planned.fqdn = prior.fqdn ?? planned.fqdn ?? null;
    if (
      Array.isArray(records) &&
      Array.isArray(prior.records) &&
      typeof type === "string" &&
      isRecordType(type)
    ) {
      if (
        records.every((r) => typeof r === "string") &&
        sameRecords(type, records as string[], prior.records as string[])
      ) {
        planned.records = prior.records;
      }
    }
    return { planned, requiresReplace, diagnostics: [] };
  }

  // ------------------------------------------------------------------ apply

  async apply(
    typeName: string,
    prior: Obj | null,
    planned: Obj | null,
    config: Obj | null,
  ): Promise<Obj | null> {
    if (typeName === "dnscove_zone") return this.applyZone(prior, planned, config);
    if (typeName === "dnscove_token") return this.applyToken(prior, planned);
    return this.applyRRset(prior, planned);
  }

  private async applyToken(prior: Obj | null, planned: Obj | null): Promise<Obj | null> {
    if (!planned) {
      const id = str(prior?.id);
      if (id) {
        try {
          await this.api().DELETE("/api/tokens/{id}", { params: { path: { id } } });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return null;
    }
    if (prior && typeof prior.id === "string") {
      // Every argument forces replacement; an in-place "update" only changes equivalent spellings
      // (expires_in_days null vs 0): keep the prior computed values.
      return { ...planned };
    }
    const scope = str(planned.scope);
    if (!scope) throw new DiagnosticError("Invalid token", "scope must be known at apply time", "scope");
    const zoneId = str(planned.zone_id);
    const name = str(planned.name);
    const days = typeof planned.expires_in_days === "number" ? planned.expires_in_days : undefined;
    const { data: minted } = await this.api().POST("/api/tokens", {
      body: {
        scope: scope as TokenScope,
        ...(zoneId ? { zone_id: zoneId } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(days !== undefined ? { expires_in_days: days } : {}),
      },
    });
    if (!minted) throw new Error("the API answered without the minted token");
    return {
      id: minted.id,
      scope,
      zone_id: planned.zone_id ?? null,
      name: name ?? minted.name,
      expires_in_days: planned.expires_in_days ?? null,
      token: minted.token,
      created_at: minted.created_at,
      expires_at: minted.expires_at,
      revoked: minted.revoked,
    };
  }

  private async applyZone(prior: Obj | null, planned: Obj | null, _config: Obj | null): Promise<Obj | null> {
    if (!planned) {
      const id = str(prior?.id);
      if (id) {
        try {
          await this.api().DELETE("/api/zones/{id}", { params: { path: { id } } });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return null;
    }
    if (prior && typeof prior.id === "string") {
      // Nothing updates in place (origin forces a replacement): refresh the computed values.
      return { ...planned };
    }
    const origin = str(planned.origin);
    if (!origin) throw new DiagnosticError("Invalid zone", "origin must be known at apply time", "origin");
    const { data: zone } = await this.api().POST("/api/zones", { body: { origin } });
    if (!zone) throw new Error("the API answered without the created zone");
    return zoneState(zone, origin);
  }

  private async applyRRset(prior: Obj | null, planned: Obj | null): Promise<Obj | null> {
    if (!planned) {
      if (prior && typeof prior.zone_id === "string" && typeof prior.type === "string") {
        const name = str(prior.fqdn) ?? str(prior.name) ?? "@";
        try {
          await this.api().POST("/api/zones/{id}/rrsets", {
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
      throw new DiagnosticError(
        "Invalid rrset",
        "zone_id, name, type and records must be known at apply time",
      );
    }
    const zone = await this.zone(zoneId);
    const fqdn = canonicalOwnerName(name, zone.origin);
    const ttl = typeof planned.ttl === "number" ? planned.ttl : DEFAULT_TTL;
    await this.api().POST("/api/zones/{id}/rrsets", {
      params: { path: { id: zoneId } },
      body: { action: "UPSERT", name: fqdn, type, ttl, records: records as string[] },
    });
    return { ...planned, id: `${zoneId}/${fqdn}/${type}`, fqdn, ttl };
  }

  // ------------------------------------------------------------------ read

  async read(typeName: string, current: Obj | null): Promise<Obj | null> {
    if (!current) return null;
    if (typeName === "dnscove_token") return this.readToken(current);
    if (typeName === "dnscove_zone") {
      const id = str(current.id);
      if (!id) return null;
      try {
        const { data: zone } = await this.api().GET("/api/zones/{id}", { params: { path: { id } } });
        if (!zone) return null;
        const prior = str(current.origin);
        const keep = prior !== undefined && safeOrigin(prior) === zone.origin;
        return zoneState(zone, keep ? prior : zone.origin);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    }
    const zoneId = str(current.zone_id);
    const type = str(current.type);
    if (!zoneId || !type) return null;
    let zone: Zone;
    try {
      zone = await this.zone(zoneId);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const fqdn = str(current.fqdn) ?? canonicalOwnerName(str(current.name) ?? "@", zone.origin);
    const remote = await this.findRRset(zoneId, fqdn, type);
    if (!remote) return null; // deleted outside Terraform: planned again as a create
    const prior = Array.isArray(current.records) ? (current.records as string[]) : [];
    const records = isRecordType(type) && sameRecords(type, prior, remote.records) ? prior : remote.records;
    return {
      ...current,
      id: `${zoneId}/${remote.name}/${type}`,
      fqdn: remote.name,
      ttl: remote.ttl,
      records,
    };
  }

  private async readToken(current: Obj): Promise<Obj | null> {
    const id = str(current.id);
    if (!id) return null;
    const { data } = await this.api().GET("/api/tokens");
    const remote = data?.tokens.find((t) => t.id === id);
    // Revoked, expired or deleted outside Terraform: drop it so the next plan re-creates it.
    if (!remote || remote.revoked) return null;
    if (remote.expires_at && Date.parse(remote.expires_at) <= Date.now()) return null;
    return {
      ...current, // keeps `token`: the API never returns the secret again
      scope: remote.scope,
      zone_id: remote.zone_id ?? null,
      name: remote.name,
      created_at: remote.created_at,
      expires_at: remote.expires_at,
      revoked: remote.revoked,
    };
  }

  private async findRRset(zoneId: string, fqdn: string, type: string) {
    try {
      const { data } = await this.api().GET("/api/zones/{id}/rrsets", { params: { path: { id: zoneId } } });
      return data?.rrsets.find((r) => r.name === fqdn && r.type === type);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  // ------------------------------------------------------------------ import

  async importState(typeName: string, id: string): Promise<Obj> {
    if (typeName === "dnscove_token") {
      throw new DiagnosticError(
        "Import of dnscove_token is not supported",
        `A token's plaintext secret is returned only once, when it is minted, so token ${JSON.stringify(id)} cannot be imported with its \`token\` value. Declare a new dnscove_token resource (Terraform mints it) and revoke the old token with DELETE /api/tokens/{id}.`,
      );
    }
    if (typeName === "dnscove_zone") {
      let zone: Zone;
      try {
        zone = await this.zone(id.trim());
      } catch (error) {
        if (isNotFound(error))
          throw new DiagnosticError("Cannot import zone", `no zone with id ${JSON.stringify(id)}`);
        throw error;
      }
      return zoneState(zone, zone.origin);
    }
    const match = /^([^/]+)\/(.*)\/([A-Za-z0-9]+)$/.exec(id.trim());
    if (!match) {
      throw new DiagnosticError(
        "Cannot import rrset",
        `expected an id of the form zone_id/name/type (e.g. Z1a2b3c4d5e6f70/www/A), got ${JSON.stringify(id)}`,
      );
    }
    const [, zoneId = "", rawName = "", rawType = ""] = match;
    const type = rawType.toUpperCase();
    let zone: Zone;
    try {
      zone = await this.zone(zoneId);
    } catch (error) {
      if (isNotFound(error))
        throw new DiagnosticError("Cannot import rrset", `no zone with id ${JSON.stringify(zoneId)}`);
      throw error;
    }
    const fqdn = canonicalOwnerName(rawName, zone.origin);
    const remote = await this.findRRset(zoneId, fqdn, type);
    if (!remote)
      throw new DiagnosticError("Cannot import rrset", `zone ${zoneId} has no ${type} rrset at ${fqdn}`);
    return {
      id: `${zoneId}/${fqdn}/${type}`,
      zone_id: zoneId,
      name: relativeToOrigin(fqdn, zone.origin),
      type,
      ttl: remote.ttl,
      records: remote.records,
      fqdn,
    };
  }

  // ------------------------------------------------------------------ data source

  async readDataSource(typeName: string, config: Obj | null): Promise<Obj> {
    if (typeName === "dnscove_zones") {
      const { data } = await this.api().GET("/api/zones");
      const zones = [...(data?.zones ?? [])].sort((a, b) =>
        a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0,
      );
      return {
        zones: zones.map((z) => ({
          id: z.id,
          origin: z.origin,
          status: z.status,
          serial: z.serial,
          published_serial: z.published_serial,
          ns: z.ns,
        })),
      };
    }
    if (typeName !== "dnscove_zone") throw new DiagnosticError("Unknown data source", typeName);
    const id = str(config?.id);
    const origin = str(config?.origin);
    let zone: Zone | undefined;
    if (id) {
      try {
        zone = await this.zone(id);
      } catch (error) {
        if (isNotFound(error))
          throw new DiagnosticError("Zone not found", `no zone with id ${JSON.stringify(id)}`, "id");
        throw error;
      }
    } else if (origin) {
      const wanted = canonicalOrigin(origin);
      const { data } = await this.api().GET("/api/zones");
      zone = data?.zones.find((z) => z.origin === wanted);
      if (!zone) throw new DiagnosticError("Zone not found", `no zone with origin ${wanted}`, "origin");
    } else {
      throw new DiagnosticError("Missing zone selector", "Set exactly one of `id` or `origin`.");
    }
    return zoneState(zone, origin ?? zone.origin);
  }
}

function validateToken(config: Obj): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const scope = config.scope;
  const zoneId = config.zone_id;
  if (typeof scope === "string" && !isTokenScope(scope)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid token scope",
        `scope must be one of ${TOKEN_SCOPES.join(", ")}; got ${JSON.stringify(scope)}`,
        "scope",
      ),
    );
  } else if (
    typeof scope === "string" &&
    (ZONE_BOUND_SCOPES as readonly string[]).includes(scope) &&
    zoneId === null
  ) {
    diagnostics.push(
      errorDiagnostic(
        "Missing zone_id",
        `A ${scope} token is bound to one zone: set zone_id (e.g. zone_id = dnscove_zone.example.id).`,
        "zone_id",
      ),
    );
  } else if (scope === "tenant-admin" && typeof zoneId === "string") {
    diagnostics.push(
      errorDiagnostic(
        "Unexpected zone_id",
        "A tenant-admin token is valid for the whole tenant; remove zone_id or use scope zone-admin / acme-dns01.",
        "zone_id",
      ),
    );
  }
  const days = config.expires_in_days;
  if (typeof days === "number" && (!Number.isInteger(days) || days < 0)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid expires_in_days",
        `expires_in_days must be a whole number of days, 0 or more (0 = never expires); got ${days}`,
        "expires_in_days",
      ),
    );
  }
  return diagnostics;
}

const TOKEN_COMPUTED = ["id", "token", "created_at", "expires_at", "revoked"] as const;

function planToken(prior: Obj | null, proposed: Obj, config: Obj): PlanResult {
  const fresh: Obj = {
    scope: config.scope ?? null,
    zone_id: config.zone_id ?? null,
    name: config.name ?? UNKNOWN,
    expires_in_days: config.expires_in_days ?? null,
  };
  for (const key of TOKEN_COMPUTED) fresh[key] = UNKNOWN;
  if (!prior) return { planned: fresh, requiresReplace: [], diagnostics: [] };
  const requiresReplace: string[] = [];
  const days = (v: CtyValue | undefined) => (v === null || v === undefined ? 0 : v);
  if (!known(config.scope) || config.scope !== prior.scope) requiresReplace.push("scope");
  if (!known(config.zone_id ?? null) || (config.zone_id ?? null) !== (prior.zone_id ?? null))
    requiresReplace.push("zone_id");
  // name is optional+computed: a null config keeps the prior (API-assigned) name.
  const name = proposed.name ?? null;
  if (config.name !== null && config.name !== undefined && (!known(name) || name !== prior.name))
    requiresReplace.push("name");
  if (!known(config.expires_in_days ?? null) || days(config.expires_in_days) !== days(prior.expires_in_days))
    requiresReplace.push("expires_in_days");
  if (requiresReplace.length > 0) return { planned: fresh, requiresReplace, diagnostics: [] };
  return {
    planned: {
      ...prior,
      scope: config.scope ?? null,
      zone_id: config.zone_id ?? null,
      name: config.name ?? prior.name ?? null,
      expires_in_days: config.expires_in_days ?? null,
    },
    requiresReplace: [],
    diagnostics: [],
  };
}

function safeOrigin(origin: string): string | undefined {
  try {
    return canonicalOrigin(origin);
  } catch {
    return undefined;
  }
}

function zoneState(zone: Zone, origin: string): Obj {
  return {
    id: zone.id,
    origin,
    ns: zone.ns,
    status: zone.status,
    serial: zone.serial,
    published_serial: zone.published_serial,
  };
}

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
