/**
 * The rrset contract's newer parts, through the SDK on SQLite and PostgreSQL: CREATE (Route 53's
 * "refuse when it exists", 409 RRSET_EXISTS, all-or-nothing in a batch), the `rrsets` the change
 * answer carries (equal to what GET and the list then return), and GET of one rrset by a relative,
 * absolute or IDNA name.
 */
import { DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe.each(PROVIDERS)("rrset CREATE, change answer and GET (%s)", (provider) => {
  let api: TestApi;
  let session: string;
  let client: DnscoveClient;

  beforeAll(async () => {
    api = await startTestApi(provider);
    session = await api.signIn();
    client = api.client(session);
  });
  afterAll(() => api.close());

  async function zone(origin: string): Promise<string> {
    const { data } = await client.POST("/api/zones", { body: { origin } });
    return data?.id ?? "";
  }
  const list = async (id: string) =>
    (await client.GET("/api/zones/{id}/rrsets", { params: { path: { id } } })).data?.rrsets ?? [];
  const get = (id: string, name: string, type: string) =>
    client.GET("/api/zones/{id}/rrsets/{name}/{type}", { params: { path: { id, name, type } } });
  /** Everything a refused change must leave alone: the zone's serials and every rrset row. */
  const state = async (id: string) => ({
    zone: await api.services.db.zone.findUniqueOrThrow({
      where: { id },
      select: { serial: true, publishedSerial: true, rrsetCount: true, updatedAt: true },
    }),
    rows: await api.services.db.rRset.findMany({
      where: { zoneId: id },
      orderBy: [{ name: "asc" }, { type: "asc" }],
    }),
  });

  it("CREATE writes a new rrset and refuses an existing one with 409 RRSET_EXISTS, changing nothing", async () => {
    const id = await zone("create.example");
    const path = { params: { path: { id } } };
    const { data: created } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "CREATE", name: "www", type: "A", ttl: 120, records: ["192.0.2.7"] },
    });
    expect(created).toEqual({
      status: "PENDING",
      serial: 2,
      rrsets: [{ name: "www.create.example.", type: "A", ttl: 120, records: ["192.0.2.7"] }],
    });

    const before = await state(id);
    // Another spelling of the same rrset, other data: still "exists".
    const error = await apiError(
      client.POST("/api/zones/{id}/rrsets", {
        ...path,
        body: { action: "CREATE", name: "WWW.Create.Example.", type: "a", records: ["198.51.100.1"] },
      }),
    );
    expect(error.status).toBe(409);
    expect(error.code).toBe("RRSET_EXISTS");
    expect(error.errors?.map((e) => e.path)).toEqual(["name"]);
    expect(await state(id)).toEqual(before);
    expect((await get(id, "www", "A")).data?.records).toEqual(["192.0.2.7"]);

    // UPSERT still replaces it, and a CREATE after a DELETE is accepted again.
    const { data: upserted } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "UPSERT", name: "www", type: "A", records: ["198.51.100.1"] },
    });
    expect(upserted?.rrsets).toEqual([
      { name: "www.create.example.", type: "A", ttl: 300, records: ["198.51.100.1"] },
    ]);
    const { data: recreated } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          { action: "DELETE", name: "www", type: "A" },
          { action: "CREATE", name: "www", type: "AAAA", records: ["2001:db8::1"] },
        ],
      },
    });
    expect(recreated?.serial).toBe(4);
    const { data: again } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "CREATE", name: "www", type: "A", records: ["192.0.2.8"] },
    });
    expect(again?.serial).toBe(5);
  });

  it("refuses a whole batch when one CREATE names an existing rrset", async () => {
    const id = await zone("create-batch.example");
    const path = { params: { path: { id } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "taken", type: "TXT", records: ["first"] },
    });
    const before = await state(id);
    const error = await apiError(
      client.POST("/api/zones/{id}/rrsets", {
        ...path,
        body: {
          changes: [
            { action: "CREATE", name: "fresh", type: "A", records: ["192.0.2.1"] },
            { action: "CREATE", name: "taken", type: "TXT", records: ["second"] },
            { action: "UPSERT", name: "other", type: "A", records: ["192.0.2.2"] },
          ],
        },
      }),
    );
    expect(error.status).toBe(409);
    expect(error.code).toBe("RRSET_EXISTS");
    expect(error.errors?.map((e) => e.path)).toEqual(["changes[1].name"]);
    expect(await state(id)).toEqual(before);
    expect((await apiError(get(id, "fresh", "A"))).status).toBe(404);
  });

  it("lets exactly one of two concurrent CREATEs of one rrset win", async () => {
    const id = await zone("create-race.example");
    const path = { params: { path: { id } } };
    const attempt = (address: string) =>
      client
        .POST("/api/zones/{id}/rrsets", {
          ...path,
          body: { action: "CREATE", name: "race", type: "A", records: [address] },
        })
        .then(
          (result) => ({ ok: true as const, serial: result.data?.serial, address }),
          (error: unknown) => ({ ok: false as const, code: (error as DnscoveApiError).code, address }),
        );
    const results = await Promise.all([attempt("192.0.2.1"), attempt("192.0.2.2")]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "RRSET_EXISTS" });
    expect((await get(id, "race", "A")).data?.records).toEqual([winners[0]?.address]);
    expect((await state(id)).zone.serial).toBe(2);
  });

  it("answers the stored canonical rrsets in request order, equal to what GET and the list return", async () => {
    const id = await zone("answer.example");
    const path = { params: { path: { id } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "old", type: "MX", ttl: 900, records: ["20 Mail2.Example.NET", "10 mail1.example.net."] },
    });
    const beforeDelete = (await list(id)).find((r) => r.name === "old.answer.example." && r.type === "MX");
    expect(beforeDelete).toBeDefined();

    const { data } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          {
            action: "UPSERT",
            name: "WWW",
            type: "aaaa",
            ttl: 60,
            records: ["2001:DB8:0:0::2", "2001:db8::1"],
          },
          { action: "DELETE", name: "old.answer.example.", type: "MX" },
          { action: "CREATE", name: "@", type: "TXT", records: ["v=spf1 -all"] },
          { action: "DELETE", name: "never", type: "A" },
          { action: "CREATE", name: "*.dev", type: "CNAME", records: ["Target.Example.NET"] },
        ],
      },
    });
    expect(data?.serial).toBe(3);
    expect(data?.rrsets).toEqual([
      { name: "www.answer.example.", type: "AAAA", ttl: 60, records: ["2001:db8::1", "2001:db8::2"] },
      beforeDelete,
      { name: "answer.example.", type: "TXT", ttl: 300, records: ['"v=spf1 -all"'] },
      // Deleting an absent rrset is accepted and removes nothing: no records.
      { name: "never.answer.example.", type: "A", ttl: 300, records: [] },
      { name: "*.dev.answer.example.", type: "CNAME", ttl: 300, records: ["target.example.net."] },
    ]);

    const listed = await list(id);
    for (const [index, rrset] of (data?.rrsets ?? []).entries()) {
      const deleted = index === 1 || index === 3;
      const one = deleted
        ? await apiError(get(id, rrset.name, rrset.type))
        : (await get(id, rrset.name, rrset.type)).data;
      if (deleted) {
        expect((one as DnscoveApiError).status).toBe(404);
        expect(listed.some((r) => r.name === rrset.name && r.type === rrset.type)).toBe(false);
      } else {
        expect(one).toEqual(rrset);
        expect(listed).toContainEqual(rrset);
      }
    }
  });

  it("GET answers one rrset by relative, absolute, apex or other-case name; 404 when absent", async () => {
    const id = await zone("get.example");
    const path = { params: { path: { id } } };
    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: {
        changes: [
          { name: "www", type: "A", records: ["192.0.2.1"] },
          { name: "@", type: "MX", records: ["10 mail.get.example."] },
        ],
      },
    });
    const www = { name: "www.get.example.", type: "A", ttl: 300, records: ["192.0.2.1"] };
    for (const name of ["www", "www.get.example.", "WWW.Get.Example.", "www.get.example"]) {
      expect((await get(id, name, "A")).data, name).toEqual(www);
    }
    expect((await get(id, "www", "a")).data).toEqual(www);
    for (const name of ["@", "get.example."]) {
      expect((await get(id, name, "MX")).data?.records).toEqual(["10 mail.get.example."]);
    }

    // The apex SOA and NS are the system-managed ones the list shows.
    const listed = await list(id);
    for (const type of ["SOA", "NS"]) {
      const fromList = listed.find((r) => r.name === "get.example." && r.type === type);
      expect(fromList).toBeDefined();
      expect((await get(id, "@", type)).data).toEqual(fromList);
    }

    for (const [name, type] of [
      ["nothing", "A"],
      ["www", "AAAA"],
      ["sub", "SOA"],
    ] as const) {
      const error = await apiError(get(id, name, type));
      expect([error.status, error.code], `${name} ${type}`).toEqual([404, "NOT_FOUND"]);
    }
    const unknownZone = await apiError(get("Z0000000000000f", "www", "A"));
    expect([unknownZone.status, unknownZone.code]).toEqual([404, "NOT_FOUND"]);

    // Reading records is a zone-records call: an acme-dns01 token of the zone is refused.
    const { data: minted } = await client.POST("/api/zones/{id}/tokens", {
      ...path,
      body: { scope: "acme-dns01" },
    });
    const refused = await rawRequest(api, "GET", `/api/zones/${id}/rrsets/www/A`, {
      token: minted?.token ?? "",
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { code: "FORBIDDEN", detail: "An acme-dns01 token may not make this call." },
    });
  });

  it("GET canonicalises an IDNA name like a write", async () => {
    const id = await zone("Bücher.Example");
    const path = { params: { path: { id } } };
    const { data } = await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { action: "CREATE", name: "Straße", type: "TXT", records: ["idn"] },
    });
    const stored = data?.rrsets[0];
    expect(stored?.name).toMatch(/^xn--[a-z0-9-]+\.xn--bcher-kva\.example\.$/);
    for (const name of ["Straße", "straße.bücher.example.", stored?.name ?? ""]) {
      expect((await get(id, name, "TXT")).data, name).toEqual(stored);
    }
    // Raw, percent-encoded UTF-8 in the path, as curl would send it.
    const raw = await rawRequest(api, "GET", `/api/zones/${id}/rrsets/${encodeURIComponent("STRASSE")}/TXT`, {
      token: session,
    });
    // "STRASSE" is a different name from "straße" under IDNA 2008 (ß is kept): absent.
    expect(raw.status).toBe(404);
    const rawIdn = await rawRequest(
      api,
      "GET",
      `/api/zones/${id}/rrsets/${encodeURIComponent("straße")}/TXT`,
      {
        token: session,
      },
    );
    expect(rawIdn).toMatchObject({ status: 200, body: stored });
  });
});
