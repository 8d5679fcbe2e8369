/**
 * A public suffix (ICANN or private section of the Public Suffix List) cannot be a zone: hosting
 * `co.uk` would let one tenant answer for every domain below it and, through the overlap rule,
 * lock every other tenant out of them. Every path that creates a zone refuses it with 400
 * PUBLIC_SUFFIX naming `origin`, and writes nothing; registrable domains below a suffix are fine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicSuffix } from "../src/domain/zones/public-suffix.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

/** Public suffixes in several spellings: ICANN, private section, IDN (U-label), mixed case, absolute. */
const SUFFIXES = [
  "co.uk",
  "com.au",
  "github.io",
  "CO.UK.",
  "GitHub.IO",
  "公司.cn",
  "xn--55qx5d.cn",
  "s3.amazonaws.com",
];
/** Registrable domains directly below a suffix. */
const REGISTRABLE = ["example.co.uk", "Shop.COM.AU.", "my-project.github.io", "例子.公司.cn"];

const SOA = "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400";
/** A Route53 export whose zone is `origin` (its SOA names it; no origin field is needed). */
function exportOf(origin: string): string {
  return JSON.stringify({
    ResourceRecordSets: [
      { Name: `${origin}.`, Type: "SOA", TTL: 900, ResourceRecords: [{ Value: SOA }] },
      { Name: `www.${origin}.`, Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.1" }] },
    ],
  });
}

describe("isPublicSuffix", () => {
  it("knows ICANN and private suffixes, and nothing below them", () => {
    for (const suffix of ["com", "uk", "co.uk", "com.au", "github.io", "xn--55qx5d.cn", "blogspot.com"])
      expect(isPublicSuffix(suffix), suffix).toBe(true);
    for (const name of ["example.com", "example.co.uk", "foo.github.io", "a.xn--55qx5d.cn", "bad.example"])
      expect(isPublicSuffix(name), name).toBe(false);
  });
});

describe.each(PROVIDERS)("public suffixes are not zones (%s)", (provider) => {
  let api: TestApi;
  let session: string;
  let other: string;

  beforeAll(async () => {
    api = await startTestApi(provider);
    session = await api.signIn();
    other = await api.signIn();
  });
  afterAll(() => api?.close());

  const written = async () => ({
    zones: await api.services.db.zone.count(),
    rrsets: await api.services.db.rRset.count(),
    snapshots: await api.services.db.snapshot.count(),
  });

  async function expectRefused(path: string, body: unknown, code = "PUBLIC_SUFFIX"): Promise<void> {
    const before = await written();
    const r = await rawRequest(api, "POST", path, { token: session, body: JSON.stringify(body) });
    expect({ status: r.status, body: r.body }, JSON.stringify(body)).toMatchObject({
      status: 400,
      body: { code, errors: [{ path: "origin" }] },
    });
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await written()).toEqual(before);
  }

  it.each(SUFFIXES)("POST /api/zones refuses %s", async (origin) => {
    await expectRefused("/api/zones", { origin });
  });

  it("refuses a bare top-level domain (com) as an invalid origin", async () => {
    await expectRefused("/api/zones", { origin: "com" }, "VALIDATION_FAILED");
    await expectRefused("/api/zones", { origin: "COM." }, "VALIDATION_FAILED");
  });

  it.each(["co.uk", "GitHub.IO", "公司.cn"])(
    "the Route53 import refuses %s named as origin",
    async (origin) => {
      await expectRefused("/api/import/route53", { origin, json: exportOf(origin) });
    },
  );

  it.each(["com.au", "github.io"])(
    "the Route53 import refuses %s found at the export's SOA",
    async (origin) => {
      await expectRefused("/api/import/route53", { json: exportOf(origin) });
    },
  );

  it.each(REGISTRABLE)("accepts the registrable domain %s", async (origin) => {
    const r = await rawRequest(api, "POST", "/api/zones", {
      token: session,
      body: JSON.stringify({ origin }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });

  it("imports a registrable domain below a suffix", async () => {
    const r = await rawRequest(api, "POST", "/api/import/route53", {
      token: session,
      body: JSON.stringify({ json: exportOf("imported.co.uk") }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ zone: { origin: "imported.co.uk" }, imported: 1 });
  });

  it("leaves the names below a suffix free for every other tenant", async () => {
    const r = await rawRequest(api, "POST", "/api/zones", {
      token: other,
      body: JSON.stringify({ origin: "another.co.uk" }),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});
