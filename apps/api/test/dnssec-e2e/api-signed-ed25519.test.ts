/**
 * The ED25519 (algorithm 15) case of api-signed-end-to-end.test.ts: a zone the real API signs with
 * `"algorithm": "ED25519"`, its DS from `GET /api/zones/{id}/dnssec` in the signed parent, validates
 * through unbound and delv from the edge and the Knot and NSD secondaries fed by its transfers, and
 * the three zone validators accept each server's AXFR.
 *
 * Needs root (ip netns), the API built, and what validating-hierarchy.test.ts needs.
 */
import { verifySignedZone } from "@dnscove/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiSignedZone, SERVERS, startApiSignedZone } from "./helpers/api-signed-zone.js";

const ORIGIN = "ed.test.";
let z: ApiSignedZone;

beforeAll(async () => {
  z = await startApiSignedZone({
    label: "dnssec-api15",
    origin: ORIGIN,
    algorithm: "ED25519",
    rrsets: [
      { name: `www.${ORIGIN}`, type: "A", records: ["192.0.2.15"] },
      { name: `*.wild.${ORIGIN}`, type: "A", records: ["192.0.2.80"] },
    ],
  });
}, 240_000);

afterAll(async () => {
  await z?.close();
});

it("ED25519: AD for an answer, an NXDOMAIN, a NODATA and a wildcard answer; delv agrees; the validators accept each AXFR", async () => {
  const ds = await z.dsFromApi();
  expect(ds).toHaveLength(1);
  expect(ds[0]).toMatch(/^\d+ 15 2 [0-9A-F]{64}$/);
  expect((await z.dnssec()).algorithm).toBe("ED25519");

  const answer = await z.world.resolve(`www.${ORIGIN}`, "A");
  expect([answer.status, answer.ad], answer.raw).toEqual(["NOERROR", true]);
  expect(
    answer.answer.filter((l) => / IN RRSIG A 15 3 300 /.test(l)),
    answer.raw,
  ).toHaveLength(1);
  const nx = await z.world.resolve(`nosuch.${ORIGIN}`, "A");
  expect([nx.status, nx.ad], nx.raw).toEqual(["NXDOMAIN", true]);
  const nodata = await z.world.resolve(`www.${ORIGIN}`, "AAAA");
  expect([nodata.status, nodata.ad, nodata.answer], nodata.raw).toEqual(["NOERROR", true, []]);
  const wildcard = await z.world.resolve(`any.wild.${ORIGIN}`, "A");
  expect([wildcard.status, wildcard.ad], wildcard.raw).toEqual(["NOERROR", true]);
  expect(wildcard.answer.some((l) => l.endsWith(" IN A 192.0.2.80"))).toBe(true);

  const delv = await z.world.delv(`www.${ORIGIN}`, "A");
  expect(delv.verdict, delv.output).toBe("secure");
  const delvNx = await z.world.delv(`nosuch.${ORIGIN}`, "A");
  expect([delvNx.verdict, delvNx.negative], delvNx.output).toEqual(["secure-negative", "nxdomain"]);

  for (const address of SERVERS) {
    const axfr = await z.axfr(address);
    for (const r of await verifySignedZone(axfr, ORIGIN))
      expect(r.code, `${r.tool} rejected the AXFR from ${address}:\n${r.output.slice(0, 3000)}`).toBe(0);
  }
}, 180_000);
