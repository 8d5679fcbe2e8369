// https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface TokenConfig extends cdktf.TerraformMetaArguments {
  /**
  * Lifetime in days from creation; absent or 0 means the token never expires. Changing it replaces the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token#expires_in_days Token#expires_in_days}
  */
  readonly expiresInDays?: number;
  /**
  * A label for the token, shown in listings. Changing it replaces the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token#name Token#name}
  */
  readonly name?: string;
  /**
  * `tenant-admin` (the whole tenant), `zone-admin` (one zone: rrsets, checks) or `acme-dns01` (one zone: ACME challenges only). Changing it replaces the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token#scope Token#scope}
  */
  readonly scope: string;
  /**
  * The zone a `zone-admin` or `acme-dns01` token is bound to (required for those scopes, not allowed for `tenant-admin`). Changing it replaces the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token#zone_id Token#zone_id}
  */
  readonly zoneId?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token dnscove_token}
*/
export class Token extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "dnscove_token";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Token resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Token to import
  * @param importFromId The id of the existing Token that should be imported. Refer to the {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Token to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "dnscove_token", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/dnscove/dnscove/latest/docs/resources/token dnscove_token} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options TokenConfig
  */
  public constructor(scope: Construct, id: string, config: TokenConfig) {
    super(scope, id, {
      terraformResourceType: 'dnscove_token',
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
    this._expiresInDays = config.expiresInDays;
    this._name = config.name;
    this._scope = config.scope;
    this._zoneId = config.zoneId;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // expires_at - computed: true, optional: false, required: false
  public get expiresAt() {
    return this.getStringAttribute('expires_at');
  }

  // expires_in_days - computed: false, optional: true, required: false
  private _expiresInDays?: number; 
  public get expiresInDays() {
    return this.getNumberAttribute('expires_in_days');
  }
  public set expiresInDays(value: number) {
    this._expiresInDays = value;
  }
  public resetExpiresInDays() {
    this._expiresInDays = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expiresInDaysInput() {
    return this._expiresInDays;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: true, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // revoked - computed: true, optional: false, required: false
  public get revoked() {
    return this.getBooleanAttribute('revoked');
  }

  // scope - computed: false, optional: false, required: true
  private _scope?: string; 
  public get scope() {
    return this.getStringAttribute('scope');
  }
  public set scope(value: string) {
    this._scope = value;
  }
  // Temporarily expose input value. Use with caution.
  public get scopeInput() {
    return this._scope;
  }

  // token - computed: true, optional: false, required: false
  public get token() {
    return this.getStringAttribute('token');
  }

  // zone_id - computed: false, optional: true, required: false
  private _zoneId?: string; 
  public get zoneId() {
    return this.getStringAttribute('zone_id');
  }
  public set zoneId(value: string) {
    this._zoneId = value;
  }
  public resetZoneId() {
    this._zoneId = undefined;
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
      expires_in_days: cdktf.numberToTerraform(this._expiresInDays),
      name: cdktf.stringToTerraform(this._name),
      scope: cdktf.stringToTerraform(this._scope),
      zone_id: cdktf.stringToTerraform(this._zoneId),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      expires_in_days: {
        value: cdktf.numberToHclTerraform(this._expiresInDays),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      scope: {
        value: cdktf.stringToHclTerraform(this._scope),
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
