import { DnscoveProvider, Rrset, Zone } from "@dnscove/cdktf";
import { type App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";

/** Options of the example stack. */
export interface DnsCoveExampleOptions {
  /** Zone apex (default `example.com`). */
  readonly origin?: string;
}

/**
 * One provider, one zone, two rrsets and two outputs: the smallest useful DNSCove CDKTF stack.
 *
 * The provider's endpoint and token come from the Terraform variables `dnscove_endpoint` and
 * `dnscove_token` (`TF_VAR_dnscove_token=…`, `-var …`); both default to null, in which case the
 * provider falls back to `$DNSCOVE_API` / `$DNSCOVE_TOKEN`.
 */
export function buildExampleStack(app: App, id = "dnscove-example", options: DnsCoveExampleOptions = {}) {
  const stack = new TerraformStack(app, id);

  const endpoint = new TerraformVariable(stack, "dnscove_endpoint", {
    type: "string",
    nullable: true,
    description: "DNSCove API base URL (null: $DNSCOVE_API).",
  });
  const token = new TerraformVariable(stack, "dnscove_token", {
    type: "string",
    nullable: true,
    sensitive: true,
    description: "DNSCove API token, dnsc_… (null: $DNSCOVE_TOKEN).",
  });
  // `default = null` (cdktf's `default` option cannot express null): optional, env fallback.
  for (const variable of [endpoint, token]) variable.addOverride("default", null);
  new DnscoveProvider(stack, "dnscove", { endpoint: endpoint.stringValue, token: token.stringValue });

  const zone = new Zone(stack, "zone", { origin: options.origin ?? "example.com" });
  new Rrset(stack, "www", { zoneId: zone.id, name: "www", type: "A", records: ["192.0.2.10", "192.0.2.11"] });
  new Rrset(stack, "spf", { zoneId: zone.id, name: "@", type: "TXT", ttl: 3600, records: ['"v=spf1 -all"'] });

  new TerraformOutput(stack, "zone_id", { value: zone.id });
  new TerraformOutput(stack, "name_servers", { value: zone.ns });
  return stack;
}
