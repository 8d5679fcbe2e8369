/** Restoring a signed zone from stored records keeps valid signatures and replaces only what is stale. */
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import {
  generateKey,
  initialKeys,
  SignedZone,
  signatureOf,
  validityAt,
  zskActivate,
  zskPublish,
} from "../src/index.js";
import { generateZone, ORIGIN, validate, verifyAllWithNodeCrypto, zoneFileText } from "./zone-fixture.js";

const now = () => Math.floor(Date.now() / 1000);

describe.each([13, 15] as const)("restore, algorithm %i", (alg) => {
  it("keeps every stored signature, and re-signs a tampered one, a changed rrset and a retired key's work", async () => {
    const ksk = generateKey("ksk", alg);
    const zsk = generateKey("zsk", alg);
    const keys = initialKeys(ksk, zsk);
    const records = generateZone(seededRandom(21), 30);
    const zone = SignedZone.sign(ORIGIN, records, keys, validityAt(now()));
    const stored = zone.records();

    const same = SignedZone.restore(ORIGIN, zone.dataRecords(), stored, keys, validityAt(now()));
    expect(same.diff).toEqual({ added: [], removed: [] });
    expect(same.zone.records().length).toBe(stored.length);

    // One stored signature altered: verification catches it and only that rrset is signed again.
    const victim = stored.findIndex((r) => r.type === "RRSIG" && r.name === "mail.example.test.");
    const bad = stored.map((r, i) => {
      if (i !== victim) return r;
      const wire = Uint8Array.from(r.wire);
      wire[wire.length - 1] = (wire[wire.length - 1] ?? 0) ^ 1;
      const fields = r.rdata.split(" ");
      fields[8] = Buffer.from(signatureOf(wire)).toString("base64");
      return { ...r, wire, rdata: fields.join(" ") };
    });
    const fixed = SignedZone.restore(ORIGIN, zone.dataRecords(), bad, keys, validityAt(now()));
    expect(fixed.diff.removed.map((r) => `${r.name} ${r.type}`)).toEqual(["mail.example.test. RRSIG"]);
    expect(fixed.diff.added.map((r) => `${r.name} ${r.type}`)).toEqual(["mail.example.test. RRSIG"]);
    expect(verifyAllWithNodeCrypto(fixed.zone, [ksk, zsk])).toEqual([]);
    // verify: false trusts the store, so the altered signature is kept (for stores the operator trusts).
    const trusted = SignedZone.restore(ORIGIN, zone.dataRecords(), bad, keys, validityAt(now()), {
      verify: false,
    });
    expect(trusted.diff).toEqual({ added: [], removed: [] });
    expect(verifyAllWithNodeCrypto(trusted.zone, [ksk, zsk])).toHaveLength(1);

    // The data changed while the process was down: one rrset changed, one name added.
    const changed = zone
      .dataRecords()
      .map((r) =>
        r.name === "mail.example.test." && r.type === "AAAA" ? { ...r, rdata: "2001:db8::99" } : r,
      );
    changed.push({ name: "late.example.test.", type: "A", ttl: 300, rdata: "192.0.2.77" });
    const later = SignedZone.restore(ORIGIN, changed, stored, keys, validityAt(now()));
    const summary = (l: { name: string; type: string }[]) => l.map((r) => `${r.name} ${r.type}`).sort();
    expect(summary(later.diff.added).filter((s) => s.endsWith("NSEC3"))).toHaveLength(2);
    expect(summary(later.diff.removed).filter((s) => s.endsWith("NSEC3"))).toHaveLength(1);
    expect(summary(later.diff.added)).toContain("mail.example.test. RRSIG");
    expect(summary(later.diff.added)).toContain("late.example.test. RRSIG");
    expect(verifyAllWithNodeCrypto(later.zone, [ksk, zsk])).toEqual([]);
    for (const r of await validate(zoneFileText(later.zone)))
      expect(r.code, `${r.tool}: ${r.output}`).toBe(0);

    // A different signing ZSK: every ZSK signature is replaced.
    const zsk2 = generateKey("zsk", alg);
    const rolled = zskActivate(zskPublish(keys, zsk2), zsk2);
    const resigned = SignedZone.restore(ORIGIN, zone.dataRecords(), stored, rolled, validityAt(now()));
    expect(resigned.zone.records().filter((r) => r.type === "RRSIG" && r.keyTag === zsk.keyTag)).toEqual([]);
    expect(verifyAllWithNodeCrypto(resigned.zone, [ksk, zsk, zsk2])).toEqual([]);
  });
});
