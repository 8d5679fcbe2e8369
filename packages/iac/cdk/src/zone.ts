import { CustomResource, Fn, type RemovalPolicy, Token } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { DnsCoveProvider } from "./provider.js";
import { DnsCoveRRset, type DnsCoveRRsetOptions } from "./rrset.js";

/** CloudFormation resource type of a DNSCove zone. */
export const ZONE_RESOURCE_TYPE = "Custom::DNSCoveZone";

/** Properties of a {@link DnsCoveZone}. */
export interface DnsCoveZoneProps {
  /** The provider whose function manages the zone. */
  readonly provider: DnsCoveProvider;

  /** The zone's origin, for example `example.com`. */
  readonly origin: string;

  /**
   * Sign the zone with DNSSEC (ECDSAP256SHA256). Setting it back to false starts the insecure
   * transition (RFC 8078): the zone stays signed until the parent has no DS, so remove the DS at
   * the registrar.
   * @default false
   */
  readonly dnssec?: boolean;

  /**
   * What happens to the DNSCove zone when it is removed from the stack.
   * @default RemovalPolicy.DESTROY - the zone is deleted from DNSCove
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DNSCove zone (`Custom::DNSCoveZone`), created with the stack and deleted on teardown.
 *
 * @example
 * const zone = new DnsCoveZone(this, "Zone", { provider, origin: "example.com" });
 * zone.addRRset("Www", { name: "www", type: "A", records: ["192.0.2.1"] });
 */
export class DnsCoveZone extends Construct {
  /** The provider managing this zone; {@link addRRset} uses it too. */
  public readonly provider: DnsCoveProvider;

  /** The origin the zone was declared with. */
  public readonly origin: string;

  /** The underlying custom resource. */
  public readonly resource: CustomResource;

  /** DNSCove zone id (`Fn::GetAtt` `Id`). */
  public readonly zoneId: string;

  /** Nameservers to delegate to (the comma-joined `NameServers` attribute, split). */
  public readonly nameServers: string[];

  /** Zone status at the time of the last create or update (`Fn::GetAtt` `Status`). */
  public readonly status: string;

  /**
   * The DS records to give the registrar, one presentation line each (the comma-joined `DS`
   * attribute, split), as of the last create or update. Unsigned zones have no DS: the attribute is
   * empty, and `Fn::Split` of an empty string is one empty string, so check {@link dsRecords} for "".
   */
  public readonly ds: string[];

  /** The `DS` attribute as it is: the DS lines comma-joined, "" when the zone is unsigned. */
  public readonly dsRecords: string;

  public constructor(scope: Construct, id: string, props: DnsCoveZoneProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.origin) && props.origin.trim() === "") {
      throw new Error(`${this.node.path}: origin must not be empty`);
    }
    this.provider = props.provider;
    this.origin = props.origin;
    this.resource = new CustomResource(this, "Resource", {
      serviceToken: props.provider.serviceToken,
      resourceType: ZONE_RESOURCE_TYPE,
      // Left out when false, so templates of unsigned zones stay as they were.
      properties: { Origin: props.origin, ...(props.dnssec ? { Dnssec: true } : {}) },
      removalPolicy: props.removalPolicy,
    });
    this.zoneId = this.resource.getAttString("Id");
    this.nameServers = Fn.split(",", this.resource.getAttString("NameServers"));
    this.status = this.resource.getAttString("Status");
    this.dsRecords = this.resource.getAttString("DS");
    this.ds = Fn.split(",", this.dsRecords);
  }

  /**
   * Adds an rrset to this zone, managed by this zone's provider.
   * @param id construct id, unique among this zone's children
   */
  public addRRset(id: string, options: DnsCoveRRsetOptions): DnsCoveRRset {
    return new DnsCoveRRset(this, id, { ...options, provider: this.provider, zone: this });
  }
}
