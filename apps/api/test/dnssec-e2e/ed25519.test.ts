/**
 * The same validating hierarchy as validating-hierarchy.test.ts with the child signed by
 * @dnscove/dnssec with ED25519 (algorithm 15, RFC 8080), DNSCove's other algorithm, under a root and
 * parent signed with ECDSAP256SHA256: unbound, delv and dnsviz validate its answers and denials,
 * and the zone validators accept it as the NSD secondary serves it. Needs what that file needs.
 */
import { verifySignedZone } from "@dnscove/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NSD, ORIGIN, type PresignedChild, startPresignedChild } from "./helpers/presigned-child.js";

let world: PresignedChild;

beforeAll(async () => {
  world = await startPresignedChild("dnssec15", 15);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const WWW = `www.${ORIGIN}`;

it("an ED25519-signed child: AD for an answer, an NXDOMAIN, a NODATA and a wildcard; delv, dnsviz and the zone validators agree", async () => {
  expect(world.child.ds()).toMatch(/^\d+ 15 2 [0-9A-F]{64}$/);
  const cases = [
    { name: WWW, type: "A", status: "NOERROR", delv: "secure", negative: undefined },
    {
      name: `nosuch.${ORIGIN}`,
      type: "A",
      status: "NXDOMAIN",
      delv: "secure-negative",
      negative: "nxdomain",
    },
    { name: WWW, type: "AAAA", status: "NOERROR", delv: "secure-negative", negative: "nxrrset" },
    { name: `x.wild.${ORIGIN}`, type: "A", status: "NOERROR", delv: "secure", negative: undefined },
  ] as const;
  for (const c of cases) {
    const answer = await world.world.resolve(c.name, c.type);
    expect([answer.status, answer.ad], `${c.name} ${c.type}\n${answer.raw}`).toEqual([c.status, true]);
    if (c.status === "NOERROR" && c.delv === "secure")
      expect(
        answer.answer.filter((l) => / IN RRSIG A 15 3 300 /.test(l)),
        answer.raw,
      ).toHaveLength(1);
    const delv = await world.world.delv(c.name, c.type);
    expect([delv.verdict, delv.negative], delv.output).toEqual([c.delv, c.negative]);
  }

  const report = await world.world.dnsviz([ORIGIN, WWW, `x.wild.${ORIGIN}`]);
  const detail = JSON.stringify({ errors: report.errors, warnings: report.warnings }, null, 2);
  expect(report.errors, detail).toEqual([]);
  expect(report.delegation, detail).toMatchObject({ "test.": "SECURE", "signed.test.": "SECURE" });

  const axfr = await world.world.h.dig([`@${NSD.address}`, ORIGIN, "AXFR", "+onesoa", "+nocmd", "+nostats"]);
  expect(axfr).toMatch(/\sIN\s+DNSKEY\s+257 3 15 /);
  for (const r of await verifySignedZone(axfr, ORIGIN))
    expect(r.code, `${r.tool} rejected the transferred zone:\n${r.output.slice(0, 3000)}`).toBe(0);
}, 120_000);
