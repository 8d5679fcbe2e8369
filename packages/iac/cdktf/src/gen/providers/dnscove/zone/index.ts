// https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface ZoneConfig extends cdktf.TerraformMetaArguments {
  /**
  * Sign the zone with DNSSEC (ECDSAP256SHA256). Default `false`. Turning it off starts the insecure transition (RFC 8078): the zone stays signed until the parent no longer has a DS for it, so remove the DS at the registrar; `dnssec` reads `false` from then on.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone#dnssec Zone#dnssec}
  */
  readonly dnssec?: boolean | cdktf.IResolvable;
  /**
  * The zone apex domain, e.g. `example.com`. Case, a trailing dot and Unicode (IDN) spellings are equivalent. Changing it replaces the zone.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone#origin Zone#origin}
  */
  readonly origin: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone dnscove_zone}
*/
export class Zone extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "dnscove_zone";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Zone resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Zone to import
  * @param importFromId The id of the existing Zone that should be imported. Refer to the {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Zone to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "dnscove_zone", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/zone dnscove_zone} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ZoneConfig
  */
  public constructor(scope: Construct, id: string, config: ZoneConfig) {
    super(scope, id, {
      terraformResourceType: 'dnscove_zone',
      terraformGeneratorMetadata: {
        providerName: 'dnscove'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._dnssec = config.dnssec;
    this._origin = config.origin;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // dnssec - computed: true, optional: true, required: false
  private _dnssec?: boolean | cdktf.IResolvable; 
  public get dnssec() {
    return this.getBooleanAttribute('dnssec');
  }
  public set dnssec(value: boolean | cdktf.IResolvable) {
    this._dnssec = value;
  }
  public resetDnssec() {
    this._dnssec = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dnssecInput() {
    return this._dnssec;
  }

  // ds - computed: true, optional: false, required: false
  public get ds() {
    return this.getListAttribute('ds');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // ns - computed: true, optional: false, required: false
  public get ns() {
    return this.getListAttribute('ns');
  }

  // origin - computed: false, optional: false, required: true
  private _origin?: string; 
  public get origin() {
    return this.getStringAttribute('origin');
  }
  public set origin(value: string) {
    this._origin = value;
  }
  // Temporarily expose input value. Use with caution.
  public get originInput() {
    return this._origin;
  }

  // published_serial - computed: true, optional: false, required: false
  public get publishedSerial() {
    return this.getNumberAttribute('published_serial');
  }

  // serial - computed: true, optional: false, required: false
  public get serial() {
    return this.getNumberAttribute('serial');
  }

  // status - computed: true, optional: false, required: false
  public get status() {
    return this.getStringAttribute('status');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      dnssec: cdktf.booleanToTerraform(this._dnssec),
      origin: cdktf.stringToTerraform(this._origin),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      dnssec: {
        value: cdktf.booleanToHclTerraform(this._dnssec),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      origin: {
        value: cdktf.stringToHclTerraform(this._origin),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
