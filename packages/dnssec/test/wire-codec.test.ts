/**
 * @dnscove/dns's one RDATA codec reads and writes every DNSSEC record this package produces
 * exactly: presentation -> wire gives this package's wire octets, and wire -> presentation gives
 * its text back (the edge loads these records from their presentation form, issue 16).
 */
import { rdataFromWire, rdataToWire, type WireRecordType } from "@dnscove/dns";
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import { generateKey, initialKeys, insecureStart, SignedZone, validityAt } from "../src/index.js";
import { generateZone, ORIGIN } from "./zone-fixture.js";

describe("DNSSEC records through @dnscove/dns's codec", () => {
  for (const algorithm of [13, 15] as const) {
    it(`algorithm ${algorithm}: every record round-trips, wire identical`, () => {
      const keys = initialKeys(generateKey("ksk", algorithm), generateKey("zsk", algorithm));
      const zone = SignedZone.sign(
        ORIGIN,
        generateZone(seededRandom(7), 40),
        keys,
        validityAt(1_800_000_000),
      );
      // The RFC 8078 delete forms of CDS/CDNSKEY too.
      const records = zone.records();
      zone.setKeys(insecureStart(keys));
      records.push(...zone.records().filter((r) => r.type === "CDS" || r.type === "CDNSKEY"));
      expect(new Set(records.map((r) => r.type))).toEqual(
        new Set(["DNSKEY", "RRSIG", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY"]),
      );
      for (const r of records) {
        const type = r.type as WireRecordType;
        expect(
          Buffer.from(rdataToWire(type, r.rdata)).toString("hex"),
          `${r.name} ${r.type} ${r.rdata}`,
        ).toBe(Buffer.from(r.wire).toString("hex"));
        expect(rdataFromWire(type, r.wire)).toBe(r.rdata);
      }
    });
  }
});
