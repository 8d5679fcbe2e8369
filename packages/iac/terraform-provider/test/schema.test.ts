import { describe, expect, it } from "vitest";
import { dataSources, providerSchema, resources } from "../src/provider.js";
import { rrsetResourceSchema } from "../src/resources/rrset.js";
import { zoneResourceSchema } from "../src/resources/zone.js";
import { objectType, toProtoSchema } from "../src/schema.js";

const resourceSchemas = Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, v.schema]));
const dataSourceSchemas = Object.fromEntries(Object.entries(dataSources).map(([k, v]) => [k, v.schema]));

const all = {
  provider: providerSchema,
  ...resourceSchemas,
  ...Object.fromEntries(Object.entries(dataSourceSchemas).map(([k, v]) => [`data.${k}`, v])),
};

describe("schema", () => {
  it("exposes the provider, resources and data sources", () => {
    expect(providerSchema.attributes.map((a) => a.name)).toEqual(["endpoint", "token"]);
    expect(providerSchema.attributes.find((a) => a.name === "token")?.sensitive).toBe(true);
    expect(Object.keys(resourceSchemas).sort()).toEqual(["dnscove_rrset", "dnscove_token", "dnscove_zone"]);
    expect(Object.keys(dataSourceSchemas)).toEqual(["dnscove_zone", "dnscove_zones"]);
  });

  it("gives every attribute a description and exactly one of required/optional/computed-only", () => {
    for (const [name, block] of Object.entries(all)) {
      expect(block.description, name).not.toBe("");
      for (const a of block.attributes) {
        expect(a.description.length, `${name}.${a.name}`).toBeGreaterThan(10);
        expect(Boolean(a.required) && Boolean(a.optional || a.computed), `${name}.${a.name}`).toBe(false);
        expect(Boolean(a.required || a.optional || a.computed), `${name}.${a.name}`).toBe(true);
      }
    }
  });

  it("has the zone and rrset attributes the docs promise", () => {
    const zone = Object.fromEntries(zoneResourceSchema.attributes.map((a) => [a.name, a]));
    expect(zone.origin).toMatchObject({ required: true, forceNew: true, type: "string" });
    expect(zone.ns).toMatchObject({ computed: true, type: ["list", "string"] });
    for (const c of ["id", "status", "serial", "published_serial"]) expect(zone[c]?.computed).toBe(true);
    const rrset = Object.fromEntries(rrsetResourceSchema.attributes.map((a) => [a.name, a]));
    for (const f of ["zone_id", "name", "type"])
      expect(rrset[f]).toMatchObject({ required: true, forceNew: true });
    expect(rrset.ttl).toMatchObject({ optional: true, computed: true, type: "number" });
    expect(rrset.records).toMatchObject({ required: true, type: ["set", "string"] });
    expect(rrset.allow_overwrite).toMatchObject({ optional: true, type: "bool" });
    expect(rrset.allow_overwrite?.forceNew).toBeUndefined();
  });

  it("encodes attribute types as JSON bytes (quoted primitive names)", () => {
    const proto = toProtoSchema(rrsetResourceSchema);
    const types = Object.fromEntries(proto.block.attributes.map((a) => [a.name, a.type.toString("utf8")]));
    expect(types.name).toBe('"string"');
    expect(types.ttl).toBe('"number"');
    expect(types.records).toBe('["set","string"]');
    expect(objectType(zoneResourceSchema)).toEqual([
      "object",
      {
        id: "string",
        origin: "string",
        ns: ["list", "string"],
        status: "string",
        serial: "number",
        published_serial: "number",
        dnssec: "bool",
        ds: ["list", "string"],
      },
    ]);
  });
});
