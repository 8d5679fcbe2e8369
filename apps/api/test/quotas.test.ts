/**
 * Per-tenant quotas (DNSCOVE_MAX_ZONES_PER_TENANT, DNSCOVE_MAX_RRSETS_PER_ZONE), set small here: a
 * call that would exceed one answers 409 QUOTA_EXCEEDED and writes nothing, on every path that adds
 * zones (create, Route53 import) or rrsets (single change, batch, import, ACME challenge).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const ZONES = 3;
const RRSETS = 5;

const SOA = "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400";
function exportOf(origin: string, hosts: number): string {
  return JSON.stringify({
    ResourceRecordSets: [
      { Name: `${origin}.`, Type: "SOA", TTL: 900, ResourceRecords: [{ Value: SOA }] },
      ...Array.from({ length: hosts }, (_, i) => ({
        Name: `h${i}.${origin}.`,
        Type: "A",
        TTL: 300,
        ResourceRecords: [{ Value: "192.0.2.1" }],
      })),
    ],
  });
}

const a = (name: string) => ({ name, type: "A", ttl: 60, records: ["192.0.2.7"] });

describe("quota settings", () => {
  it("default to 1,000 zones per tenant and 1,000,000 rrsets per zone, and are configurable", () => {
    expect(loadConfig({}).quotas).toEqual({ zonesPerTenant: 1000, rrsetsPerZone: 1_000_000 });
    expect(
      loadConfig({ DNSCOVE_MAX_ZONES_PER_TENANT: "7", DNSCOVE_MAX_RRSETS_PER_ZONE: "600000" }).quotas,
    ).toEqual({ zonesPerTenant: 7, rrsetsPerZone: 600_000 });
    expect(() => loadConfig({ DNSCOVE_MAX_ZONES_PER_TENANT: "0" })).toThrow(/DNSCOVE_MAX_ZONES_PER_TENANT/);
  });
});

describe.each(PROVIDERS)("quotas (%s)", (provider) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(provider, { quotas: { zonesPerTenant: ZONES, rrsetsPerZone: RRSETS } });
  });
  afterAll(() => api?.close());

  const unique = () => randomBytes(4).toString("hex");
  const post = (token: string, path: string, body: unknown) =>
    rawRequest(api, "POST", path, { token, body: JSON.stringify(body) });
  const written = async () => ({
    zones: await api.services.db.zone.count(),
    rrsets: await api.services.db.rRset.count(),
    snapshots: await api.services.db.snapshot.count(),
  });

  async function expectQuota(token: string, path: string, body: unknown): Promise<void> {
    const before = await written();
    const r = await post(token, path, body);
    expect({ status: r.status, body: r.body }).toMatchObject({
      status: 409,
      body: { code: "QUOTA_EXCEEDED" },
    });
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await written()).toEqual(before);
  }

  it("stops a tenant at its zone quota, by create and by import, and frees a place on delete", async () => {
    const session = await api.signIn();
    const ids: string[] = [];
    for (let i = 0; i < ZONES; i++) {
      const r = await post(session, "/api/zones", { origin: `z${i}-${unique()}.quota.test` });
      expect(r.status).toBe(201);
      ids.push((r.body as { id: string }).id);
    }
    await expectQuota(session, "/api/zones", { origin: `over-${unique()}.quota.test` });
    await expectQuota(session, "/api/import/route53", { json: exportOf(`over-${unique()}.quota.test`, 1) });
    // Another tenant has a quota of its own.
    const other = await api.signIn();
    expect((await post(other, "/api/zones", { origin: `o-${unique()}.quota.test` })).status).toBe(201);
    // Deleting a zone frees its place.
    const del = await rawRequest(api, "DELETE", `/api/zones/${ids[0]}`, { token: session });
    expect(del.status).toBe(204);
    expect((await post(session, "/api/zones", { origin: `again-${unique()}.quota.test` })).status).toBe(201);
  });

  it("does not let concurrent creates of one tenant overshoot the zone quota", async () => {
    const session = await api.signIn();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(session, "/api/zones", { origin: `race${i}-${unique()}.quota.test` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(ZONES);
    expect(statuses.filter((s) => s === 409)).toHaveLength(8 - ZONES);
    const first = results.find((r) => r.status === 201);
    const tenantId = (first?.body as { tenant_id: string } | undefined)?.tenant_id ?? "";
    expect(await api.services.db.zone.count({ where: { tenantId } })).toBe(ZONES);
  });

  it("stops a zone at its rrset quota: single change, batch, import and ACME challenge", async () => {
    const session = await api.signIn();
    const created = await post(session, "/api/zones", { origin: `rr-${unique()}.quota.test` });
    const zoneId = (created.body as { id: string }).id;
    const rrsets = `/api/zones/${zoneId}/rrsets`;

    // Up to the quota in one batch, then one more is refused, singly and in a batch.
    const fill = await post(session, rrsets, { changes: [a("a1"), a("a2"), a("a3"), a("a4"), a("a5")] });
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    await expectQuota(session, rrsets, a("a6"));
    await expectQuota(session, rrsets, { changes: [a("a6"), a("a7")] });
    // Replacing an rrset adds nothing; a batch that deletes one to add another stays within.
    expect((await post(session, rrsets, { ...a("a1"), ttl: 120 })).status).toBe(200);
    const swap = await post(session, rrsets, {
      changes: [{ action: "DELETE", name: "a5", type: "A" }, a("b1")],
    });
    expect(swap.status, JSON.stringify(swap.body)).toBe(200);
    // A new challenge name would add a TXT rrset.
    await expectQuota(session, `/api/zones/${zoneId}/acme-challenge`, {
      action: "PRESENT",
      name: `_acme-challenge.www.${(created.body as { origin: string }).origin}.`,
      value: randomBytes(32).toString("base64url"),
    });
    expect(await api.services.db.rRset.count({ where: { zoneId } })).toBe(RRSETS);
    // The zone's kept count (what the quota reads) agrees with its rows, through add, swap and refusals.
    const kept = await api.services.db.zone.findUniqueOrThrow({ where: { id: zoneId } });
    expect(kept.rrsetCount).toBe(RRSETS);

    // An import larger than a zone may hold is refused whole; one that fits is accepted.
    await expectQuota(session, "/api/import/route53", {
      json: exportOf(`big-${unique()}.quota.test`, RRSETS + 1),
    });
    const fits = await post(session, "/api/import/route53", {
      json: exportOf(`fits-${unique()}.quota.test`, RRSETS),
    });
    expect(fits.status, JSON.stringify(fits.body)).toBe(201);
  });

  it("lets an ACME challenge in below the rrset quota, and counts its rrset in and out", async () => {
    const session = await api.signIn();
    const created = await post(session, "/api/zones", { origin: `acme-${unique()}.quota.test` });
    const zone = created.body as { id: string; origin: string };
    const value = randomBytes(32).toString("base64url");
    const r = await post(session, `/api/zones/${zone.id}/acme-challenge`, {
      action: "PRESENT",
      name: `_acme-challenge.${zone.origin}.`,
      value,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const counted = async () =>
      (await api.services.db.zone.findUniqueOrThrow({ where: { id: zone.id } })).rrsetCount;
    expect(await counted()).toBe(await api.services.db.rRset.count({ where: { zoneId: zone.id } }));
    expect(await counted()).toBe(1);
    const cleanup = await post(session, `/api/zones/${zone.id}/acme-challenge`, {
      action: "CLEANUP",
      name: `_acme-challenge.${zone.origin}.`,
      value,
    });
    expect(cleanup.status).toBe(200);
    expect(await counted()).toBe(0);
  });
});
