import { createClient } from "@dnscove/sdk";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { resources } from "../src/provider.js";
import { type Obj, ProviderContext, type ResourceType } from "../src/resources/context.js";
import { planResourceChange } from "../src/resources/plan-change.js";
import { signIn } from "./api.js";

/**
 * The plan's RequiresReplace is read off the schema's forceNew flags: changing any argument plans
 * a replacement exactly when the schema marks it forceNew, and clearing the flag in the schema
 * turns the same change into an update. The rrset plans look its zone up in the real API.
 */
const apiUrl = inject("apiUrl");

const zone = resources.dnscove_zone as ResourceType;
const rrset = resources.dnscove_rrset as ResourceType;
const token = resources.dnscove_token as ResourceType;

/** A different, valid value for each argument. */
function changed(
  resource: ResourceType,
  name: string,
  prior: Obj,
  other: Record<string, string>,
): Obj[string] {
  const value = prior[name];
  if (name in other) return other[name] ?? null;
  if (typeof value === "number") return value + 1;
  if (typeof value === "boolean") return !value;
  if (Array.isArray(value)) return [...value.slice(1), "192.0.2.99"];
  throw new Error(`no changed value for ${resource.typeName}.${name}`);
}

/** The configuration a state was planned from: its arguments only. */
function configOf(resource: ResourceType, state: Obj): Obj {
  return Object.fromEntries(
    resource.schema.attributes.map((a) => [
      a.name,
      a.required || a.optional ? (state[a.name] ?? null) : null,
    ]),
  );
}

function withoutForceNew(resource: ResourceType, name: string): ResourceType {
  return {
    ...resource,
    schema: {
      ...resource.schema,
      attributes: resource.schema.attributes.map((a) => (a.name === name ? { ...a, forceNew: false } : a)),
    },
  };
}

describe("RequiresReplace comes from the schema's forceNew flags", () => {
  const ctx = new ProviderContext();
  const states: Record<string, { prior: Obj; other: Record<string, string> }> = {};

  beforeAll(async () => {
    const bearer = await signIn(apiUrl, "tf-replace");
    const api = createClient({ baseUrl: apiUrl, token: bearer });
    ctx.configure(api);
    const made = async (origin: string) => {
      const { data } = await api.POST("/api/zones", { body: { origin } });
      if (!data) throw new Error("no zone");
      return data;
    };
    const [a, b] = [await made("replace-a.example"), await made("replace-b.example")];
    states.dnscove_zone = {
      prior: {
        id: a.id,
        origin: a.origin,
        ns: a.ns,
        status: a.status,
        serial: a.serial,
        published_serial: 1,
        dnssec: false,
        ds: [],
      },
      other: { origin: "replace-c.example" },
    };
    states.dnscove_rrset = {
      prior: {
        id: `${a.id}/www.replace-a.example./A`,
        zone_id: a.id,
        name: "www",
        type: "A",
        ttl: 300,
        records: ["192.0.2.1", "192.0.2.2"],
        allow_overwrite: false,
        fqdn: "www.replace-a.example.",
      },
      other: { zone_id: b.id, name: "web", type: "TXT" },
    };
    states.dnscove_token = {
      prior: {
        id: "0123456789abcdef",
        scope: "zone-admin",
        zone_id: a.id,
        name: "ci",
        expires_in_days: 30,
        token: "dnsc_secret",
        created_at: "2026-01-01T00:00:00Z",
        expires_at: "2026-01-31T00:00:00Z",
        revoked: false,
      },
      other: { scope: "acme-dns01", zone_id: b.id, name: "deploy" },
    };
  });

  for (const resource of [zone, rrset, token]) {
    it(`${resource.typeName}: each changed argument is replaced exactly when it is forceNew`, async () => {
      const { prior, other } = states[resource.typeName] ?? { prior: {}, other: {} };
      const args = resource.schema.attributes.filter((a) => a.required || a.optional);
      expect(args.some((a) => a.forceNew)).toBe(true);
      const config = configOf(resource, prior);
      const same = await planResourceChange(resource, ctx, prior, config, config);
      expect(same.diagnostics).toEqual([]);
      expect(same.requiresReplace).toEqual([]);
      for (const a of args) {
        const next: Obj = { ...config, [a.name]: changed(resource, a.name, prior, other) };
        const plan = await planResourceChange(resource, ctx, prior, next, next);
        expect(plan.diagnostics, a.name).toEqual([]);
        expect(plan.requiresReplace, `${resource.typeName}.${a.name}`).toEqual(a.forceNew ? [a.name] : []);
        // A replacement is planned as a create (a new id, unknown until apply for zones and
        // tokens); an update keeps the object.
        if (a.forceNew) expect(plan.planned?.id, a.name).not.toEqual(prior.id);
        else expect(plan.planned?.id, a.name).toBe(prior.id);
        // The same change with the flag cleared in the schema is an update in place.
        if (a.forceNew) {
          const unflagged = await planResourceChange(
            withoutForceNew(resource, a.name),
            ctx,
            prior,
            next,
            next,
          );
          expect(unflagged.requiresReplace, a.name).toEqual([]);
        }
      }
    });
  }

  it("equivalent spellings of forceNew arguments plan no replacement", async () => {
    const z = states.dnscove_zone?.prior ?? {};
    const zoneConfig = { ...configOf(zone, z), origin: "Replace-A.Example." };
    expect((await planResourceChange(zone, ctx, z, zoneConfig, zoneConfig)).requiresReplace).toEqual([]);

    const r = states.dnscove_rrset?.prior ?? {};
    const rrsetConfig = { ...configOf(rrset, r), name: "WWW.replace-a.example." };
    const plan = await planResourceChange(rrset, ctx, r, rrsetConfig, rrsetConfig);
    expect(plan.requiresReplace).toEqual([]);
    expect(plan.planned?.name).toBe("www"); // the prior spelling is kept, so nothing changes

    const t = states.dnscove_token?.prior ?? {};
    const never = { ...t, expires_in_days: 0 };
    const tokenConfig = { ...configOf(token, never), expires_in_days: null };
    expect((await planResourceChange(token, ctx, never, tokenConfig, tokenConfig)).requiresReplace).toEqual(
      [],
    );
  });
});
