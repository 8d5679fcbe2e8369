import { Fn, RemovalPolicy } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { DnsCoveRRset, DnsCoveZone } from "../src/index.js";
import { functionArn, logicalId, newProvider, newStack, template } from "./helpers.js";

describe("DnsCoveZone and DnsCoveRRset", () => {
  it("emit custom resources served by the provider function", () => {
    const stack = newStack();
    const provider = newProvider(stack);
    const zone = new DnsCoveZone(stack, "Zone", { provider, origin: "example.com" });
    new DnsCoveRRset(stack, "Www", { provider, zone, name: "www", type: "A", records: ["192.0.2.1"] });
    zone.addRRset("Mx", { name: "@", type: "MX", ttl: 3600, records: ["10 mail.example.com."] });

    const t = template(stack);
    const zoneRef = { "Fn::GetAtt": [logicalId(stack, zone.resource), "Id"] };
    t.resourceCountIs("Custom::DNSCoveZone", 1);
    t.hasResource("Custom::DNSCoveZone", {
      Properties: { ServiceToken: functionArn(stack, provider), Origin: "example.com" },
      DeletionPolicy: "Delete",
    });
    t.resourceCountIs("Custom::DNSCoveRRset", 2);
    t.hasResourceProperties("Custom::DNSCoveRRset", {
      ServiceToken: functionArn(stack, provider),
      ZoneId: zoneRef,
      Name: "www",
      Type: "A",
      TTL: 300,
      Records: ["192.0.2.1"],
    });
    t.hasResourceProperties("Custom::DNSCoveRRset", {
      ServiceToken: functionArn(stack, provider),
      ZoneId: zoneRef,
      Name: "@",
      Type: "MX",
      TTL: 3600,
      Records: ["10 mail.example.com."],
    });
  });

  it("expose the zone's attributes as GetAtt tokens", () => {
    const stack = newStack();
    const zone = new DnsCoveZone(stack, "Zone", { provider: newProvider(stack), origin: "example.com" });
    const id = logicalId(stack, zone.resource);

    expect(stack.resolve(zone.zoneId)).toEqual({ "Fn::GetAtt": [id, "Id"] });
    expect(stack.resolve(zone.status)).toEqual({ "Fn::GetAtt": [id, "Status"] });
    expect(stack.resolve(zone.nameServers)).toEqual({
      "Fn::Split": [",", { "Fn::GetAtt": [id, "NameServers"] }],
    });
    expect(stack.resolve(Fn.select(0, zone.nameServers))).toEqual({
      "Fn::Select": [0, { "Fn::Split": [",", { "Fn::GetAtt": [id, "NameServers"] }] }],
    });
  });

  it("pass dnssec to the handler and expose the DS attribute", () => {
    const stack = newStack();
    const provider = newProvider(stack);
    const signed = new DnsCoveZone(stack, "Signed", { provider, origin: "signed.example", dnssec: true });
    new DnsCoveZone(stack, "Plain", { provider, origin: "plain.example", dnssec: false });
    const t = template(stack);
    t.hasResourceProperties("Custom::DNSCoveZone", { Origin: "signed.example", Dnssec: true });
    // false is the handler's default: left out, so an unsigned zone's template is what it was.
    const plain = Object.values(t.findResources("Custom::DNSCoveZone")).find(
      (r) => (r as { Properties: { Origin: string } }).Properties.Origin === "plain.example",
    ) as { Properties: Record<string, unknown> };
    expect(Object.keys(plain.Properties).sort()).toEqual(["Origin", "ServiceToken"]);
    const id = logicalId(stack, signed.resource);
    expect(stack.resolve(signed.dsRecords)).toEqual({ "Fn::GetAtt": [id, "DS"] });
    expect(stack.resolve(signed.ds)).toEqual({ "Fn::Split": [",", { "Fn::GetAtt": [id, "DS"] }] });
  });

  it("manage records of an existing zone by id, and can retain a zone", () => {
    const stack = newStack();
    const provider = newProvider(stack);
    new DnsCoveZone(stack, "Kept", { provider, origin: "example.org", removalPolicy: RemovalPolicy.RETAIN });
    new DnsCoveRRset(stack, "Txt", {
      provider,
      zoneId: "Z1a2b3c4d5e6f70",
      name: "@",
      type: "TXT",
      records: ['"hello"'],
    });

    const t = template(stack);
    t.hasResource("Custom::DNSCoveZone", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    t.hasResourceProperties("Custom::DNSCoveRRset", { ZoneId: "Z1a2b3c4d5e6f70", Type: "TXT", TTL: 300 });
  });

  it("reject invalid props at synth time", () => {
    const stack = newStack();
    const provider = newProvider(stack);
    const zone = new DnsCoveZone(stack, "Zone", { provider, origin: "example.com" });
    const rr = { name: "www", type: "A", records: ["192.0.2.1"] };

    expect(() => new DnsCoveRRset(stack, "Both", { ...rr, provider, zone, zoneId: "Z1" })).toThrow(
      /exactly one of zone and zoneId/,
    );
    expect(() => new DnsCoveRRset(stack, "Neither", { ...rr, provider })).toThrow(
      /exactly one of zone and zoneId/,
    );
    expect(() => zone.addRRset("Neg", { ...rr, ttl: -1 })).toThrow(/ttl must be an integer/);
    expect(() => zone.addRRset("Long", { ...rr, ttl: 604_801 })).toThrow(/ttl must be an integer/);
    expect(() => zone.addRRset("Frac", { ...rr, ttl: 1.5 })).toThrow(/ttl must be an integer/);
    expect(() => zone.addRRset("Empty", { ...rr, records: [] })).toThrow(/records must not be empty/);
    expect(() => zone.addRRset("NoType", { ...rr, type: " " })).toThrow(/type must not be empty/);
    expect(() => new DnsCoveZone(stack, "NoOrigin", { provider, origin: "" })).toThrow(
      /origin must not be empty/,
    );
  });
});
