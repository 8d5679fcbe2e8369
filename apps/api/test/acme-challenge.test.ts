import { createHash, randomBytes } from "node:crypto";
import { DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAutoPublisher } from "../src/jobs/auto-publisher.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const digest = () => randomBytes(32).toString("base64url");

describe.each(PROVIDERS)("ACME DNS-01 challenges (%s)", (provider) => {
  let api: TestApi;
  let session: DnscoveClient;
  let acme: DnscoveClient;
  let acmeToken: string;
  let zoneId: string;
  const origin = `acme-${provider}.example`;
  const name = `_acme-challenge.${origin}.`;

  const txtAt = async (owner: string) => {
    const { data } = await session.GET("/api/zones/{id}/rrsets", { params: { path: { id: zoneId } } });
    return data?.rrsets.find((r) => r.name === owner && r.type === "TXT");
  };
  const challenge = (action: "PRESENT" | "CLEANUP", value: string, at = name) =>
    acme.POST("/api/zones/{id}/acme-challenge", {
      params: { path: { id: zoneId } },
      body: { action, name: at, value },
    });

  beforeAll(async () => {
    api = await startTestApi(provider);
    session = api.client(await api.signIn());
    zoneId = (await session.POST("/api/zones", { body: { origin } })).data?.id ?? "";
    const { data: token } = await session.POST("/api/zones/{id}/tokens", {
      params: { path: { id: zoneId } },
      body: { scope: "acme-dns01", name: "cert-manager" },
    });
    acmeToken = token?.token ?? "";
    acme = api.client(acmeToken);
  });
  afterAll(() => api.close());

  it("merges values at one name, answers duplicates and missing cleanups with changed: false", async () => {
    const apex = digest();
    const wildcard = digest();
    const first = await challenge("PRESENT", apex);
    expect(first.data).toMatchObject({ status: "ok", action: "PRESENT", changed: true, published: true });
    const { data: zone } = await session.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    expect(zone?.published_serial).toBe(first.data?.serial);

    expect((await challenge("PRESENT", wildcard)).data?.changed).toBe(true);
    expect((await challenge("PRESENT", apex)).data?.changed).toBe(false);
    expect(await txtAt(name)).toEqual({
      name,
      type: "TXT",
      ttl: 60,
      records: [`"${apex}"`, `"${wildcard}"`].sort(),
    });

    expect((await challenge("CLEANUP", apex)).data?.changed).toBe(true);
    expect((await challenge("CLEANUP", apex)).data?.changed).toBe(false);
    expect((await txtAt(name))?.records).toEqual([`"${wildcard}"`]);
    expect((await challenge("CLEANUP", wildcard)).data?.changed).toBe(true);
    expect(await txtAt(name)).toBeUndefined();
  });

  it("accepts any _acme-challenge name inside the zone, relative or absolute, and nothing else", async () => {
    const value = digest();
    expect((await challenge("PRESENT", value, `_acme-challenge.www`)).data?.changed).toBe(true);
    expect((await txtAt(`_acme-challenge.www.${origin}.`))?.records).toEqual([`"${value}"`]);
    await challenge("CLEANUP", value, `_ACME-challenge.WWW.${origin}`);
    expect(await txtAt(`_acme-challenge.www.${origin}.`)).toBeUndefined();

    const bad = async (at: string, v: string) => {
      const error = await challenge("PRESENT", v, at).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DnscoveApiError);
      return (error as DnscoveApiError).errors?.map((e) => e.path);
    };
    expect(await bad(`www.${origin}.`, digest())).toEqual(["name"]);
    expect(await bad("_acme-challenge.other.example.", digest())).toEqual(["name"]);
    expect(await bad(name, "too-short")).toEqual(["value"]);
    expect(await bad(name, `${digest()}=`)).toEqual(["value"]);
  });

  it("confines an acme-dns01 token to the challenge endpoint of its zone", async () => {
    const other = (await session.POST("/api/zones", { body: { origin: `other-${origin}` } })).data?.id ?? "";
    const refused = await rawRequest(api, "POST", `/api/zones/${other}/acme-challenge`, {
      token: acmeToken,
      body: JSON.stringify({ action: "PRESENT", name: `_acme-challenge.other-${origin}.`, value: digest() }),
    });
    expect(refused.status).toBe(403);
    for (const [method, path] of [
      ["GET", `/api/zones/${zoneId}`],
      ["GET", `/api/zones/${zoneId}/rrsets`],
      ["POST", `/api/zones/${zoneId}/publish`],
      ["GET", "/api/zones"],
      ["GET", "/api/tokens"],
    ] as const) {
      expect((await rawRequest(api, method, path, { token: acmeToken })).status).toBe(403);
    }
  });

  it("removes a value a crashed client left behind once it expires", async () => {
    const value = digest();
    await challenge("PRESENT", value);
    await api.services.db.acmeChallenge.updateMany({
      where: { value },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const publisher = startAutoPublisher(api.services, 60_000);
    await publisher.runOnce();
    await publisher.stop();
    expect(await txtAt(name)).toBeUndefined();
    const { data: zone } = await session.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    expect(zone?.published_serial).toBe(zone?.serial);
  });

  it("loses no value when 20 clients present and clean up at one name at once", async () => {
    const values = Array.from({ length: 20 }, digest);
    const presented = await Promise.all(values.map((value) => challenge("PRESENT", value)));
    expect(presented.every((r) => r.data?.changed === true)).toBe(true);
    expect((await txtAt(name))?.records).toEqual(values.map((v) => `"${v}"`).sort());
    const cleaned = await Promise.all(values.map((value) => challenge("CLEANUP", value)));
    expect(cleaned.every((r) => r.data?.changed === true)).toBe(true);
    expect(await txtAt(name)).toBeUndefined();
    expect(await api.services.db.acmeChallenge.count({ where: { zoneId } })).toBe(0);
  });

  it("speaks lego's httpreq protocol with the token as a Basic password, default and RAW modes", async () => {
    const basic = `Basic ${Buffer.from(`lego:${acmeToken}`).toString("base64")}`;
    const call = (action: string, body: unknown) =>
      rawRequest(api, "POST", `/api/acme/httpreq/${action}`, {
        headers: { authorization: basic, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const value = digest();
    expect((await call("present", { fqdn: name, value })).status).toBe(200);
    expect((await txtAt(name))?.records).toEqual([`"${value}"`]);
    expect((await call("cleanup", { fqdn: name, value })).status).toBe(200);

    const keyAuth = `token123.${randomBytes(16).toString("base64url")}`;
    const expected = createHash("sha256").update(keyAuth).digest("base64url");
    const raw = await call("present", { domain: `*.${origin}`, token: "token123", keyAuth });
    expect(raw.status).toBe(200);
    expect((await txtAt(name))?.records).toEqual([`"${expected}"`]);
    expect((await call("cleanup", { domain: `*.${origin}`, token: "token123", keyAuth })).status).toBe(200);
    expect(await txtAt(name)).toBeUndefined();

    expect((await call("present", { fqdn: "_acme-challenge.elsewhere.example.", value })).status).toBe(404);
    const wrongPassword = await rawRequest(api, "POST", "/api/acme/httpreq/present", {
      headers: { authorization: `Basic ${Buffer.from("lego:nope").toString("base64")}` },
      body: JSON.stringify({ fqdn: name, value }),
    });
    expect(wrongPassword.status).toBe(401);
  });
});
