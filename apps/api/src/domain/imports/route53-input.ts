/**
 * Reads `aws route53 list-resource-record-sets` output (its raw text, or the object already parsed)
 * and checks its shape
 * (dns-harness.md §5: awscli 2 model, API 2013-04-01; trap 9 for pagination).
 *
 * Accepted shapes:
 * - the default, auto-paginated output `{"ResourceRecordSets": [...]}`;
 * - one `--no-paginate` page (`IsTruncated`, `MaxItems` as a string, `Next*`) that is complete,
 *   i.e. `IsTruncated` is false.
 * A page with `IsTruncated: true`, `NextRecordName` or `NextToken` (`--max-items`) is REJECTED:
 * importing part of a zone and deleting the old hosted zone later would lose records silently, and
 * a "skipped" entry cannot name records that are not in the text at all.
 * Unknown keys are ignored (newer API versions add fields); every known key must have its type.
 */

import { type Cooperative, SLICE } from "../../lib/cooperative.js";
import { Route53ImportError } from "./route53-import-error.js";
import { type RoutingPolicy, readRoutingPolicy } from "./route53-routing.js";

export interface Route53Alias {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

/** One `ResourceRecordSet`, shape-checked, values not yet interpreted. */
export interface Route53RecordSet {
  index: number;
  /** "ResourceRecordSets[3]" */
  path: string;
  name: string;
  /** Upper-cased, as the API does with `type`. */
  type: string;
  setIdentifier?: string;
  ttl?: number;
  values?: string[];
  alias?: Route53Alias;
  healthCheckId?: string;
  trafficPolicyInstanceId?: string;
  policy: RoutingPolicy | null;
}

const MAX_ROUTE53_TTL = 2_147_483_647;

type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optionalString(obj: Json, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v === "")
    throw new Route53ImportError(`${path}.${key}`, "must be a non-empty string");
  return v;
}

function checkTruncation(top: Json): void {
  const truncated = top.IsTruncated;
  if (truncated !== undefined && typeof truncated !== "boolean") {
    throw new Route53ImportError("IsTruncated", "must be true or false");
  }
  const how =
    'Export the whole zone with "aws route53 list-resource-record-sets --hosted-zone-id <id>" ' +
    "(without --no-paginate or --max-items) and import that.";
  if (truncated === true || top.NextRecordName !== undefined) {
    const next = [top.NextRecordName, top.NextRecordType, top.NextRecordIdentifier]
      .filter((v) => typeof v === "string")
      .join(" ");
    throw new Route53ImportError(
      truncated === true ? "IsTruncated" : "NextRecordName",
      `the export is one truncated page of --no-paginate output${next ? ` (the next page starts at ${next})` : ""}; ` +
        `nothing was imported. ${how}`,
    );
  }
  if (top.NextToken !== undefined) {
    throw new Route53ImportError(
      "NextToken",
      `the export stops early: it carries a NextToken, so --max-items cut it off; nothing was imported. ${how}`,
    );
  }
}

function readValues(obj: Json, path: string): string[] | undefined {
  const list = obj.ResourceRecords;
  if (list === undefined || list === null) return undefined;
  const at = `${path}.ResourceRecords`;
  if (!Array.isArray(list)) throw new Route53ImportError(at, "must be a list of {Value} objects");
  if (list.length === 0) throw new Route53ImportError(at, "must hold at least one record");
  return list.map((item, j) => {
    if (!isObject(item)) throw new Route53ImportError(`${at}[${j}]`, "must be an object with a Value");
    if (typeof item.Value !== "string") throw new Route53ImportError(`${at}[${j}].Value`, "must be a string");
    return item.Value;
  });
}

function readAlias(obj: Json, path: string): Route53Alias | undefined {
  const a = obj.AliasTarget;
  if (a === undefined || a === null) return undefined;
  const at = `${path}.AliasTarget`;
  if (!isObject(a))
    throw new Route53ImportError(at, "must be an object with HostedZoneId, DNSName, EvaluateTargetHealth");
  if (typeof a.DNSName !== "string" || a.DNSName.trim() === "") {
    throw new Route53ImportError(`${at}.DNSName`, "must be a non-empty string");
  }
  if (typeof a.HostedZoneId !== "string" || a.HostedZoneId === "") {
    throw new Route53ImportError(`${at}.HostedZoneId`, "must be a non-empty string");
  }
  if (a.EvaluateTargetHealth !== undefined && typeof a.EvaluateTargetHealth !== "boolean") {
    throw new Route53ImportError(`${at}.EvaluateTargetHealth`, "must be true or false");
  }
  return {
    hostedZoneId: a.HostedZoneId,
    dnsName: a.DNSName,
    evaluateTargetHealth: a.EvaluateTargetHealth === true,
  };
}

function readRecordSet(item: unknown, index: number): Route53RecordSet {
  const path = `ResourceRecordSets[${index}]`;
  if (!isObject(item)) throw new Route53ImportError(path, "must be a ResourceRecordSet object");
  if (typeof item.Name !== "string" || item.Name.trim() === "") {
    throw new Route53ImportError(`${path}.Name`, "must be a non-empty string");
  }
  if (typeof item.Type !== "string" || item.Type.trim() === "") {
    throw new Route53ImportError(`${path}.Type`, "must be a non-empty string");
  }
  const rs: Route53RecordSet = {
    index,
    path,
    name: item.Name,
    type: item.Type.trim().toUpperCase(),
    policy: null,
  };
  const setIdentifier = optionalString(item, "SetIdentifier", path);
  if (setIdentifier !== undefined) rs.setIdentifier = setIdentifier;
  if (item.TTL !== undefined && item.TTL !== null) {
    const ttl = item.TTL;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_ROUTE53_TTL) {
      throw new Route53ImportError(`${path}.TTL`, `must be an integer from 0 to ${MAX_ROUTE53_TTL}`);
    }
    rs.ttl = ttl;
  }
  const values = readValues(item, path);
  const alias = readAlias(item, path);
  if (values && alias) {
    throw new Route53ImportError(
      `${path}.AliasTarget`,
      "a record set has either ResourceRecords or an AliasTarget, not both",
    );
  }
  if (!values && !alias) {
    throw new Route53ImportError(
      `${path}.ResourceRecords`,
      "a record set needs ResourceRecords or an AliasTarget",
    );
  }
  if (values) {
    if (rs.ttl === undefined)
      throw new Route53ImportError(`${path}.TTL`, "a record set with ResourceRecords needs a TTL");
    rs.values = values;
  }
  if (alias) rs.alias = alias; // a TTL beside an alias is ignored: Route53 answers with the target's
  const healthCheckId = optionalString(item, "HealthCheckId", path);
  if (healthCheckId !== undefined) rs.healthCheckId = healthCheckId;
  const trafficPolicyInstanceId = optionalString(item, "TrafficPolicyInstanceId", path);
  if (trafficPolicyInstanceId !== undefined) rs.trafficPolicyInstanceId = trafficPolicyInstanceId;
  rs.policy = readRoutingPolicy(item, path);
  if (rs.policy && rs.setIdentifier === undefined) {
    throw new Route53ImportError(
      `${path}.SetIdentifier`,
      `a record set with a routing policy (${rs.policy.field}) needs a SetIdentifier`,
    );
  }
  return rs;
}

/**
 * The export as the API receives it: its text (`json`), or the object itself (`export`), which the
 * request's own JSON.parse has already built, so an 11 MB export is not parsed twice (issue 14).
 */
export type Route53ExportInput = { text: string } | { object: unknown };

function parseExportText(text: string): unknown {
  if (typeof text !== "string") throw new Route53ImportError("", "the export must be text");
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new Route53ImportError("", `the export is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses (when given as text) and shape-checks the export. */
export function* readRoute53Export(input: string | Route53ExportInput): Cooperative<Route53RecordSet[]> {
  const given = typeof input === "string" ? { text: input } : input;
  const top = "text" in given ? parseExportText(given.text) : given.object;
  if (!isObject(top) || !("ResourceRecordSets" in top)) {
    throw new Route53ImportError(
      "",
      'expected the JSON object printed by "aws route53 list-resource-record-sets", with a ResourceRecordSets list',
    );
  }
  if (!Array.isArray(top.ResourceRecordSets)) {
    throw new Route53ImportError("ResourceRecordSets", "must be a list of ResourceRecordSet objects");
  }
  checkTruncation(top);
  yield;
  const sets: Route53RecordSet[] = [];
  for (const item of top.ResourceRecordSets as unknown[]) {
    sets.push(readRecordSet(item, sets.length));
    if (sets.length % SLICE === 0) yield;
  }
  return sets;
}
