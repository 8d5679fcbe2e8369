import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { expect, it } from "vitest";
import { buildExampleStack } from "../../../../examples/cdk/stack.js";
import { inlineCode } from "./helpers.js";

it("examples/cdk synthesizes one provider, one zone and A, MX and TXT rrsets", () => {
  const stack = buildExampleStack(new App(), "Example", { code: inlineCode() });
  const t = Template.fromStack(stack);

  t.resourceCountIs("AWS::Lambda::Function", 1);
  t.hasResourceProperties("AWS::Lambda::Function", { Runtime: "nodejs22.x", Handler: "index.handler" });
  t.resourceCountIs("Custom::DNSCoveZone", 1);
  t.hasResourceProperties("Custom::DNSCoveZone", { Origin: "example.com" });

  const rrsets = Object.values(t.findResources("Custom::DNSCoveRRset")).map(
    (r) => (r as { Properties: Record<string, unknown> }).Properties,
  );
  const [zoneLogicalId] = Object.keys(t.findResources("Custom::DNSCoveZone"));
  expect(rrsets.map(({ Type, Name, TTL }) => [Type, Name, TTL]).sort()).toEqual([
    ["A", "www", 300],
    ["MX", "@", 3600],
    ["TXT", "@", 300],
  ]);
  for (const rrset of rrsets) {
    expect(rrset.ZoneId).toEqual({ "Fn::GetAtt": [zoneLogicalId, "Id"] });
  }
  expect(Object.keys(t.toJSON().Outputs)).toEqual(["ZoneId", "NameServers"]);
});
