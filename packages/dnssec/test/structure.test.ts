/** What the signer puts where: delegations, glue, empty non-terminals, wildcards, the apex. */
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import { generateKey, initialKeys, nsec3Hash, SignedZone, validityAt } from "../src/index.js";
import { generateZone, ORIGIN } from "./zone-fixture.js";

describe("signed zone structure", () => {
  const keys = initialKeys(generateKey("ksk", 13), generateKey("zsk", 13));
  const zone = SignedZone.sign(
    ORIGIN,
    generateZone(seededRandom(2), 0),
    keys,
    validityAt(Math.floor(Date.now() / 1000)),
  );
  const records = zone.records();
  const nsec3Of = (name: string) =>
    records.find((r) => r.type === "NSEC3" && r.name === `${nsec3Hash(name)}.${ORIGIN}`)?.rdata;
  const sigsAt = (name: string) =>
    records.filter((r) => r.type === "RRSIG" && r.name === name).map((r) => r.rdata.split(" ")[0]);

  it("gives a delegation an NS (+DS RRSIG) bitmap, signs only its DS, and leaves glue alone", () => {
    expect(nsec3Of("secure.example.test.")).toMatch(/ NS DS RRSIG$/);
    expect(nsec3Of("insecure.example.test.")).toMatch(/ [0-9a-v]{32} NS$/);
    expect(sigsAt("secure.example.test.")).toEqual(["DS"]);
    expect(sigsAt("insecure.example.test.")).toEqual([]);
    for (const occluded of [
      "ns.secure.example.test.",
      "x.ns.insecure.example.test.",
      "ns.insecure.example.test.",
    ]) {
      expect(nsec3Of(occluded), occluded).toBeUndefined();
      expect(sigsAt(occluded), occluded).toEqual([]);
    }
  });

  it("gives empty non-terminals an NSEC3 with an empty bitmap, and wildcards their own NSEC3", () => {
    for (const ent of [
      "a.b.c.example.test.",
      "b.c.example.test.",
      "c.example.test.",
      "ent.example.test.",
      "_tcp.example.test.",
    ]) {
      expect(nsec3Of(ent), ent).toMatch(/^1 0 0 - [0-9a-v]{32}$/);
    }
    expect(nsec3Of("*.wild.example.test.")).toMatch(/ A TXT RRSIG$/);
    expect(nsec3Of("wild.example.test.")).toMatch(/^1 0 0 - [0-9a-v]{32}$/);
    const wildSig = records.find((r) => r.type === "RRSIG" && r.name === "*.wild.example.test.");
    // Labels field 3 for *.wild.example.test. (RFC 4035 section 5.3.2).
    expect(wildSig?.rdata.split(" ")[2]).toBe("3");
  });

  it("puts DNSKEY, CDS, CDNSKEY and NSEC3PARAM at the apex, signed by the KSK alone", () => {
    expect(nsec3Of(ORIGIN)).toMatch(/ NS SOA MX TXT RRSIG DNSKEY NSEC3PARAM CDS CDNSKEY CAA$/);
    const [ksk, zsk] = keys.entries.map((e) => e.key);
    const dnskeySigs = records.filter((r) => r.type === "RRSIG" && r.rdata.startsWith("DNSKEY "));
    expect(dnskeySigs.map((r) => r.keyTag)).toEqual([ksk?.keyTag]);
    const soaSigs = records.filter((r) => r.type === "RRSIG" && r.rdata.startsWith("SOA "));
    expect(soaSigs.map((r) => r.keyTag)).toEqual([zsk?.keyTag]);
    expect(records.filter((r) => r.type === "NSEC3PARAM").map((r) => `${r.ttl} ${r.rdata}`)).toEqual([
      "0 1 0 0 -",
    ]);
    // NSEC3 TTL = min(SOA TTL 3600, SOA MINIMUM 300) (RFC 9077).
    expect(new Set(records.filter((r) => r.type === "NSEC3").map((r) => r.ttl))).toEqual(new Set([300]));
  });

  it("refuses to sign DNSSEC types given as data, names outside the zone, and deleting the SOA", () => {
    expect(() =>
      zone.apply([{ name: "x.other.test.", type: "A", ttl: 300, records: ["192.0.2.1"] }]),
    ).toThrow(/not in zone/);
    expect(() => zone.apply([{ name: ORIGIN, type: "SOA", ttl: 300, records: [] }])).toThrow(/SOA/);
    expect(() =>
      zone.apply([{ name: ORIGIN, type: "DNSKEY" as never, ttl: 300, records: ["257 3 13 AA=="] }]),
    ).toThrow(/managed by the signer/);
  });
});

describe("denial proofs from the chain (what the edge will serve)", () => {
  const keys = initialKeys(generateKey("ksk", 15), generateKey("zsk", 15));
  const zone = SignedZone.sign(
    ORIGIN,
    generateZone(seededRandom(4), 80),
    keys,
    validityAt(Math.floor(Date.now() / 1000)),
  );
  const ownerHash = (r: { name: string }) => r.name.slice(0, r.name.indexOf("."));
  const nextHash = (r: { rdata: string }) => r.rdata.split(" ")[4] ?? "";
  const covers = (r: { name: string; rdata: string }, name: string) => {
    const h = nsec3Hash(name);
    const [lo, hi] = [ownerHash(r), nextHash(r)];
    return lo < hi ? lo < h && h < hi : h > lo || h < hi;
  };

  it("proves the closest encloser, covers the next closer name and the wildcard (RFC 5155 section 7.2.1)", () => {
    const rand = seededRandom(123);
    const existing = zone.dataRecords().map((r) => r.name);
    let proofs = 0;
    for (let i = 0; i < 200; i++) {
      const base = existing[Math.floor(rand() * existing.length)] ?? ORIGIN;
      const qname = `q${i}.${rand() < 0.5 ? `r${i}.` : ""}${base}`;
      const proof = zone.closestEncloserProof(qname);
      if (!proof) continue; // at or below a delegation: a referral, not a denial
      proofs++;
      expect(qname.endsWith(`.${proof.closestEncloser}`)).toBe(true);
      expect(ownerHash(proof.matching)).toBe(nsec3Hash(proof.closestEncloser));
      const labels = qname.split(".");
      const nextCloser = labels.slice(labels.length - proof.closestEncloser.split(".").length - 1).join(".");
      expect(covers(proof.nextCloser, nextCloser), `${qname}: next closer ${nextCloser}`).toBe(true);
      if (!proof.wildcardExists)
        expect(covers(proof.wildcard ?? { name: "", rdata: "" }, `*.${proof.closestEncloser}`)).toBe(true);
    }
    expect(proofs).toBeGreaterThan(100);
    const wild = zone.closestEncloserProof("anything.wild.example.test.");
    expect(wild?.closestEncloser).toBe("wild.example.test.");
    expect(wild?.wildcardExists).toBe(true);
    expect(zone.closestEncloserProof("www.example.test.")).toBeUndefined();
    expect(zone.closestEncloserProof("deeper.ns.secure.example.test.")).toBeUndefined();
  });
});
