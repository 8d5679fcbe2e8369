/**
 * The bridge to the next step, proven with today's (unsigning) product: the REAL API process (the
 * embedded default, its edge on 127.0.0.20:53) runs inside the signed world's namespace
 * (helpers/signed-world.ts), a Knot (127.0.0.41) and an NSD (127.0.0.42) secondary follow its
 * zone by NOTIFY and AXFR/IXFR from the edge, and the signed parent delegates the zone to all
 * three without a DS. The validating resolver must then answer from them as *insecure* (NOERROR
 * without AD, not SERVFAIL: the parent's NSEC3 proves there is no DS), before and after a change.
 * Once the API signs at publish, the same set-up with the DS from the API must give AD instead.
 *
 * Needs root (ip netns), the API built, and what validating-hierarchy.test.ts needs.
 */
import { type ApiInNetns, startApiInNetns } from "@dnscove/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RESOLVER } from "../dns-checks/helpers/hierarchy.js";
import { hierarchyApiEnv } from "../migration-e2e/helpers/hierarchy-api-env.js";
import { type SignedWorld, startSignedWorld } from "./helpers/signed-world.js";

const ORIGIN = "shop.test.";
const EDGE = { host: "127.0.0.20", port: 53 } as const;
const SECONDARIES = [
  { kind: "knot", name: "sec-knot", address: "127.0.0.41" },
  { kind: "nsd", name: "sec-nsd", address: "127.0.0.42" },
] as const;
/** The zone's own apex NS (the API's DNSCOVE_NAMESERVERS) and the parent's delegation agree. */
const NAMESERVERS = ["ns1.dnscove.test.", "ns2.dnscove.test."] as const;

let world: SignedWorld;
let api: ApiInNetns;
let token: string;
let zoneId: string;

const call = async (method: string, path: string, body?: unknown) => {
  const response = await api.call(method, path, { bearer: token, ...(body === undefined ? {} : { body }) });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body as Record<string, unknown>;
};

/** Publishes, then waits for the serial on the edge and on both secondaries, and flushes unbound. */
async function publishEverywhere(): Promise<number> {
  const published = await call("POST", `/api/zones/${zoneId}/publish`);
  const serial = published.serial as number;
  for (const address of [EDGE.host, ...SECONDARIES.map((s) => s.address)])
    await world.h.waitForSerial(address, ORIGIN, serial, 60_000);
  await world.h.flushResolver();
  return serial;
}

beforeAll(async () => {
  world = await startSignedWorld({ label: "dnssec-edge" });
  api = await startApiInNetns({
    netns: world.h.ns.name,
    env: {
      ...hierarchyApiEnv({ edge: EDGE, nameservers: NAMESERVERS, resolver: RESOLVER }),
      DNSCOVE_SECONDARIES: SECONDARIES.map((s) => `${s.address}:53`).join(","),
    },
  });
  token = await api.signIn("dnssec-bridge@example.test");
  const created = await call("POST", "/api/zones", { origin: ORIGIN.slice(0, -1) });
  zoneId = ((created.zone as { id?: string } | undefined)?.id ?? created.id) as string;
  await call("POST", `/api/zones/${zoneId}/rrsets`, {
    action: "UPSERT",
    name: `www.${ORIGIN}`,
    type: "A",
    ttl: 300,
    records: ["192.0.2.7"],
  });
  const published = await call("POST", `/api/zones/${zoneId}/publish`);
  for (const s of SECONDARIES)
    await world.h.addServer({
      kind: s.kind,
      name: s.name,
      addresses: [s.address],
      zones: [{ origin: ORIGIN, primary: EDGE }],
    });
  for (const s of SECONDARIES)
    await world.h.waitForSerial(s.address, ORIGIN, published.serial as number, 60_000);
  await world.delegateChild(ORIGIN, {
    nameservers: NAMESERVERS,
    glue: {
      "ns1.dnscove.test.": [EDGE.host],
      "ns2.dnscove.test.": SECONDARIES.map((s) => s.address),
    },
    ds: [],
  });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await world?.close();
});

it("an unsigned zone on the edge and its transfer-fed Knot and NSD, under the signed parent without DS, resolves as insecure, before and after a change", async () => {
  const before = await world.resolve(`www.${ORIGIN}`, "A");
  expect([before.status, before.ad], before.raw).toEqual(["NOERROR", false]);
  expect(
    before.answer.some((l) => /^www\.shop\.test\. \d+ IN A 192\.0\.2\.7$/.test(l)),
    before.raw,
  ).toBe(true);
  expect((await world.delv(`www.${ORIGIN}`, "A")).verdict).toBe("insecure");
  const noDs = await world.resolve(ORIGIN, "DS");
  expect([noDs.status, noDs.ad, noDs.answer], noDs.raw).toEqual(["NOERROR", true, []]);

  await call("POST", `/api/zones/${zoneId}/rrsets`, {
    action: "UPSERT",
    name: `www.${ORIGIN}`,
    type: "A",
    ttl: 300,
    records: ["192.0.2.8"],
  });
  await publishEverywhere();
  // Each server alone answers the new data (the secondaries followed by transfer).
  for (const address of [EDGE.host, ...SECONDARIES.map((s) => s.address)])
    expect(
      (await world.h.dig([`@${address}`, `www.${ORIGIN}`, "A", "+short", "+norec"])).trim(),
      address,
    ).toBe("192.0.2.8");
  const after = await world.resolve(`www.${ORIGIN}`, "A");
  expect([after.status, after.ad], after.raw).toEqual(["NOERROR", false]);
  expect(
    after.answer.some((l) => /^www\.shop\.test\. \d+ IN A 192\.0\.2\.8$/.test(l)),
    after.raw,
  ).toBe(true);
}, 120_000);
