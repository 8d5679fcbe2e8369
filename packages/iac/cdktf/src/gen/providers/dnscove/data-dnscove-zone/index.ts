// https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataDnscoveZoneConfig extends cdktf.TerraformMetaArguments {
  /**
  * The zone id to look up.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone#id DataDnscoveZone#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id?: string;
  /**
  * The zone apex domain to look up, e.g. `example.com`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone#origin DataDnscoveZone#origin}
  */
  readonly origin?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone dnscove_zone}
*/
export class DataDnscoveZone extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "dnscove_zone";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataDnscoveZone resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataDnscoveZone to import
  * @param importFromId The id of the existing DataDnscoveZone that should be imported. Refer to the {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataDnscoveZone to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "dnscove_zone", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/data-sources/zone dnscove_zone} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataDnscoveZoneConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataDnscoveZoneConfig = {}) {
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
    this._id = config.id;
    this._origin = config.origin;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // dnssec - computed: true, optional: false, required: false
  public get dnssec() {
    return this.getBooleanAttribute('dnssec');
  }

  // ds - computed: true, optional: false, required: false
  public get ds() {
    return this.getListAttribute('ds');
  }

  // id - computed: true, optional: true, required: false
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  public resetId() {
    this._id = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // ns - computed: true, optional: false, required: false
  public get ns() {
    return this.getListAttribute('ns');
  }

  // origin - computed: true, optional: true, required: false
  private _origin?: string; 
  public get origin() {
    return this.getStringAttribute('origin');
  }
  public set origin(value: string) {
    this._origin = value;
  }
  public resetOrigin() {
    this._origin = undefined;
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
      id: cdktf.stringToTerraform(this._id),
      origin: cdktf.stringToTerraform(this._origin),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      id: {
        value: cdktf.stringToHclTerraform(this._id),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
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
