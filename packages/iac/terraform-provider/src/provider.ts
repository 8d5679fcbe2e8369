import { createClient } from "@dnscove/sdk";
import { zoneDataSource } from "./data-sources/zone.js";
import { zonesDataSource } from "./data-sources/zones.js";
import { keepAliveGet } from "./keep-alive-get.js";
import { isUnknown } from "./protocol/cty.js";
import { type Diagnostic, errorDiagnostic } from "./protocol/diagnostics.js";
import {
  type DataSourceType,
  type Obj,
  ProviderContext,
  type ResourceType,
  str,
} from "./resources/context.js";
import { rrsetResource } from "./resources/rrset.js";
import { tokenResource } from "./resources/token.js";
import { zoneResource } from "./resources/zone.js";
import type { BlockSpec } from "./schema.js";

export const VERSION = "0.1.0";

export const providerSchema: BlockSpec = {
  version: 0,
  description: "The DNSCove provider manages zones and rrsets through the DNSCove API.",
  attributes: [
    {
      name: "endpoint",
      type: "string",
      optional: true,
      description:
        "Base URL of the DNSCove API, e.g. `https://api.dnscove.com`. Defaults to the `DNSCOVE_API` environment variable.",
    },
    {
      name: "token",
      type: "string",
      optional: true,
      sensitive: true,
      description:
        "A DNSCove API token (`dnsc_…`, tenant-admin or zone-admin scope). Defaults to the `DNSCOVE_TOKEN` environment variable.",
    },
  ],
};

function registry<T extends { typeName: string }>(types: T[]): Record<string, T> {
  return Object.fromEntries(types.map((t) => [t.typeName, t]));
}

/** Every managed resource type, by Terraform type name. */
export const resources: Record<string, ResourceType> = registry([zoneResource, rrsetResource, tokenResource]);
/** Every data source type, by Terraform type name. */
export const dataSources: Record<string, DataSourceType> = registry([zoneDataSource, zonesDataSource]);

/** The endpoint problem, if any (ValidateProviderConfig and ConfigureProvider both check it). */
export function endpointDiagnostic(endpoint: string): Diagnostic | undefined {
  if (/^https?:\/\//.test(endpoint)) return undefined;
  return errorDiagnostic(
    "Invalid DNSCove API endpoint",
    `expected an http(s) URL, got ${JSON.stringify(endpoint)}`,
    "endpoint",
  );
}

/** The provider's configured state; rebuilt by every process's ConfigureProvider. */
export class DnscoveProvider {
  /** The context every resource verb gets; its API client is set by `configure`. */
  readonly context = new ProviderContext();

  configure(config: Obj | null, env: NodeJS.ProcessEnv = process.env): Diagnostic[] {
    if (isUnknown(config?.endpoint) || isUnknown(config?.token)) {
      // Known only after apply: leave unconfigured; any call reports it.
      return [];
    }
    const endpoint = str(config?.endpoint) ?? env.DNSCOVE_API;
    const token = str(config?.token) ?? env.DNSCOVE_TOKEN;
    const diagnostics: Diagnostic[] = [];
    if (!endpoint) {
      diagnostics.push(
        errorDiagnostic(
          "Missing DNSCove API endpoint",
          'Set `endpoint` in the provider "dnscove" block or the DNSCOVE_API environment variable.',
          "endpoint",
        ),
      );
    } else {
      const invalid = endpointDiagnostic(endpoint);
      if (invalid) diagnostics.push(invalid);
    }
    if (!token) {
      diagnostics.push(
        errorDiagnostic(
          "Missing DNSCove API token",
          'Set `token` in the provider "dnscove" block or the DNSCOVE_TOKEN environment variable.',
          "token",
        ),
      );
    }
    if (diagnostics.length === 0 && endpoint) {
      const api = createClient({
        baseUrl: endpoint,
        token,
        userAgent: `terraform-provider-dnscove/${VERSION}`,
        // A refresh is one GET per rrset, 10 at a time: pooled connections, no fetch machinery.
        fetch: keepAliveGet(),
      });
      this.context.configure(api);
    }
    return diagnostics;
  }
}
