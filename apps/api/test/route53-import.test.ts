import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { canonicalRecords, isRecordType } from "@dnscove/dns";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import {
  dig,
  freePort,
  type RunningProcess,
  route53Export,
  startNodeProcess,
  waitForApi,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "../src/config.js";
import { parseRoute53Export } from "../src/domain/imports/parse-route53-export.js";
import { RRSET_ROWS_PER_INSERT } from "../src/domain/zones/insert-rrset-rows.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const fixtures = fileURLToPath(new URL("./fixtures/route53/", import.meta.url));
const IMPORTABLE = [
  "example-com",
  "shop-example-single-page",
  "buecher-idn",
  "reverse-2-0-192",
  "edge-cases",
];
/** edge-cases has two SOAs, so its origin must be named (as the parser's tests do). */
const ORIGIN: Record<string, string> = { "edge-cases": "edge.example" };

interface Expected {
  origin: string;
  rrsets: { name: string; type: string; ttl: number; records: string[] }[];
  skipped: { name: string; type: string; reason: string }[];
  previousNameservers: string[];
}
const load = (name: string) => ({
  json: readFileSync(path.join(fixtures, `${name}.json`), "utf8"),
  ...(ORIGIN[name] ? { origin: ORIGIN[name] } : {}),
  expected: JSON.parse(readFileSync(path.join(fixtures, `${name}.expected.json`), "utf8")) as Expected,
});

describe.each(PROVIDERS)("Route53 import through the API (%s)", (provider) => {
  let api: TestApi;
  let client: DnscoveClient;
  beforeAll(async () => {
    api = await startTestApi(provider);
    client = api.client(await api.signIn());
  });
  afterAll(() => api.close());

  // Before the imports below: a dry run of an origin already hosted answers 409.
  it.each(IMPORTABLE)(
    "answers a dry run of %s given as an export object exactly as the same export given as text",
    async (name) => {
      const { json, origin } = load(name);
      const run = async (body: { json: string } | { export: Record<string, unknown> }) => {
        const { data, response } = await client.POST("/api/import/route53", {
          body: { ...body, ...(origin ? { origin } : {}), dry_run: true },
        });
        expect(response.status).toBe(200);
        return { imported: data?.imported, skipped: data?.skipped, diff: data?.diff, ns: data?.ns };
      };
      const asText = await run({ json });
      const asObject = await run({ export: JSON.parse(json) as Record<string, unknown> });
      expect(asText.imported).toBeGreaterThan(0);
      expect(asObject).toEqual(asText);
    },
  );

  it.each(IMPORTABLE)(
    "imports %s exactly as the fixture expects, published, with every skip explained",
    async (name) => {
      const { json, origin, expected } = load(name);
      const { data, response } = await client.POST("/api/import/route53", { body: { json, origin } });
      expect(response.status).toBe(201);
      expect(data).toMatchObject({
        zone: { origin: expected.origin, serial: 1, published_serial: 1 },
        imported: expected.rrsets.length,
        skipped: expected.skipped,
        published: true,
        ns: ["ns1.dnscove.test", "ns2.dnscove.test"],
      });
      const { data: listed } = await client.GET("/api/zones/{id}/rrsets", {
        params: { path: { id: data?.zone.id ?? "" } },
      });
      const apex = `${expected.origin}.`;
      const imported = listed?.rrsets.filter(
        (r) => !(r.name === apex && (r.type === "SOA" || r.type === "NS")),
      );
      const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
      expect(imported?.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        [...expected.rrsets].sort((a, b) => key(a).localeCompare(key(b))),
      );
      const zone = await api.services.db.zone.findUniqueOrThrow({ where: { id: data?.zone.id ?? "" } });
      expect(JSON.parse(zone.previousNs ?? "[]")).toEqual(expected.previousNameservers);
      // The stored text itself, byte for byte what JSON.stringify of the canonical records gives
      // (the rows go through one JSON parameter per INSERT; escapes, quotes and UTF-8 must survive).
      const rows = await api.services.db.rRset.findMany({
        where: { zoneId: zone.id },
        select: { name: true, type: true, ttl: true, records: true },
      });
      const storedText = new Map(rows.map((r) => [key(r), { ttl: r.ttl, records: r.records }]));
      for (const rrset of expected.rrsets) {
        expect(storedText.get(key(rrset))).toEqual({
          ttl: rrset.ttl,
          records: JSON.stringify(rrset.records),
        });
      }

      // Importing the same origin again conflicts, and writes nothing.
      const again = await rawRequest(api, "POST", "/api/import/route53", {
        token: (client as unknown as { token?: string }).token,
        body: JSON.stringify({ json, origin }),
      });
      expect([401, 409]).toContain(again.status);
    },
  );

  it("answers 409 for an origin already hosted, and 400 naming the record for a malformed export", async () => {
    const { json } = load("example-com");
    const conflict = await client.POST("/api/import/route53", { body: { json } }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, code: "ZONE_EXISTS" });

    const zones = await api.services.db.zone.count();
    const broken = json.replace('"Value": "192.0.2.10"', '"Value": "192.0.2.300"');
    expect(broken).not.toBe(json);
    const error = await client
      .POST("/api/import/route53", { body: { json: broken, origin: "other.example" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(await api.services.db.zone.count()).toBe(zones);
    const truncated = await client
      .POST("/api/import/route53", { body: { json: load("truncated-page").json } })
      .catch((e: unknown) => e as { status: number; errors?: { path: string }[] });
    expect(truncated).toMatchObject({ status: 400 });
  });

  it.each(["json", "export"] as const)(
    "stores every rrset of an import that takes several INSERT statements, exactly as parsed (%s)",
    async (form) => {
      // Two full statements and a partial one: a row lost or doubled at a chunk edge shows here.
      const count = 2 * RRSET_ROWS_PER_INSERT + 500;
      const json = route53Export(`chunked-${form}.example`, count);
      const body = form === "json" ? { json } : { export: JSON.parse(json) as Record<string, unknown> };
      const { data, response } = await client.POST("/api/import/route53", { body });
      expect(response.status).toBe(201);
      expect(data?.imported).toBe(count);
      const rows = await api.services.db.rRset.findMany({
        where: { zoneId: data?.zone.id ?? "" },
        select: { name: true, type: true, ttl: true, records: true },
      });
      const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
      const stored = rows.sort((a, b) => key(a).localeCompare(key(b)));
      const parsed = parseRoute53Export(json)
        .rrsets.map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, records: JSON.stringify(r.records) }))
        .sort((a, b) => key(a).localeCompare(key(b)));
      expect(stored).toHaveLength(count);
      expect(stored).toEqual(parsed);
    },
  );

  it("answers 400 naming the field unless exactly one of json and export is given", async () => {
    const token = await api.signIn();
    const { json } = load("example-com");
    const post = (body: unknown) =>
      rawRequest(api, "POST", "/api/import/route53", {
        token,
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    const problem = (path: string) => ({
      status: 400,
      body: { code: "VALIDATION_FAILED", errors: [expect.objectContaining({ path })] },
    });
    expect(await post({ origin: "neither.example" })).toMatchObject(problem("json"));
    expect(await post({ json, export: JSON.parse(json) })).toMatchObject(problem("export"));
    expect(await post({ export: [JSON.parse(json)] })).toMatchObject(problem("export"));
    expect(await post({ export: { Records: [] } })).toMatchObject(problem("export"));
    const badValue = JSON.parse(route53Export("bad-value.example", 3).replace('"10.0.0.0"', '"10.0.0.300"'));
    const bad = await post({ export: badValue });
    expect(bad).toMatchObject({ status: 400, body: { code: "VALIDATION_FAILED" } });
    expect((bad.body as { errors: { path: string }[] }).errors[0]?.path).toMatch(
      /^export\.ResourceRecordSets\[\d+\]\.ResourceRecords\[0\]\.Value$/,
    );
  });
});

describe("Route53 import body limit", () => {
  let api: TestApi;
  let token: string;
  const importLimit = DEFAULT_MAX_BODY_BYTES + 2 * 1024 * 1024;
  beforeAll(async () => {
    api = await startTestApi("sqlite", {
      bodyLimits: { default: DEFAULT_MAX_BODY_BYTES, import: importLimit },
    });
    token = await api.signIn();
  });
  afterAll(() => api.close());

  /** A valid export padded (an unknown key, which the importer ignores) to exactly `bytes` of body. */
  const paddedBody = (origin: string, bytes: number) => {
    const body = (padding: string) =>
      JSON.stringify({ json: `{"Padding":"${padding}",${route53Export(origin, 10).slice(1)}`, origin });
    const text = body("p".repeat(bytes - body("").length));
    expect(Buffer.byteLength(text)).toBe(bytes);
    return text;
  };

  it("takes an import larger than the other routes' limit, up to its own, and answers 413 beyond it", async () => {
    const over = DEFAULT_MAX_BODY_BYTES + 1024 * 1024;
    const zone = await rawRequest(api, "POST", "/api/zones", {
      token,
      body: JSON.stringify({ origin: "x".repeat(over) }),
    });
    expect(zone).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });

    const accepted = await rawRequest(api, "POST", "/api/import/route53", {
      token,
      body: paddedBody("big-body.example", over),
    });
    expect(accepted).toMatchObject({ status: 201, body: { imported: 10 } });

    const refused = await rawRequest(api, "POST", "/api/import/route53", {
      token,
      body: paddedBody("too-big.example", importLimit + 1),
    });
    expect(refused).toMatchObject({
      status: 413,
      body: {
        code: "PAYLOAD_TOO_LARGE",
        detail: `The body is larger than ${importLimit / (1024 * 1024)}mb.`,
      },
    });
    expect(await api.services.db.zone.count({ where: { origin: "too-big.example" } })).toBe(0);
  });
});

describe("imported zones are served by the edge as the fixtures say", () => {
  let dir: string;
  let api: RunningProcess;
  let dnsPort: number;
  let client: DnscoveClient;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-import-"));
    const port = await freePort();
    dnsPort = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    api = startNodeProcess(fileURLToPath(new URL("../dist/src/main.js", import.meta.url)), {
      PORT: String(port),
      DNS_PORT: String(dnsPort),
      DNSCOVE_DATA_DIR: dir,
    });
    await waitForApi(api, baseUrl);
    const anonymous = createClient({ baseUrl });
    const { data: link } = await anonymous.POST("/api/auth/magic-link", {
      body: { email: "import@example.test" },
    });
    const { data: session } = await anonymous.POST("/api/auth/exchange", {
      body: { token: link?.dev_token ?? "" },
    });
    client = createClient({ baseUrl, token: session?.token ?? "" });
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(IMPORTABLE)("round-trips %s: dig answers every imported rrset", async (name) => {
    const { json, origin, expected } = load(name);
    const { data } = await client.POST("/api/import/route53", { body: { json, origin } });
    expect(data?.published).toBe(true);
    for (const rrset of expected.rrsets) {
      if (!isRecordType(rrset.type)) throw new Error(`unexpected type ${rrset.type}`);
      // At and below a delegation the edge answers with a referral: NS in authority, glue in
      // additional (DS is answered from the parent side). Everything else is in the answer.
      const below = expected.rrsets.some(
        (r) => r.type === "NS" && (rrset.name === r.name || rrset.name.endsWith(`.${r.name}`)),
      );
      const referral = below && rrset.type !== "DS";
      const sections = referral ? ["+authority", "+additional"] : ["+answer"];
      const output = await dig(dnsPort, rrset.name, rrset.type, "+noall", ...sections);
      const lines = output
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith(";"))
        .map((line) => line.split(/\s+/))
        .filter((fields) => fields[3] === rrset.type && fields[0]?.toLowerCase() === rrset.name);
      const records = canonicalRecords(
        rrset.type,
        lines.map((fields) => fields.slice(4).join(" ")),
      );
      expect({ name: rrset.name, type: rrset.type, records }).toEqual({
        name: rrset.name,
        type: rrset.type,
        records: rrset.records,
      });
    }
  });
});
