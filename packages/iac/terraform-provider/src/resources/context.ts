import { DnscoveApiError, type DnscoveClient, type Zone } from "@dnscove/sdk";
import { type CtyValue, isUnknown } from "../protocol/cty.js";
import { type Diagnostic, DiagnosticError } from "../protocol/diagnostics.js";
import type { BlockSpec, Obj, SameValue } from "../schema.js";

export type { Obj };

/** What every resource and data source works with: the configured API client and a zone cache. */
export class ProviderContext {
  private readonly zones = new Map<string, Zone>();
  private client: DnscoveClient | undefined;

  /** Set by ConfigureProvider; until then (or when it failed) every API call is a clear error. */
  configure(client: DnscoveClient): void {
    this.client = client;
    this.zones.clear();
  }

  get api(): DnscoveClient {
    if (!this.client) {
      throw new DiagnosticError(
        "Provider not configured",
        "The dnscove provider has no endpoint or token (they may depend on values known only after apply).",
      );
    }
    return this.client;
  }

  /** A zone by id, read once per provider process (its origin never changes). */
  async zone(id: string): Promise<Zone> {
    const cached = this.zones.get(id);
    if (cached) return cached;
    const { data } = await this.api.GET("/api/zones/{id}", { params: { path: { id } } });
    if (!data) throw new Error(`the API answered without zone ${id}`);
    this.zones.set(id, data);
    return data;
  }
}

/**
 * One managed resource type: its schema and every verb Terraform calls for it. `plan` answers the
 * planned state of a create (prior null) or of an in-place update; the provider compares that with
 * the prior state through the schema's forceNew flags and plans a replacement as a create.
 * Errors are thrown (DiagnosticError, DnscoveApiError) and become diagnostics in the protocol layer.
 */
export interface ResourceType {
  typeName: string;
  schema: BlockSpec;
  validate(config: Obj): Diagnostic[];
  plan(ctx: ProviderContext, prior: Obj | null, proposed: Obj, config: Obj): Obj | Promise<Obj>;
  /** How forceNew attributes compare (default: equal as data). */
  sameValue?: SameValue;
  /** Creates (prior null), updates, or deletes (planned null); answers the new state. */
  apply(ctx: ProviderContext, prior: Obj | null, planned: Obj | null): Promise<Obj | null>;
  /** The current remote state, or null when it is gone (Terraform then plans a create). */
  read(ctx: ProviderContext, current: Obj): Promise<Obj | null>;
  import(ctx: ProviderContext, id: string): Promise<Obj>;
}

/** One data source type. */
export interface DataSourceType {
  typeName: string;
  schema: BlockSpec;
  validate(config: Obj): Diagnostic[];
  read(ctx: ProviderContext, config: Obj): Promise<Obj>;
}

export function str(value: CtyValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof DnscoveApiError && error.status === 404;
}

export function isApiError(error: unknown, code: string): error is DnscoveApiError {
  return error instanceof DnscoveApiError && error.code === code;
}

export { isUnknown };
