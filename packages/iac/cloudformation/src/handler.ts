import {
  canonicalOrigin,
  canonicalOwnerName,
  DEFAULT_TTL,
  DnsInputError,
  isValidTtl,
  isZoneId,
  TTL_MAX,
  TTL_MIN,
} from "@dnscove/dns";
import {
  type components,
  DnscoveApiError,
  type DnscoveClient,
  describeError,
  type RRset,
  type Zone,
} from "@dnscove/sdk";
import type { CloudFormationEvent } from "./event.js";

export const ZONE_TYPE = "Custom::DNSCoveZone";
export const RRSET_TYPE = "Custom::DNSCoveRRset";

/** What a successful request answers: the resource's id and its `Fn::GetAtt` attributes. */
export interface HandlerResult {
  physicalResourceId: string;
  /** GetAtt values; all strings, because CloudFormation's GetAtt of a custom resource is a string. */
  data: Record<string, string>;
}

export interface HandlerDeps {
  client: DnscoveClient;
}

/** A resource property that is missing or malformed; the message names the property. */
export class PropertyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyError";
  }
}

/** The one canonicaliser (IDNA included), so physical ids match what the API stores. */
export { canonicalOrigin, canonicalOwnerName };

/**
 * Carries out one CloudFormation request against the API and returns the resource's physical id
 * and attributes, or throws (a `DnscoveApiError`, a `PropertyError` or anything else): the caller
 * turns a throw into a FAILED answer.
 */
export async function handle(event: CloudFormationEvent, deps: HandlerDeps): Promise<HandlerResult> {
  switch (event.ResourceType) {
    case ZONE_TYPE:
      return handleZone(event, deps.client);
    case RRSET_TYPE:
      return handleRRset(event, deps.client);
    default:
      // Nothing of an unknown type was ever created, so there is nothing to delete.
      if (event.RequestType === "Delete") return { physicalResourceId: physicalIdOf(event), data: {} };
      throw new PropertyError(
        `unsupported resource type ${JSON.stringify(event.ResourceType)}; use ${ZONE_TYPE} or ${RRSET_TYPE}`,
      );
  }
}

function physicalIdOf(event: CloudFormationEvent): string {
  return event.PhysicalResourceId ?? event.RequestId;
}

// ---------------------------------------------------------------------------------------------
// Zones

/** Whether two spellings name the same zone; an origin the API would refuse equals only itself. */
function sameOrigin(a: string, b: string): boolean {
  try {
    return canonicalOrigin(a) === canonicalOrigin(b);
  } catch (error) {
    if (error instanceof DnsInputError) return a === b;
    throw error;
  }
}

type Dnssec = components["schemas"]["Dnssec"];

/**
 * GetAtt values of a zone. `DS`: the DS lines for the registrar, comma-joined like `NameServers`
 * (a DS line has no comma; `Fn::Split` gives the list), empty while unsigned or going insecure.
 * `Dnssec`: "true" or "false". Both are absent when the credential may not read the signing state.
 */
function zoneData(zone: Zone, dnssec: Dnssec | null): Record<string, string> {
  return {
    Id: zone.id,
    Origin: zone.origin,
    NameServers: zone.ns.join(","),
    Status: zone.status,
    ...(dnssec ? { Dnssec: String(dnssec.enabled), DS: dnssec.ds.join(",") } : {}),
  };
}

/**
 * The `Dnssec` property: CloudFormation passes template booleans as strings ("true"), the CDK and
 * direct invocations may pass booleans. Absent or empty means false (unsigned).
 */
export function dnssecOf(props: Record<string, unknown>): boolean {
  const value = props.Dnssec;
  if (value === undefined || value === "" || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  throw new PropertyError(`Dnssec must be true or false, got ${JSON.stringify(value)}`);
}

/** GET /zones/{id}/dnssec; null when the credential may not read it (a zone-admin token: 403). */
async function readDnssec(client: DnscoveClient, id: string): Promise<Dnssec | null> {
  try {
    const { data } = await client.GET("/api/zones/{id}/dnssec", { params: { path: { id } } });
    return data ?? null;
  } catch (error) {
    if (error instanceof DnscoveApiError && error.status === 403) return null;
    throw error;
  }
}

/**
 * Makes the zone's signing match `wanted` and answers its attributes. Only a real difference calls
 * PUT (a zone going insecure already reads `enabled: false`), so an Update that leaves `Dnssec`
 * alone never needs the DNSSEC secret nor takes a serial.
 */
async function zoneResult(client: DnscoveClient, zone: Zone, wanted: boolean): Promise<HandlerResult> {
  let dnssec = await readDnssec(client, zone.id);
  let current = zone;
  if ((dnssec?.enabled ?? false) !== wanted) {
    const { data } = await client.PUT("/api/zones/{id}/dnssec", {
      params: { path: { id: zone.id } },
      body: { enabled: wanted },
    });
    if (!data) throw new Error(`the API answered without the DNSSEC state of zone ${zone.id}`);
    dnssec = data;
    // Signing or unsigning took a serial: answer the zone as it is now.
    const { data: fresh } = await client.GET("/api/zones/{id}", { params: { path: { id: zone.id } } });
    if (fresh) current = fresh;
  }
  return { physicalResourceId: current.id, data: zoneData(current, dnssec) };
}

async function createZone(client: DnscoveClient, origin: string, dnssec: boolean): Promise<HandlerResult> {
  const { data: zone } = await client.POST("/api/zones", { body: { origin } });
  if (!zone) throw new Error("the API answered the zone creation without a zone");
  try {
    return await zoneResult(client, zone, dnssec);
  } catch (error) {
    // A FAILED Create names no zone, so CloudFormation would never delete this one: remove it here
    // (a retry would otherwise stop at ZONE_EXISTS), then report why signing failed.
    await client.DELETE("/api/zones/{id}", { params: { path: { id: zone.id } } }).catch(() => undefined);
    throw error;
  }
}

async function handleZone(event: CloudFormationEvent, client: DnscoveClient): Promise<HandlerResult> {
  if (event.RequestType === "Delete") {
    const id = physicalIdOf(event);
    // Not a zone id: the Create failed, so no zone exists for this resource.
    if (!isZoneId(id)) return { physicalResourceId: id, data: {} };
    try {
      await client.DELETE("/api/zones/{id}", { params: { path: { id } } });
    } catch (error) {
      if (!(error instanceof DnscoveApiError && error.status === 404)) throw error;
    }
    return { physicalResourceId: id, data: {} };
  }

  const origin = requiredString(event.ResourceProperties, "Origin");
  const dnssec = dnssecOf(event.ResourceProperties);
  if (event.RequestType === "Create") return createZone(client, origin, dnssec);

  // Update: a new origin is a new zone (replacement); CloudFormation then deletes the old one.
  // Dnssec alone changes in place.
  const id = physicalIdOf(event);
  const oldOrigin = event.OldResourceProperties?.Origin;
  if (!isZoneId(id) || typeof oldOrigin !== "string" || !sameOrigin(oldOrigin, origin)) {
    return createZone(client, origin, dnssec);
  }
  const { data: zone } = await client.GET("/api/zones/{id}", { params: { path: { id } } });
  if (!zone) throw new Error(`the API answered without zone ${id}`);
  return zoneResult(client, zone, dnssec);
}

// ---------------------------------------------------------------------------------------------
// RRsets

interface RRsetKey {
  zoneId: string;
  name: string;
  type: string;
}

/** `<zoneId>/<name>/<type>`; the name may itself contain "/" (RFC 2317), so split at the ends. */
export function rrsetPhysicalId(key: RRsetKey): string {
  return `${key.zoneId}/${key.name}/${key.type}`;
}

export function parseRRsetPhysicalId(id: string): RRsetKey | undefined {
  const first = id.indexOf("/");
  const last = id.lastIndexOf("/");
  if (first < 0 || last <= first) return undefined;
  const key = { zoneId: id.slice(0, first), name: id.slice(first + 1, last), type: id.slice(last + 1) };
  if (!isZoneId(key.zoneId) || !key.name.endsWith(".") || !/^[A-Z0-9]+$/.test(key.type)) {
    return undefined;
  }
  return key;
}

interface RRsetProps {
  zoneId: string;
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

function rrsetProps(props: Record<string, unknown>): RRsetProps {
  const zoneId = requiredString(props, "ZoneId").trim();
  if (!isZoneId(zoneId)) {
    throw new PropertyError(
      `ZoneId must be a DNSCove zone id like Z1a2b3c4d5e6f70, got ${JSON.stringify(zoneId)}`,
    );
  }
  const name = props.Name === undefined ? "@" : requiredString(props, "Name", true);
  const type = requiredString(props, "Type").trim().toUpperCase();
  if (!/^[A-Z0-9]+$/.test(type))
    throw new PropertyError(`Type must be a record type like A or TXT, got ${JSON.stringify(type)}`);
  return { zoneId, name, type, ttl: ttlOf(props.TTL), records: recordsOf(props.Records) };
}

function ttlOf(value: unknown): number {
  if (value === undefined || value === "") return DEFAULT_TTL;
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^\s*\d+\s*$/.test(text)) {
    throw new PropertyError(`TTL must be a whole number of seconds, got ${JSON.stringify(value)}`);
  }
  const ttl = Number(text);
  if (!isValidTtl(ttl))
    throw new PropertyError(`TTL must be from ${TTL_MIN} to ${TTL_MAX} seconds, got ${ttl}`);
  return ttl;
}

function recordsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new PropertyError(
      `Records must be a non-empty list of strings, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value.map((record, index) => {
    if (typeof record === "string") return record;
    if (typeof record === "number" || typeof record === "boolean") return String(record);
    throw new PropertyError(`Records[${index}] must be a string, got ${JSON.stringify(record)}`);
  });
}

async function handleRRset(event: CloudFormationEvent, client: DnscoveClient): Promise<HandlerResult> {
  if (event.RequestType === "Delete") {
    const id = physicalIdOf(event);
    const key = parseRRsetPhysicalId(id);
    // Not of the form: the Create failed, so there is nothing of ours to delete.
    if (!key) return { physicalResourceId: id, data: {} };
    try {
      await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: key.zoneId } },
        body: { action: "DELETE", name: key.name, type: key.type },
      });
    } catch (error) {
      // The zone is gone, and its rrsets with it. (Deleting an absent rrset succeeds anyway.)
      if (!(error instanceof DnscoveApiError && error.status === 404)) throw error;
    }
    return { physicalResourceId: id, data: {} };
  }

  // Create uses CREATE, so a stack never silently takes over (and on rollback or stack deletion,
  // deletes) an rrset someone else made: the API refuses with 409 RRSET_EXISTS. Update keeps
  // UPSERT: the rrset is this resource's. An Update whose key (zone, name, type) changed writes
  // the new rrset and answers a new id: CloudFormation then sends a Delete for the old id.
  const props = rrsetProps(event.ResourceProperties);
  const action = event.RequestType === "Create" ? "CREATE" : "UPSERT";
  let stored: RRset | undefined;
  try {
    const { data } = await client.POST("/api/zones/{id}/rrsets", {
      params: { path: { id: props.zoneId } },
      body: { action, name: props.name, type: props.type, ttl: props.ttl, records: props.records },
    });
    // The API answers the stored canonical rrset of each change (name canonicalised as
    // @dnscove/dns does it), so nothing is listed or recomputed here.
    stored = data?.rrsets[0];
  } catch (error) {
    if (error instanceof DnscoveApiError && error.code === "RRSET_EXISTS") {
      throw new RRsetExistsError(error, props);
    }
    throw error;
  }
  if (!stored) throw new Error("the API answered the rrset change without the stored rrset");
  const key = { zoneId: props.zoneId, name: stored.name, type: stored.type };
  return {
    physicalResourceId: rrsetPhysicalId(key),
    data: {
      ZoneId: key.zoneId,
      Name: key.name,
      Type: key.type,
      TTL: String(stored.ttl),
      Records: stored.records.join(","),
    },
  };
}

/** A Create over an rrset that already exists: the API's problem plus what to do about it. */
export class RRsetExistsError extends Error {
  constructor(error: DnscoveApiError, props: RRsetProps) {
    super(
      `${describeError(error)}. A Custom::DNSCoveRRset only creates its rrset (${props.name} ${props.type} in zone ${props.zoneId}); ` +
        "delete the existing one, or leave it out of the stack",
    );
    this.name = "RRsetExistsError";
  }
}

// ---------------------------------------------------------------------------------------------

function requiredString(props: Record<string, unknown>, name: string, allowEmpty = false): string {
  const value = props[name];
  if (typeof value !== "string" || (!allowEmpty && value.trim() === "")) {
    throw new PropertyError(
      value === undefined
        ? `property ${name} is required`
        : `${name} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
