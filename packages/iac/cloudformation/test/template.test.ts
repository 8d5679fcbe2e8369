import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";

/**
 * Checks examples/cloudformation/template.yaml against the CloudFormation resource specification
 * (AWS's registry schemas as packaged in @aws-cdk/aws-service-spec): every AWS resource type exists,
 * every property is one it has and every required one is given, every GetAtt names a real attribute,
 * and every Ref/GetAtt/Sub reference points at something the template defines.
 */
const templatePath = new URL("../../../../examples/cloudformation/template.yaml", import.meta.url);

interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, { required?: boolean }>;
  attributes: Record<string, unknown>;
}

function loadSpec(): Map<string, SpecResource> {
  const require = createRequire(import.meta.url);
  const dbFile = require.resolve("@aws-cdk/aws-service-spec/db.json.gz");
  const db = JSON.parse(gunzipSync(readFileSync(dbFile)).toString("utf8")) as {
    schema: { resource: { entities: SpecResource[] } };
  };
  return new Map(db.schema.resource.entities.map((r) => [r.cloudFormationType, r]));
}

/** The short-form intrinsic functions a template may use, read as their long forms. */
const intrinsic = (tag: string, fn: string) => ({
  tag,
  resolve: (value: string) => ({ [fn]: value }),
  identify: () => false,
});
const customTags = [
  intrinsic("!Ref", "Ref"),
  intrinsic("!Sub", "Fn::Sub"),
  {
    tag: "!GetAtt",
    resolve: (value: string) => ({ "Fn::GetAtt": value.split(".") }),
    identify: () => false,
  },
];

function loadTemplate() {
  const document = parseDocument(readFileSync(templatePath, "utf8"), { customTags });
  expect(document.errors).toEqual([]);
  return document.toJS() as {
    Parameters?: Record<string, unknown>;
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    Outputs?: Record<string, { Value: unknown }>;
  };
}

function references(value: unknown, out: { refs: string[]; atts: [string, string][]; subs: string[] }) {
  if (Array.isArray(value)) for (const item of value) references(item, out);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "Ref" && typeof inner === "string") out.refs.push(inner);
      else if (key === "Fn::GetAtt" && Array.isArray(inner))
        out.atts.push([String(inner[0]), String(inner[1])]);
      else if (key === "Fn::Sub" && typeof inner === "string") {
        for (const match of inner.matchAll(/\$\{([^}]+)\}/g)) out.subs.push(match[1] ?? "");
      } else references(inner, out);
    }
  }
  return out;
}

describe("examples/cloudformation/template.yaml", () => {
  const spec = loadSpec();
  const template = loadTemplate();
  const resources = Object.entries(template.Resources);

  it("uses only resource types, properties and required properties the specification defines", () => {
    const awsResources = resources.filter(([, r]) => r.Type.startsWith("AWS::"));
    expect(awsResources.map(([, r]) => r.Type).sort()).toEqual(["AWS::IAM::Role", "AWS::Lambda::Function"]);
    for (const [name, resource] of awsResources) {
      const definition = spec.get(resource.Type);
      expect(definition, `${name}: ${resource.Type}`).toBeDefined();
      const given = Object.keys(resource.Properties ?? {});
      const known = Object.keys(definition?.properties ?? {});
      expect(
        given.filter((p) => !known.includes(p)),
        `${name}: unknown properties`,
      ).toEqual([]);
      const required = known.filter((p) => definition?.properties[p]?.required);
      expect(
        required.filter((p) => !given.includes(p)),
        `${name}: missing required properties`,
      ).toEqual([]);
    }
  });

  it("gives every custom resource a ServiceToken and the properties its handler reads", () => {
    const custom = resources.filter(([, r]) => r.Type.startsWith("Custom::"));
    expect(custom.length).toBeGreaterThanOrEqual(4);
    for (const [name, resource] of custom) {
      const properties = resource.Properties ?? {};
      expect(properties.ServiceToken, name).toEqual({ "Fn::GetAtt": ["DNSCoveProvider", "Arn"] });
      if (resource.Type === "Custom::DNSCoveZone")
        expect(Object.keys(properties).sort()).toEqual(["Origin", "ServiceToken"]);
      else {
        expect(resource.Type).toBe("Custom::DNSCoveRRset");
        for (const key of ["ZoneId", "Name", "Type", "Records"])
          expect(properties, `${name}.${key}`).toHaveProperty(key);
      }
    }
  });

  it("references only what it defines, and GetAtt only real attributes", () => {
    const defined = new Set([...Object.keys(template.Parameters ?? {}), ...Object.keys(template.Resources)]);
    const found = references(
      { r: template.Resources, o: template.Outputs },
      { refs: [], atts: [], subs: [] },
    );
    const pseudo = (name: string) => name.startsWith("AWS::");
    expect(found.refs.filter((r) => !defined.has(r) && !pseudo(r))).toEqual([]);
    expect(found.subs.filter((s) => !defined.has(s.split(".")[0] ?? "") && !pseudo(s))).toEqual([]);
    for (const [resource, attribute] of found.atts) {
      const type = template.Resources[resource]?.Type;
      expect(type, `GetAtt ${resource}.${attribute}`).toBeDefined();
      if (type?.startsWith("AWS::")) {
        expect(Object.keys(spec.get(type)?.attributes ?? {}), `${type} attributes`).toContain(attribute);
      } else {
        expect(["Id", "NameServers", "Status", "Dnssec", "DS", "Name", "Type", "TTL", "Records"]).toContain(
          attribute,
        );
      }
    }
  });

  it("never holds the token in plain text: it comes from Secrets Manager by dynamic reference", () => {
    const fn = template.Resources.DNSCoveProvider?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(fn.Environment.Variables.DNSCOVE_TOKEN).toMatch(/^\{\{resolve:secretsmanager:[^}]+\}\}$/);
  });
});
