import { readZoneAt } from "@dnscove/db";
import { DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutoPublisher } from "../src/jobs/auto-publisher.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

async function apiError(promise: Promise<unknown>): Promise<DnscoveApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DnscoveApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe.each(PROVIDERS)("zones and rrsets through the SDK (%s)", (provider) => {
  let api: TestApi;
  let client: DnscoveClient;

  beforeAll(async () => {
    api = await startTestApi(provider);
    client = api.client(await api.signIn());
  });
  afterAll(() => api.close());

  it("creates a zone in canonical form with serial 1 already published", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "Bücher.Example.ORG." } });
    expect(zone).toMatchObject({
      origin: "xn--bcher-kva.example.org",
      status: "PENDING_VERIFICATION",
      ns: ["ns1.dnscove.test", "ns2.dnscove.test"],
      serial: 1,
      published_serial: 1,
    });
    expect(zone?.id).toMatch(/^Z[0-9a-f]{14}$/);
    const { data: list } = await client.GET("/api/zones");
    expect(list?.zones.map((z) => z.origin)).toContain("xn--bcher-kva.example.org");
  });

  it("refuses an origin that is already hosted, by this or another tenant", async () => {
    await client.POST("/api/zones", { body: { origin: "taken.example" } });
    const again = await apiError(client.POST("/api/zones", { body: { origin: "TAKEN.example." } }));
    expect(again.status).toBe(409);
    expect(again.code).toBe("ZONE_EXISTS");
    const other = api.client(await api.signIn());
    expect((await apiError(other.POST("/api/zones", { body: { origin: "taken.example" } }))).status).toBe(
      409,
    );
    expect((await apiError(other.POST("/api/zones", { body: { origin: "sub.taken.example" } }))).status).toBe(
      409,
    );
  });

  it("applies UPSERT and DELETE, canonicalises names and data, and bumps the serial once per call", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "records.example" } });
    const id = zone?.id ?? "";
    const path = { params: { path: { id } } };
    const { data: first } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "UPSERT", name: "WWW", type: "a", ttl: 60, records: ["192.0.2.2", "192.0.2.1"] },
    });
    expect(first).toEqual({
      status: "PENDING",
      serial: 2,
      rrsets: [{ name: "www.records.example.", type: "A", ttl: 60, records: ["192.0.2.1", "192.0.2.2"] }],
    });
    const { data: second } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          { name: "mail.records.example.", type: "MX", records: ["10 MX1.Example.NET"] },
          { name: "@", type: "TXT", records: ["v=spf1 -all"] },
          { name: "*.dev", type: "AAAA", records: ["2001:DB8:0:0::1"] },
        ],
      },
    });
    expect(second?.serial).toBe(3);
    const { data } = await client.GET("/api/zones/{id}/rrsets", path);
    const byKey = Object.fromEntries((data?.rrsets ?? []).map((r) => [`${r.name} ${r.type}`, r]));
    expect(byKey["www.records.example. A"]).toEqual({
      name: "www.records.example.",
      type: "A",
      ttl: 60,
      records: ["192.0.2.1", "192.0.2.2"],
    });
    expect(byKey["mail.records.example. MX"]?.records).toEqual(["10 mx1.example.net."]);
    expect(byKey["records.example. TXT"]?.records).toEqual(['"v=spf1 -all"']);
    expect(byKey["*.dev.records.example. AAAA"]?.records).toEqual(["2001:db8::1"]);
    expect(byKey["records.example. SOA"]?.records[0]).toContain(" 3 ");
    expect(byKey["records.example. NS"]?.records).toEqual(["ns1.dnscove.test.", "ns2.dnscove.test."]);

    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "DELETE", name: "www", type: "A" },
    });
    const { data: after } = await client.GET("/api/zones/{id}/rrsets", path);
    expect(after?.rrsets.some((r) => r.name === "www.records.example.")).toBe(false);
    const { data: got } = await client.GET("/api/zones/{id}", path);
    expect(got?.serial).toBe(4);
  });

  it("rejects a whole batch when one change is bad, writing nothing", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "atomic.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };
    const before = await client.GET("/api/zones/{id}/rrsets", path);
    const error = await apiError(
      client.POST("/api/zones/{id}/rrsets", {
        ...path,
        body: {
          changes: [
            { name: "ok", type: "A", records: ["192.0.2.1"] },
            { name: "bad", type: "A", records: ["300.0.0.1"] },
            { name: "ok", type: "CNAME", records: ["elsewhere.example."] },
          ],
        },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(["changes[1].records[0]"]));
    const after = await client.GET("/api/zones/{id}/rrsets", path);
    expect(after.data).toEqual(before.data);
    expect((await client.GET("/api/zones/{id}", path)).data?.serial).toBe(1);
  });

  it("answers 409 for a CNAME beside other data, whether in one batch or across calls", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "cname.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "a", type: "TXT", records: ["x"] },
    });
    const across = await apiError(
      client.POST("/api/zones/{id}/rrsets", {
        ...path,
        body: { name: "a", type: "CNAME", records: ["b.example."] },
      }),
    );
    expect(across.status).toBe(409);
    expect(across.code).toBe("RRSET_CONFLICT");
    // Replacing the TXT by a CNAME in one atomic batch is fine.
    const { data } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          { action: "DELETE", name: "a", type: "TXT" },
          { name: "a", type: "CNAME", records: ["b.example."] },
        ],
      },
    });
    expect(data?.serial).toBe(3);
  });

  it("publishes the zone at the serial and auto-publishes pending changes", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "publish.example" } });
    const id = zone?.id ?? "";
    const path = { params: { path: { id } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "x", type: "A", records: ["192.0.2.9"] },
    });
    const { data: pending } = await client.GET("/api/zones/{id}", path);
    expect(pending).toMatchObject({ serial: 2, published_serial: 1 });

    const { data: published } = await client.POST("/api/zones/{id}/publish", path);
    expect(published).toMatchObject({ published: true, serial: 2, zone: { published_serial: 2 } });
    // Serial 2 travels as the change journal after the creation snapshot (issue 14).
    expect(await api.services.db.snapshot.count({ where: { zoneId: id } })).toBe(1);
    const content = await readZoneAt(api.services.db, id, 2);
    expect(content?.serial).toBe(2);
    expect(content?.rrsets.map((r) => `${r.name} ${r.type}`)).toEqual([
      "publish.example. SOA",
      "publish.example. NS",
      "x.publish.example. A",
    ]);

    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "y", type: "A", records: ["192.0.2.10"] },
    });
    const publisher = startAutoPublisher(api.services, 60_000);
    expect(await publisher.runOnce()).toBeGreaterThanOrEqual(1);
    await publisher.stop();
    expect((await client.GET("/api/zones/{id}", path)).data).toMatchObject({
      serial: 3,
      published_serial: 3,
    });
  });

  it("deletes a zone with its rrsets, snapshots and zone tokens", async () => {
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "gone.example" } });
    const id = zone?.id ?? "";
    const path = { params: { path: { id } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "x", type: "A", records: ["192.0.2.9"] },
    });
    const { data: minted } = await client.POST("/api/zones/{id}/tokens", {
      ...path,
      body: { scope: "zone-admin" },
    });
    const { response } = await client.DELETE("/api/zones/{id}", path);
    expect(response.status).toBe(204);
    expect((await apiError(client.GET("/api/zones/{id}", path))).status).toBe(404);
    expect(await api.services.db.snapshot.count({ where: { zoneId: id } })).toBe(0);
    expect(await api.services.db.rRset.count({ where: { zoneId: id } })).toBe(0);
    expect((await apiError(api.client(minted?.token).GET("/api/zones/{id}", path))).status).toBe(401);
    // The origin can be hosted again.
    expect((await client.POST("/api/zones", { body: { origin: "gone.example" } })).data?.origin).toBe(
      "gone.example",
    );
  });
});

describe.each(PROVIDERS)("machine tokens (%s)", (provider) => {
  let api: TestApi;
  let session: DnscoveClient;
  let zoneId: string;

  beforeAll(async () => {
    api = await startTestApi(provider);
    session = api.client(await api.signIn());
    zoneId = (await session.POST("/api/zones", { body: { origin: "tokens.example" } })).data?.id ?? "";
  });
  afterAll(() => api.close());

  it("mints a token whose plaintext is shown once and works until revoked", async () => {
    const { data: minted, response } = await session.POST("/api/tokens", {
      body: { scope: "zone-admin", zone_id: zoneId, name: "ci", expires_in_days: 30 },
    });
    expect(response.status).toBe(201);
    expect(minted?.token).toMatch(/^dnsc_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(minted).toMatchObject({ scope: "zone-admin", zone_id: zoneId, name: "ci", revoked: false });
    expect(minted?.token.startsWith(`dnsc_${minted.id}_`)).toBe(true);

    const { data: listed } = await session.GET("/api/tokens");
    const entry = listed?.tokens.find((t) => t.id === minted?.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain(minted?.token.split("_")[2]);
    const stored = await api.services.db.token.findUniqueOrThrow({ where: { id: minted?.id ?? "" } });
    expect(stored.secretHash).not.toContain(minted?.token.split("_")[2]);

    const machine = api.client(minted?.token);
    const { data: zone } = await machine.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    expect(zone?.id).toBe(zoneId);
    const { data: used } = await session.GET("/api/zones/{id}/tokens", { params: { path: { id: zoneId } } });
    expect(used?.tokens.find((t) => t.id === minted?.id)?.last_used_at).not.toBeNull();

    const { data: revoked } = await session.DELETE("/api/tokens/{id}", {
      params: { path: { id: minted?.id ?? "" } },
    });
    expect(revoked?.revoked).toBe(true);
    const after = await apiError(machine.GET("/api/zones/{id}", { params: { path: { id: zoneId } } }));
    expect(after.status).toBe(401);
  });

  it("refuses an expired token with 401", async () => {
    const { data: minted } = await session.POST("/api/tokens", {
      body: { scope: "tenant-admin", expires_in_days: 1 },
    });
    await api.services.db.token.update({
      where: { id: minted?.id ?? "" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await apiError(api.client(minted?.token).GET("/api/zones"))).status).toBe(401);
  });

  it("requires zone_id for zone-bound scopes and never lets a zone token mint tokens", async () => {
    const missing = await apiError(session.POST("/api/tokens", { body: { scope: "acme-dns01" } }));
    expect(missing.status).toBe(400);
    expect(missing.errors?.[0]?.path).toBe("zone_id");
    const { data: zoneAdmin } = await session.POST("/api/zones/{id}/tokens", {
      params: { path: { id: zoneId } },
      body: { scope: "zone-admin" },
    });
    const escalate = await apiError(
      api.client(zoneAdmin?.token).POST("/api/tokens", { body: { scope: "tenant-admin" } }),
    );
    expect(escalate.status).toBe(403);
  });

  it("answers 403 before reading the body when the scope does not allow the call", async () => {
    const other =
      (await session.POST("/api/zones", { body: { origin: "other-tokens.example" } })).data?.id ?? "";
    const { data: acme } = await session.POST("/api/zones/{id}/tokens", {
      params: { path: { id: zoneId } },
      body: {},
    });
    const refused = await rawRequest(api, "POST", `/api/zones/${other}/rrsets`, {
      token: acme?.token,
      body: "{not json",
    });
    expect(refused.status).toBe(403);
    const wrongScope = await rawRequest(api, "POST", `/api/zones/${zoneId}/rrsets`, {
      token: acme?.token,
      body: "[]",
    });
    expect(wrongScope.status).toBe(403);
  });
});
