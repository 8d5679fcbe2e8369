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
