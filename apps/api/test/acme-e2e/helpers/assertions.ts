import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { ClientRun } from "./acme-clients.js";
import { verifyIssuedCertificate } from "./certificates.js";
import type { AcmeEnvironment, TestZone } from "./environment.js";

const digest = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** The client exited 0 and the leaf verifies against pebble's root, with exactly apex + wildcard. */
export async function expectIssued(env: AcmeEnvironment, zone: TestZone, run: ClientRun): Promise<void> {
  expect(run.code, run.log).toBe(0);
  const issued = await verifyIssuedCertificate({
    leafFile: run.leafFile,
    chainFile: run.chainFile,
    rootPem: await env.pebble.fetchRoot(),
    wrongCaFile: env.pebble.tlsCaFile,
    workDir: env.dir(`verify-${zone.id}-${Date.now()}`),
  });
  expect(issued.verifyOutput).toMatch(/: OK$/);
  expect(issued.sans).toEqual([`*.${zone.origin}`, zone.origin].sort());
  expect(readFileSync(run.leafFile, "utf8")).toContain("BEGIN CERTIFICATE");
}

/** No `_acme-challenge` rrset is left in the zone (API view), and the edge has nothing there either. */
export async function expectNoLeftovers(env: AcmeEnvironment, zone: TestZone): Promise<void> {
  const rrsets = await env.rrsets(zone);
  expect(rrsets.filter((r) => r.name === zone.challengeName && r.type === "TXT")).toEqual([]);
  expect(rrsets.filter((r) => r.name.startsWith("_acme-challenge."))).toEqual([]);
  const answer = await env.dig(zone.challengeName, "TXT");
  expect(answer).toMatch(/flags: qr aa/);
  expect(answer).toMatch(/status: NXDOMAIN/);
}

/**
 * The zone's acme-dns01 token can do nothing but challenges on its own zone: every other call,
 * and a challenge on another zone of the same tenant (bearer or lego's Basic), is refused with 403.
 */
export async function expectTokenConfined(env: AcmeEnvironment, zone: TestZone): Promise<void> {
  const call = env.api.call;
  const bearer = zone.acmeToken;
  const refused: Array<[string, string, unknown?]> = [
    ["GET", "/api/zones"],
    ["POST", "/api/zones", { origin: `sneaky-${zone.id.toLowerCase()}.acme-e2e.test` }],
    ["GET", `/api/zones/${zone.id}`],
    ["GET", `/api/zones/${zone.id}/rrsets`],
    [
      "POST",
      `/api/zones/${zone.id}/rrsets`,
      { action: "UPSERT", name: "www", type: "A", records: ["192.0.2.1"] },
    ],
    ["POST", `/api/zones/${zone.id}/publish`],
    ["GET", `/api/zones/${zone.id}/tokens`],
    ["POST", `/api/zones/${zone.id}/tokens`, { scope: "zone-admin" }],
    ["GET", "/api/tokens"],
    ["DELETE", `/api/zones/${zone.id}`],
    ["GET", `/api/zones/${env.bystander.id}`],
    [
      "POST",
      `/api/zones/${env.bystander.id}/acme-challenge`,
      { action: "PRESENT", name: env.bystander.challengeName, value: digest() },
    ],
  ];
  for (const [method, path, body] of refused) {
    const res = await call(method, path, { bearer, ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path} with the acme-dns01 token: ${JSON.stringify(res.body)}`).toBe(403);
  }
  const basic = `Basic ${Buffer.from(`lego:${bearer}`).toString("base64")}`;
  const httpreq = await call("POST", "/api/acme/httpreq/present", {
    headers: { Authorization: basic },
    body: { fqdn: env.bystander.challengeName, value: digest() },
  });
  expect(httpreq.status, `httpreq on another zone: ${JSON.stringify(httpreq.body)}`).toBe(403);
  const bystander = await env.rrsets(env.bystander);
  expect(bystander.filter((r) => r.name.startsWith("_acme-challenge."))).toEqual([]);
  // The zone itself is intact and still ours.
  const zoneNow = await call("GET", `/api/zones/${zone.id}`, { bearer: env.session });
  expect(zoneNow.status).toBe(200);
}

/** Both values were published at once (apex + wildcard), and every present came before any cleanup. */
export function expectCoexisted(
  watched: { everSeen: string[]; mostAtOnce: string[] },
  requests?: {
    log: Array<{ method: string; path: string; status: number }>;
    presentPath: RegExp;
    cleanupPath: RegExp;
  },
): void {
  expect(watched.everSeen).toHaveLength(2);
  expect(watched.mostAtOnce).toHaveLength(2);
  for (const v of watched.everSeen) expect(v).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  if (!requests) return;
  const { log, presentPath, cleanupPath } = requests;
  const presents = log.filter((l) => presentPath.test(l.path));
  const cleanups = log.filter((l) => cleanupPath.test(l.path));
  expect(presents.length).toBeGreaterThanOrEqual(2);
  expect(cleanups.length).toBeGreaterThanOrEqual(2);
  for (const l of [...presents, ...cleanups]) expect(l.status).toBe(200);
  const lastPresent = log.lastIndexOf(presents[presents.length - 1] as (typeof log)[number]);
  const firstCleanup = log.indexOf(cleanups[0] as (typeof log)[number]);
  expect(lastPresent).toBeLessThan(firstCleanup);
}
