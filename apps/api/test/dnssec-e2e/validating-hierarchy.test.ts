/**
 * A zone signed by @dnscove/dnssec (ECDSAP256SHA256) validates end to end through real validators
 * (issue 16, "Tests (real validators)"), in a private network namespace (helpers/signed-world.ts):
 * the signed root (NSD) and parent "test." (Knot, its DS in the root), both signed by BIND; the
 * child "signed.test." served pre-signed by Knot and by NSD fed from Knot by transfer
 * (helpers/presigned-child.ts), its DS in the parent; a validating unbound; delv and dnsviz
 * validating from the root's key alone.
 *
 * The steps change the world (the child's served text, the parent's DS) and each puts back what it
 * changed; every change waits for the new serial on every server concerned and flushes the
 * resolver before anything is asked.
 *
 * Needs root (ip netns) and knotd, knotc, nsd, unbound, unbound-control, dig, delv, dnsviz,
 * dnssec-keygen/-signzone/-dsfromkey/-verify, kzonecheck, ldns-verify-zone; it fails loudly
 * without them (never skips): scripts/install-test-peers.sh.
 */
import { verifySignedZone } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey, replaceLine, withoutSignatures } from "./helpers/child-zone.js";
import { KNOT, NSD, ORIGIN, type PresignedChild, startPresignedChild } from "./helpers/presigned-child.js";
import type { ResolverAnswer } from "./helpers/validators.js";

let world: PresignedChild;

beforeAll(async () => {
  world = await startPresignedChild("dnssec13", 13);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const WWW = `www.${ORIGIN}`;
const WWW_A = /^www\.signed\.test\. \d+ IN A 192\.0\.2\.10$/;
const ask = (name: string, type: string) => world.world.resolve(name, type);
const why = (a: ResolverAnswer) => `${a.raw}\n--- parent test.:\n${world.world.parentText()}`;

/** AD set and the rcode expected, for an answer, an NXDOMAIN, a NODATA and a wildcard answer. */
async function expectSecureAnswers(context: string) {
  const answer = await ask(WWW, "A");
  expect(answer.status, `${context}\n${why(answer)}`).toBe("NOERROR");
  expect(answer.ad, `${context}: no AD\n${why(answer)}`).toBe(true);
  expect(
    answer.answer.filter((l) => WWW_A.test(l)),
    why(answer),
  ).toHaveLength(1);
  expect(
    answer.answer.filter((l) => / IN RRSIG A 13 3 300 /.test(l)),
    why(answer),
  ).toHaveLength(1);

  const nxdomain = await ask(`nosuch.${ORIGIN}`, "A");
  expect([nxdomain.status, nxdomain.ad], `${context}\n${why(nxdomain)}`).toEqual(["NXDOMAIN", true]);
  expect(nxdomain.answer).toEqual([]);

  const nodata = await ask(WWW, "AAAA");
  expect([nodata.status, nodata.ad], `${context}\n${why(nodata)}`).toEqual(["NOERROR", true]);
  expect(nodata.answer).toEqual([]);

  // A wildcard expansion: its RRSIG's labels field (3: wild.signed.test) is less than the owner's
  // label count (4), which is how a validator knows it was synthesised (RFC 4035 section 5.3.4).
  const wildcard = await ask(`anything.wild.${ORIGIN}`, "A");
  expect([wildcard.status, wildcard.ad], `${context}\n${why(wildcard)}`).toEqual(["NOERROR", true]);
  expect(
    wildcard.answer.filter((l) => /^anything\.wild\.signed\.test\. \d+ IN A 192\.0\.2\.80$/.test(l)),
  ).toHaveLength(1);
  expect(
    wildcard.answer.filter((l) => / IN RRSIG A 13 3 300 /.test(l)),
    why(wildcard),
  ).toHaveLength(1);
}

describe("signed.test. (ECDSAP256SHA256) under a signed root and parent", () => {
  it("unbound returns AD for an answer, an NXDOMAIN, a NODATA and a wildcard answer", async () => {
    await expectSecureAnswers("both servers");
  });

  it("delv, validating alone from the root's key, agrees", async () => {
    const answer = await world.world.delv(WWW, "A");
    expect(answer.verdict, answer.output).toBe("secure");
    expect(answer.output).toMatch(/^www\.signed\.test\.\s+\d+\s+IN\s+A\s+192\.0\.2\.10$/m);
    const nxdomain = await world.world.delv(`nosuch.${ORIGIN}`, "A");
    expect([nxdomain.verdict, nxdomain.negative], nxdomain.output).toEqual(["secure-negative", "nxdomain"]);
    const nodata = await world.world.delv(WWW, "AAAA");
    expect([nodata.verdict, nodata.negative], nodata.output).toEqual(["secure-negative", "nxrrset"]);
    const wildcard = await world.world.delv(`anything.wild.${ORIGIN}`, "A");
    expect(wildcard.verdict, wildcard.output).toBe("secure");
    // An empty non-terminal (a.b above deep.a.b) is a NODATA, not an NXDOMAIN (RFC 5155 section 7.2.3).
    const ent = await world.world.delv(`b.${ORIGIN}`, "A");
    expect([ent.verdict, ent.negative], ent.output).toEqual(["secure-negative", "nxrrset"]);
  });

  it("each server alone (Knot loading the text, NSD fed by transfer) gives validated answers and proofs", async () => {
    try {
      for (const server of [KNOT, NSD]) {
        await world.delegate([world.child.ds()], [server]);
        await expectSecureAnswers(`${server.name} alone`);
      }
    } finally {
      await world.delegate([world.child.ds()]);
    }
  });

  it("dnssec-verify, kzonecheck and ldns-verify-zone accept the zone as NSD serves it after transfer", async () => {
    const axfr = await world.world.h.dig([
      `@${NSD.address}`,
      ORIGIN,
      "AXFR",
      "+onesoa",
      "+nocmd",
      "+nostats",
    ]);
    expect(axfr).toMatch(/\sIN\s+NSEC3PARAM\s+1 0 0 -/);
    expect(axfr).not.toMatch(/Transfer failed/);
    for (const r of await verifySignedZone(axfr, ORIGIN))
      expect(r.code, `${r.tool} rejected the transferred zone:\n${r.output.slice(0, 3000)}`).toBe(0);
  });

  it("dnsviz probe + grok find no errors in the chain from the root to signed.test.", async () => {
    const report = await world.world.dnsviz([ORIGIN, WWW, `anything.wild.${ORIGIN}`]);
    const detail = JSON.stringify({ errors: report.errors, warnings: report.warnings }, null, 2);
    expect(report.errors, detail).toEqual([]);
    expect(report.delegation, detail).toMatchObject({ "test.": "SECURE", "signed.test.": "SECURE" });
    expect(report.warnings, detail).toEqual([]);
  }, 120_000);

  it("a record changed behind the signer's back (broken signature, or unsigned) is bogus: SERVFAIL, delv fails, dnsviz reports it", async () => {
    try {
      // Both servers serve the rogue text (NSD follows Knot), so no server gives the good answer.
      const forged = replaceLine(
        world.child.bump(),
        `${WWW} 300 IN A 192.0.2.10`,
        `${WWW} 300 IN A 192.0.2.66`,
      );
      await world.serve(forged);
      expect((await world.world.h.dig([`@${NSD.address}`, WWW, "A", "+short", "+norec"])).trim()).toBe(
        "192.0.2.66",
      );
      const bogus = await ask(WWW, "A");
      expect(bogus.status, why(bogus)).toBe("SERVFAIL");
      expect(bogus.ede.join("\n"), why(bogus)).toMatch(/^6 \(DNSSEC Bogus\)/);
      const delv = await world.world.delv(WWW, "A");
      expect(delv.verdict, delv.output).toBe("failed");
      expect(delv.reason, delv.output).toBe("RRSIG failed to verify");
      // The rest of the zone still validates: only the forged rrset is bogus.
      const txt = await ask(WWW, "TXT");
      expect([txt.status, txt.ad], why(txt)).toEqual(["NOERROR", true]);
      const report = await world.world.dnsviz([ORIGIN, WWW]);
      expect(
        report.errors.map((e) => `${e.path.split("/")[0]} ${e.code}`),
        JSON.stringify(report.errors, null, 2),
      ).toContain(`${WWW} SIGNATURE_INVALID`);

      // Served without its signature (a server stripping it, or data added unsigned).
      const unsigned = withoutSignatures(world.child.bump(), WWW, "A");
      await world.serve(unsigned);
      const stripped = await ask(WWW, "A");
      expect(stripped.status, why(stripped)).toBe("SERVFAIL");
      expect(stripped.ede.join("\n"), why(stripped)).toMatch(/^10 \(RRSIGs Missing\)/);
      const delvStripped = await world.world.delv(WWW, "A");
      expect(delvStripped.verdict, delvStripped.output).toBe("failed");
      // The zone is signed (a DS leads to it), so an rrset without RRSIG cannot be proven insecure.
      expect(delvStripped.reason, delvStripped.output).toBe("insecurity proof failed");
    } finally {
      await world.serve(world.child.bump());
    }
    await expectSecureAnswers("after the good zone is served again");
  }, 120_000);

  it("a wrong DS in the parent makes the zone bogus; no DS makes it insecure (answers without AD); the right DS makes it secure again", async () => {
    try {
      // A DS for a key the zone does not have (same algorithm, another key tag).
      const stranger = newKey("ksk", 13, [world.child.ksk, world.child.zsk]);
      await world.delegate([stranger.dsText(ORIGIN)]);
      const bogus = await ask(WWW, "A");
      expect(bogus.status, why(bogus)).toBe("SERVFAIL");
      // No DNSKEY of the child matches the DS: the chain of trust breaks at the delegation.
      expect(bogus.ede.join("\n"), why(bogus)).toMatch(/^9 \(DNSKEY Missing\)/);
      const delvBogus = await world.world.delv(WWW, "A");
      expect([delvBogus.verdict, delvBogus.reason], delvBogus.output).toEqual([
        "failed",
        "broken trust chain",
      ]);

      // No DS: the parent's NSEC3 proves the delegation has no DS (its bitmap: NS only), so the
      // child is insecure, not bogus — answers resolve, without AD (RFC 4035 section 5.2).
      await world.delegate([]);
      const insecure = await ask(WWW, "A");
      expect([insecure.status, insecure.ad], why(insecure)).toEqual(["NOERROR", false]);
      expect(insecure.answer.filter((l) => WWW_A.test(l))).toHaveLength(1);
      const insecureNx = await ask(`nosuch.${ORIGIN}`, "A");
      expect([insecureNx.status, insecureNx.ad], why(insecureNx)).toEqual(["NXDOMAIN", false]);
      const delvInsecure = await world.world.delv(WWW, "A");
      expect(delvInsecure.verdict, delvInsecure.output).toBe("insecure");
      // The DS query itself is answered with a validated proof of its absence.
      const noDs = await ask(ORIGIN, "DS");
      expect([noDs.status, noDs.ad, noDs.answer], why(noDs)).toEqual(["NOERROR", true, []]);
    } finally {
      await world.delegate([world.child.ds()]);
    }
    await expectSecureAnswers("the right DS again");
  }, 120_000);
});
