import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { buildExampleStack } from "../../../../examples/cdktf/stack.js";
import { DnscoveProvider, Zone } from "../src/index.js";

/** A Terraform reference as cdktf writes it: `${expr}`. */
const ref = (expr: string) => `\${${expr}}`;

describe("examples/cdktf synthesized JSON", () => {
  const json = JSON.parse(Testing.synth(buildExampleStack(Testing.app(), "example"))) as {
    terraform: { required_providers: Record<string, { source: string }> };
    provider: Record<string, Array<Record<string, unknown>>>;
    variable: Record<string, Record<string, unknown>>;
    resource: Record<string, Record<string, Record<string, unknown>>>;
    output: Record<string, { value: string }>;
  };

  it("declares and configures the dnscove provider from variables", () => {
    expect(json.terraform.required_providers.dnscove?.source).toBe("registry.terraform.io/dnscove/dnscove");
    expect(json.provider.dnscove).toEqual([
      { endpoint: ref("var.dnscove_endpoint"), token: ref("var.dnscove_token") },
    ]);
    expect(json.variable.dnscove_token).toEqual(
      expect.objectContaining({ type: "string", sensitive: true, nullable: true, default: null }),
    );
    expect(json.variable.dnscove_endpoint).toEqual(
      expect.objectContaining({ type: "string", nullable: true, default: null }),
    );
  });

  it("has one zone and two rrsets referencing it", () => {
    const zones = json.resource.dnscove_zone ?? {};
    expect(Object.keys(zones)).toEqual(["zone"]);
    expect(zones.zone).toMatchObject({ origin: "example.com" });
    const rrsets = json.resource.dnscove_rrset ?? {};
    expect(Object.keys(rrsets).sort()).toEqual(["spf", "www"]);
    expect(rrsets.www).toMatchObject({
      zone_id: ref("dnscove_zone.zone.id"),
      name: "www",
      type: "A",
      records: ["192.0.2.10", "192.0.2.11"],
    });
    expect(rrsets.www).not.toHaveProperty("ttl");
    expect(rrsets.spf).toMatchObject({
      zone_id: ref("dnscove_zone.zone.id"),
      name: "@",
      type: "TXT",
      ttl: 3600,
      records: ['"v=spf1 -all"'],
    });
  });

  it("outputs the zone id and name servers", () => {
    expect(json.output.zone_id?.value).toBe(ref("dnscove_zone.zone.id"));
    expect(json.output.name_servers?.value).toBe(ref("dnscove_zone.zone.ns"));
  });
});

describe("dnssec on the generated Zone binding", () => {
  it("synthesizes dnssec and exposes the computed ds list as a reference", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "signed");
    new DnscoveProvider(stack, "dnscove", {});
    const zone = new Zone(stack, "zone", { origin: "signed.example", dnssec: true });
    new TerraformOutput(stack, "ds", { value: zone.ds });
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      output: Record<string, { value: string }>;
    };
    expect(json.resource.dnscove_zone?.zone).toEqual({ origin: "signed.example", dnssec: true });
    expect(json.output.ds?.value).toBe(ref("dnscove_zone.zone.ds"));
  });
});
