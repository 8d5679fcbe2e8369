// https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface RrsetConfig extends cdktf.TerraformMetaArguments {
  /**
  * Whether creating the rrset may take over one of the same name and type that already exists (created outside this configuration), replacing its records. Defaults to false: the create fails and names the `terraform import` command instead, as the AWS provider's `aws_route53_record` does.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#allow_overwrite Rrset#allow_overwrite}
  */
  readonly allowOverwrite?: boolean | cdktf.IResolvable;
  /**
  * The owner name: `@` for the apex, a name relative to the zone (`www`), or absolute with a trailing dot (`www.example.com.`). Case-insensitive. Changing it replaces the rrset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#name Rrset#name}
  */
  readonly name: string;
  /**
  * The records' data in presentation format, e.g. `192.0.2.1`, `10 mail.example.com.`, `"v=spf1 -all"`. Equivalent spellings (case, IPv6 compression, unquoted TXT) plan no changes.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#records Rrset#records}
  */
  readonly records: string[];
  /**
  * Time to live in seconds, 0 to 604800. Defaults to 300.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#ttl Rrset#ttl}
  */
  readonly ttl?: number;
  /**
  * The record type in upper case, e.g. `A`, `AAAA`, `CNAME`, `MX`, `TXT`. Changing it replaces the rrset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#type Rrset#type}
  */
  readonly type: string;
  /**
  * The id of the zone holding the rrset. Changing it replaces the rrset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#zone_id Rrset#zone_id}
  */
  readonly zoneId: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset dnscove_rrset}
*/
export class Rrset extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "dnscove_rrset";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Rrset resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Rrset to import
  * @param importFromId The id of the existing Rrset that should be imported. Refer to the {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Rrset to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "dnscove_rrset", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/rrset dnscove_rrset} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options RrsetConfig
  */
  public constructor(scope: Construct, id: string, config: RrsetConfig) {
    super(scope, id, {
      terraformResourceType: 'dnscove_rrset',
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
    this._allowOverwrite = config.allowOverwrite;
    this._name = config.name;
    this._records = config.records;
    this._ttl = config.ttl;
    this._type = config.type;
    this._zoneId = config.zoneId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allow_overwrite - computed: false, optional: true, required: false
  private _allowOverwrite?: boolean | cdktf.IResolvable; 
  public get allowOverwrite() {
    return this.getBooleanAttribute('allow_overwrite');
  }
  public set allowOverwrite(value: boolean | cdktf.IResolvable) {
    this._allowOverwrite = value;
  }
  public resetAllowOverwrite() {
    this._allowOverwrite = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowOverwriteInput() {
    return this._allowOverwrite;
  }

  // fqdn - computed: true, optional: false, required: false
  public get fqdn() {
    return this.getStringAttribute('fqdn');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // records - computed: false, optional: false, required: true
  private _records?: string[]; 
  public get records() {
    return cdktf.Fn.tolist(this.getListAttribute('records'));
  }
  public set records(value: string[]) {
    this._records = value;
  }
  // Temporarily expose input value. Use with caution.
  public get recordsInput() {
    return this._records;
  }

  // ttl - computed: true, optional: true, required: false
  private _ttl?: number; 
  public get ttl() {
    return this.getNumberAttribute('ttl');
  }
  public set ttl(value: number) {
    this._ttl = value;
  }
  public resetTtl() {
    this._ttl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get ttlInput() {
    return this._ttl;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // zone_id - computed: false, optional: false, required: true
  private _zoneId?: string; 
  public get zoneId() {
    return this.getStringAttribute('zone_id');
  }
  public set zoneId(value: string) {
    this._zoneId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get zoneIdInput() {
    return this._zoneId;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allow_overwrite: cdktf.booleanToTerraform(this._allowOverwrite),
      name: cdktf.stringToTerraform(this._name),
      records: cdktf.listMapper(cdktf.stringToTerraform, false)(this._records),
      ttl: cdktf.numberToTerraform(this._ttl),
      type: cdktf.stringToTerraform(this._type),
      zone_id: cdktf.stringToTerraform(this._zoneId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allow_overwrite: {
        value: cdktf.booleanToHclTerraform(this._allowOverwrite),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      records: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._records),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      ttl: {
        value: cdktf.numberToHclTerraform(this._ttl),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      type: {
        value: cdktf.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      zone_id: {
        value: cdktf.stringToHclTerraform(this._zoneId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
