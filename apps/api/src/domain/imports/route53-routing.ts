/**
 * Route53 routing policies (dns-harness.md §5, trap 7). Records of a routing-policy group share a
 * name and type and are told apart by `SetIdentifier`; the policy is named by one field.
 *
 * Decisions (a plain authoritative server answers every query the same way):
 * - MultiValueAnswer groups are merged into one rrset (the union of the values) only when NO
 *   member has a HealthCheckId: Route53 then answers with all values too (up to 8 per response),
 *   so the merge is faithful. With a health check, Route53 stops answering with an unhealthy value
 *   and DNSCove could not, so the whole group is skipped. Differing TTLs merge to the lowest one
 *   (RFC 2181 §5.2 wants one TTL per rrset; the lowest never keeps data cached longer than before).
 * - Weighted, latency, geolocation, failover, IP-based (CIDR) and geoproximity groups are skipped,
 *   every record with its own reason. A failover group is NOT reduced to its PRIMARY: that would
 *   answer with the primary even while Route53 answers with the secondary.
 */
import { Route53ImportError } from "./route53-import-error.js";

export type RoutingKind =
  | "weighted"
  | "latency"
  | "geolocation"
  | "failover"
  | "multivalue"
  | "cidr"
  | "geoproximity"
  | "mixed";

export interface RoutingPolicy {
  kind: RoutingKind;
  /** The Route53 field that names the policy, e.g. "Weight". */
  field: string;
  /** Human detail, e.g. "Weight 200" or "CountryCode * (default location)". */
  detail: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parts(obj: Json, keys: string[]): string[] {
  return keys
    .filter((k) => typeof obj[k] === "string" || typeof obj[k] === "number")
    .map((k) => `${k} ${obj[k]}`);
}

function geolocationDetail(geo: Json): string {
  if (geo.CountryCode === "*") return "CountryCode * (default location)";
  return parts(geo, ["ContinentCode", "CountryCode", "SubdivisionCode"]).join(", ") || "GeoLocation";
}

function geoproximityDetail(geo: Json): string {
  const out = parts(geo, ["AWSRegion", "LocalZoneGroup"]);
  const c = geo.Coordinates;
  if (isObject(c)) out.push(`Coordinates ${String(c.Latitude)},${String(c.Longitude)}`);
  out.push(...parts(geo, ["Bias"]));
  return out.join(", ") || "GeoProximityLocation";
}

/** The routing policy named by a record's fields, or null for a simple record. */
export function readRoutingPolicy(item: Json, path: string): RoutingPolicy | null {
  const found: RoutingPolicy[] = [];
  const bad = (field: string, message: string): never => {
    throw new Route53ImportError(`${path}.${field}`, message);
  };
  if (item.Weight !== undefined && item.Weight !== null) {
    const w = item.Weight;
    if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > 255)
      bad("Weight", "must be an integer from 0 to 255");
    found.push({ kind: "weighted", field: "Weight", detail: `Weight ${w}` });
  }
  if (item.Region !== undefined && item.Region !== null) {
    if (typeof item.Region !== "string" || item.Region === "") bad("Region", "must be an AWS region name");
    found.push({ kind: "latency", field: "Region", detail: `Region ${item.Region}` });
  }
  if (item.GeoLocation !== undefined && item.GeoLocation !== null) {
    if (!isObject(item.GeoLocation)) bad("GeoLocation", "must be an object");
    found.push({
      kind: "geolocation",
      field: "GeoLocation",
      detail: geolocationDetail(item.GeoLocation as Json),
    });
  }
  if (item.Failover !== undefined && item.Failover !== null) {
    if (item.Failover !== "PRIMARY" && item.Failover !== "SECONDARY")
      bad("Failover", "must be PRIMARY or SECONDARY");
    found.push({ kind: "failover", field: "Failover", detail: String(item.Failover) });
  }
  if (item.MultiValueAnswer !== undefined && item.MultiValueAnswer !== null) {
    if (typeof item.MultiValueAnswer !== "boolean") bad("MultiValueAnswer", "must be true or false");
    if (item.MultiValueAnswer === true)
      found.push({ kind: "multivalue", field: "MultiValueAnswer", detail: "" });
  }
  if (item.CidrRoutingConfig !== undefined && item.CidrRoutingConfig !== null) {
    const c = item.CidrRoutingConfig;
    if (!isObject(c) || typeof c.CollectionId !== "string" || typeof c.LocationName !== "string") {
      bad("CidrRoutingConfig", "must be an object with CollectionId and LocationName");
    }
    const cidr = c as Json;
    const location = cidr.LocationName === "*" ? "* (default location)" : String(cidr.LocationName);
    found.push({
      kind: "cidr",
      field: "CidrRoutingConfig",
      detail: `CIDR collection ${String(cidr.CollectionId)}, location ${location}`,
    });
  }
  if (item.GeoProximityLocation !== undefined && item.GeoProximityLocation !== null) {
    if (!isObject(item.GeoProximityLocation)) bad("GeoProximityLocation", "must be an object");
    found.push({
      kind: "geoproximity",
      field: "GeoProximityLocation",
      detail: geoproximityDetail(item.GeoProximityLocation as Json),
    });
  }
  if (found.length === 0) return null;
  const [only] = found;
  if (found.length === 1 && only) return only;
  return {
    kind: "mixed",
    field: found.map((p) => p.field).join("+"),
    detail: found.map((p) => p.detail || p.field).join(", "),
  };
}

const POLICY_NAMES: Record<RoutingKind, string> = {
  weighted: "weighted routing policy",
  latency: "latency routing policy",
  geolocation: "geolocation routing policy",
  failover: "failover routing policy",
  multivalue: "multivalue answer routing policy",
  cidr: "IP-based (CIDR) routing policy",
  geoproximity: "geoproximity routing policy",
  mixed: "record combining several routing policies",
};

export interface PolicyRecord {
  setIdentifier?: string;
  policy: RoutingPolicy | null;
  healthCheckId?: string;
  aliasTo?: string;
}

/** "weighted routing policy (SetIdentifier "blue", Weight 200, health check 1111…)". */
export function describePolicy(r: PolicyRecord): string {
  const kind = r.policy?.kind;
  const name = kind ? POLICY_NAMES[kind] : "routing-policy record without a known policy field";
  const details = [`SetIdentifier ${JSON.stringify(r.setIdentifier ?? "")}`];
  if (r.policy?.detail) details.push(r.policy.detail);
  if (r.healthCheckId) details.push(`health check ${r.healthCheckId}`);
  if (r.aliasTo) details.push(`alias to ${r.aliasTo}`);
  return `${name} (${details.join(", ")})`;
}

/** The skip reason for a record of a group that is not merged. */
export function routingSkipReason(r: PolicyRecord): string {
  const what = describePolicy(r);
  if (r.policy?.kind === "failover") {
    return (
      `${what} has no equivalent in DNSCove; not reduced to the PRIMARY, which would keep answering ` +
      "while Route53 fails over; skipped"
    );
  }
  return `${what} has no equivalent in DNSCove; skipped`;
}
