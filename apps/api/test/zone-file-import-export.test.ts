/**
 * Zone files in and out (issue 17): import what BIND and Knot write (the hand-written fixture with
 * every trap, `named-compilezone`'s full and relative outputs of it, and Knot's `knotc zone-flush`
 * dump of it) through `POST /api/import/zone-file`, export each through
 * `GET /api/zones/{id}/zone-file`, check the export with BIND's `named-checkzone` and Knot's
 * `kzonecheck`, and that it reads back to the same rrsets.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient } from "@dnscove/sdk";
import { freePort } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseZoneFile } from "../src/domain/imports/parse-zone-file.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const fixture = readFileSync(
  fileURLToPath(new URL("./fixtures/zone-files/many-types.zone", import.meta.url)),
  "utf8",
);
const ORIGIN = "many.example";

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error)
    throw new Error(`${command} could not run (scripts/install-test-peers.sh): ${result.error}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-zone-file-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The fixture as BIND rewrites it: `-s full` (absolute names) and `-s relative` ($ORIGIN changes). */
function compiled(style: "full" | "relative"): string {
  const source = fileOf("source.zone", fixture);
  return run("named-compilezone", ["-q", "-s", style, "-o", "-", ORIGIN, source]);
}

const execFileAsync = promisify(execFile);

/**
 * The fixture as Knot writes it: knotd loads it, and `knotc zone-flush +outdir` dumps the zone it
 * holds (absolute names, no class). kzonecheck 3.2 cannot print a zone and `knotc zone-read` prints
 * no master file (docs/decisions.md, 2026-12-03). knotd runs once per file.
 */
let knotDumped: Promise<string> | undefined;
function knotDump(): Promise<string> {
  knotDumped ??= dumpWithKnot();
  return knotDumped;
}

/** Waits on `zone-status` answering, never on a sleep. */
async function dumpWithKnot(): Promise<string> {
  const home = mkdtempSync(path.join(dir, "knot-"));
  writeFileSync(path.join(home, `${ORIGIN}.zone`), fixture);
  const conf = path.join(home, "knot.conf");
  writeFileSync(
    conf,
    `server:\n  rundir: "${home}"\n  listen: 127.0.0.1@${await freePort()}\ndatabase:\n  storage: "${home}"\n` +
      `zone:\n  - domain: ${ORIGIN}.\n    file: "${home}/${ORIGIN}.zone"\n`,
  );
  const knotd = spawn("knotd", ["-c", conf], { stdio: "ignore" });
  try {
    for (;;) {
      if (knotd.exitCode !== null) throw new Error(`knotd exited with ${knotd.exitCode}`);
      const status = await execFileAsync("knotc", ["-c", conf, "zone-status", ORIGIN]).catch(() => undefined);
      if (status?.stdout.includes("serial: 2024060101")) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const out = path.join(home, "out");
    await execFileAsync("knotc", ["-c", conf, "zone-flush", ORIGIN, "+outdir", out]);
    return readFileSync(path.join(out, `${ORIGIN}.zone`), "utf8");
  } finally {
    knotd.kill();
  }
}

const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
const byKey = <T extends { name: string; type: string }>(list: T[]) =>
  [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe("the fixture parses as BIND and Knot read it", () => {
  it("is accepted by named-checkzone and kzonecheck (so the traps are BIND/Knot syntax)", () => {
    const file = fileOf("fixture.zone", fixture);
    run("named-checkzone", ["-q", ORIGIN, file]);
    run("kzonecheck", ["-o", ORIGIN, file]);
  });

  it("reads the same rrsets from the source, named-compilezone's full and relative output and Knot's dump", async () => {
    const source = parseZoneFile(fixture, ORIGIN);
    expect(parseZoneFile(compiled("full"), ORIGIN).rrsets).toEqual(source.rrsets);
    expect(parseZoneFile(compiled("relative"), ORIGIN).rrsets).toEqual(source.rrsets);
    const knot = await knotDump();
    expect(knot).toMatch(/^;; Zone dump \(Knot DNS/);
    expect(parseZoneFile(knot, ORIGIN).rrsets).toEqual(source.rrsets);
    const at = (name: string, type: string) => source.rrsets.find((r) => r.name === name && r.type === type);
    expect(at("many.example.", "MX")).toMatchObject({
      ttl: 300,
      records: ["10 mail.many.example.", "20 mail2.many.example."],
    });
    expect(at("www.many.example.", "A")).toMatchObject({ ttl: 300, records: ["192.0.2.1", "192.0.2.2"] });
    expect(at("www2.many.example.", "A")?.records).toEqual(["192.0.2.3"]);
    expect(at("ftp.many.example.", "CNAME")?.records).toEqual(["www.many.example."]);
    expect(at("long.many.example.", "TXT")?.records).toEqual(['"line one" "line two"']);
    expect(at("1.2.0.192.in-addr.arpa.many.example.", "PTR")?.records).toEqual(["www.many.example."]);
    expect(at("sub.many.example.", "DS")).toBeDefined();
    expect(source.previousNameservers).toEqual(["ns1.old-provider.net.", "ns2.old-provider.net."]);
    expect(source.skipped.map((s) => [s.name, s.type])).toEqual([
      ["many.example.", "SOA"],
      ["many.example.", "NS"],
      ["many.example.", "NS"],
      ["many.example.", "DNSKEY"],
      ["unknown.many.example.", "TYPE65534"],
    ]);
  });
});

describe.each(PROVIDERS)("zone files through the API (%s)", (provider) => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi(provider);
    token = await api.signIn();
  });
  afterAll(() => api.close());

  const post = (body: unknown) =>
    rawRequest(api, "POST", "/api/import/zone-file", { token, body: JSON.stringify(body) });
  const counts = async () => ({
    zones: await api.services.db.zone.count(),
    rrsets: await api.services.db.rRset.count(),
    audit: await api.services.db.auditEntry.count(),
  });

  it("a dry run answers the diff and writes nothing", async () => {
    const before = await counts();
    const answer = await post({ origin: ORIGIN, zone_file: fixture, dry_run: true });
    expect(answer.status).toBe(200);
    const body = answer.body as { dry_run: boolean; imported: number; diff: { added: unknown[] } };
    expect(body.dry_run).toBe(true);
    expect(body.diff.added).toHaveLength(body.imported);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["$INCLUDE", "$TTL 60\nwww A 192.0.2.1\n$INCLUDE /etc/passwd\n", /^line 3: \$INCLUDE is not supported/],
    ["a bad address", "$TTL 60\nwww A 192.0.2.1\nbad A 192.0.2.300\n", /^line 3: bad\.many\.example\. A: /],
    ["an unclosed parenthesis", '$TTL 60\n@ TXT ( "x"\n', /^line 2: "\(" is never closed/],
    [
      "CNAME beside data",
      "$TTL 60\nx CNAME www\nx A 192.0.2.1\n",
      /^line 3: x\.many\.example\. would hold a CNAME/,
    ],
  ])("answers 400 naming zone_file and the line for %s, writing nothing", async (_, zoneFile, message) => {
    const before = await counts();
    const answer = await post({ origin: ORIGIN, zone_file: zoneFile });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = answer.body as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors[0]?.path).toBe("zone_file");
    expect(problem.errors[0]?.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  // What BIND and Knot write, each imported through the API and exported again.
  it.each([
    ["named-compilezone -s relative", async () => compiled("relative")],
    ["named-compilezone -s full", async () => compiled("full")],
    ["knotc zone-flush", knotDump],
  ])(
    "imports %s output, exports a file BIND and Knot accept, which reads back the same",
    async (_, source) => {
      const text = await source();
      // One zone of this origin at a time: the previous round trip's goes first.
      const zones = await rawRequest(api, "GET", "/api/zones", { token });
      for (const zone of (zones.body as { zones: { id: string; origin: string }[] }).zones) {
        if (zone.origin === ORIGIN || zone.origin === `${ORIGIN}.`) {
          expect((await rawRequest(api, "DELETE", `/api/zones/${zone.id}`, { token })).status).toBeLessThan(
            300,
          );
        }
      }
      const before = await counts();
      const answer = await post({ origin: ORIGIN, zone_file: text });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const imported = answer.body as {
        zone: { id: string; published_serial: number };
        imported: number;
        skipped: { type: string; reason: string }[];
        published: boolean;
      };
      expect(imported.published).toBe(true);
      expect(imported.skipped.find((s) => s.type === "DNSKEY")?.reason).toBe(
        "DNSSEC records are made by DNSCove's own signer (enable DNSSEC on the zone); skipped",
      );
      expect((await counts()).audit).toBe(before.audit + 1);
      const entry = await api.services.db.auditEntry.findFirst({ orderBy: { seq: "desc" } });
      expect(entry?.operation).toBe("import.zone-file");

      const exported = await rawRequest(api, "GET", `/api/zones/${imported.zone.id}/zone-file`, { token });
      expect(exported.status).toBe(200);
      expect(exported.headers.get("content-type")).toMatch(/^text\/dns/);
      const exportedText = String(exported.body);
      expect(exportedText.startsWith(`; zone many.example. serial ${imported.zone.published_serial} `)).toBe(
        true,
      );
      const file = fileOf("exported.zone", exportedText);
      run("named-checkzone", ["-q", ORIGIN, file]);
      run("kzonecheck", ["-o", ORIGIN, file]);

      // The export holds exactly the zone's rrsets (compared canonically, not as text) ...
      const listed = await createClient({ baseUrl: api.baseUrl, token }).GET("/api/zones/{id}/rrsets", {
        params: { path: { id: imported.zone.id } },
      });
      const apex = `${ORIGIN}.`;
      const system = (r: { name: string; type: string }) =>
        r.name === apex && (r.type === "SOA" || r.type === "NS");
      const current = (listed.data?.rrsets ?? []).filter((r) => !system(r));
      const readBack = parseZoneFile(exportedText, ORIGIN);
      expect(byKey(readBack.rrsets)).toEqual(byKey(current));
      // ... the same the imported file and the hand-written source held, and DNSCove's own
      // nameservers replace the old ones.
      expect(byKey(readBack.rrsets)).toEqual(byKey(parseZoneFile(text, ORIGIN).rrsets));
      expect(byKey(readBack.rrsets)).toEqual(byKey(parseZoneFile(fixture, ORIGIN).rrsets));
      expect(readBack.previousNameservers).toEqual(["ns1.dnscove.test.", "ns2.dnscove.test."]);
      // BIND's own reading of the export: as many records as the zone holds, SOA and apex NS included.
      const bindLines = run("named-compilezone", ["-q", "-s", "full", "-o", "-", ORIGIN, file])
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.startsWith(";"));
      const recordCount = (listed.data?.rrsets ?? []).reduce((n, r) => n + r.records.length, 0);
      expect(bindLines).toHaveLength(recordCount);
    },
  );

  it("answers 404 problem+json for another tenant's zone file", async () => {
    const other = await api.signIn("someone-else@example.test");
    const mine = await rawRequest(api, "GET", "/api/zones", { token });
    const id = (mine.body as { zones: { id: string }[] }).zones[0]?.id ?? "";
    const answer = await rawRequest(api, "GET", `/api/zones/${id}/zone-file`, { token: other });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
