import { DEFAULT_TTL, isValidTtl, TTL_MAX, TTL_MIN } from "@dnscove/dns";
import { CustomResource, Token } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { DnsCoveProvider } from "./provider.js";
import type { DnsCoveZone } from "./zone.js";

/** CloudFormation resource type of a DNSCove rrset. */
export const RRSET_RESOURCE_TYPE = "Custom::DNSCoveRRset";

/** TTL, in seconds, used when {@link DnsCoveRRsetOptions.ttl} is not set. */
export { DEFAULT_TTL };

/** What an rrset is: shared by {@link DnsCoveRRsetProps} and {@link DnsCoveZone.addRRset}. */
export interface DnsCoveRRsetOptions {
  /**
   * Owner name: `@` for the apex, a name relative to the zone (`www`), or an absolute name
   * (`www.example.com.`).
   */
  readonly name: string;

  /** Record type, for example `A`, `MX` or `TXT`. */
  readonly type: string;

  /**
   * Time to live, in seconds (0 to 604800).
   * @default 300
   */
  readonly ttl?: number;

  /** Record data in presentation format, one string per record (for example `10 mail.example.com.`). */
  readonly records: string[];
}

/** Properties of a {@link DnsCoveRRset}. Set exactly one of `zone` and `zoneId`. */
export interface DnsCoveRRsetProps extends DnsCoveRRsetOptions {
  /** The provider whose function manages the rrset. */
  readonly provider: DnsCoveProvider;

  /**
   * Zone declared in this app. The rrset then depends on it.
   * @default - `zoneId` is used
   */
  readonly zone?: DnsCoveZone;

  /**
   * Id of a zone that already exists in DNSCove (for a stack holding a `zone-admin` token).
   * @default - the id of `zone`
   */
  readonly zoneId?: string;
}

/**
 * A DNSCove rrset (`Custom::DNSCoveRRset`): upserted on create and update, deleted on teardown.
 *
 * @example
 * new DnsCoveRRset(this, "Mx", { provider, zone, name: "@", type: "MX", records: ["10 mail.example.com."] });
 */
export class DnsCoveRRset extends Construct {
  /** The underlying custom resource. */
  public readonly resource: CustomResource;

  public constructor(scope: Construct, id: string, props: DnsCoveRRsetProps) {
    super(scope, id);
    if ((props.zone === undefined) === (props.zoneId === undefined)) {
      throw new Error(`${this.node.path}: set exactly one of zone and zoneId`);
    }
    const ttl = props.ttl ?? DEFAULT_TTL;
    if (!Token.isUnresolved(ttl) && !isValidTtl(ttl)) {
      throw new Error(
        `${this.node.path}: ttl must be an integer number of seconds in ${TTL_MIN}..${TTL_MAX}, got ${ttl}`,
      );
    }
    if (!Token.isUnresolved(props.records) && props.records.length === 0) {
      throw new Error(`${this.node.path}: records must not be empty`);
    }
    for (const [field, value] of [
      ["name", props.name],
      ["type", props.type],
    ] as const) {
      if (!Token.isUnresolved(value) && value.trim() === "") {
        throw new Error(`${this.node.path}: ${field} must not be empty`);
      }
    }

    this.resource = new CustomResource(this, "Resource", {
      serviceToken: props.provider.serviceToken,
      resourceType: RRSET_RESOURCE_TYPE,
      properties: {
        ZoneId: props.zone?.zoneId ?? props.zoneId,
        Name: props.name,
        Type: props.type,
        TTL: ttl,
        Records: props.records,
      },
    });
  }
}
