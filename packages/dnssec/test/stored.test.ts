/** Reading stored DNSSEC records back from presentation form gives the exact wire RDATA the signer made. */
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import {
  dnssecRecordFromText,
  generateKey,
  initialKeys,
  insecureStart,
  SignedZone,
  validityAt,
} from "../src/index.js";
import { generateZone, ORIGIN } from "./zone-fixture.js";

const now = () => Math.floor(Date.now() / 1000);

describe.each([13, 15] as const)("dnssecRecordFromText, algorithm %i", (alg) => {
  it("round-trips every record of a signed zone, delete CDS/CDNSKEY included", () => {
    const keys = initialKeys(generateKey("ksk", alg), generateKey("zsk", alg));
    const zone = SignedZone.sign(ORIGIN, generateZone(seededRandom(5), 40), keys, validityAt(now()));
    zone.setKeys(insecureStart(keys));
    const records = zone.records();
    expect(records.some((r) => r.type === "CDS" && r.rdata === "0 0 0 00")).toBe(true);
    for (const r of records) {
      const back = dnssecRecordFromText({ name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata });
      expect(Buffer.from(back.wire).toString("hex"), `${r.name} ${r.type} ${r.rdata}`).toBe(
        Buffer.from(r.wire).toString("hex"),
      );
    }
  });

  it("a restore from the text form keeps every signature (they verify against the rebuilt wire)", () => {
    const keys = initialKeys(generateKey("ksk", alg), generateKey("zsk", alg));
    const zone = SignedZone.sign(ORIGIN, generateZone(seededRandom(6), 30), keys, validityAt(now()));
    const stored = zone.records().map((r) => dnssecRecordFromText({ ...r }));
    const restored = SignedZone.restore(ORIGIN, zone.dataRecords(), stored, keys, validityAt(now()));
    expect(restored.diff).toEqual({ added: [], removed: [] });
  });
});
