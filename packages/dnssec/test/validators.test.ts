/**
 * Signed zones checked by real validators: dnssec-verify (BIND), kzonecheck (Knot) and
 * ldns-verify-zone (ldns), for both algorithms, after a full sign, after each of a random sequence of
 * incremental changes, through a ZSK and a KSK rollover, and after a signature refresh. A missing
 * validator binary fails the test (runCommand rejects).
 */
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import {
  type Algorithm,
  generateKey,
  initialKeys,
  insecureStart,
  kskFinish,
  kskStart,
  SignedZone,
  type SigningKey,
  validityAt,
  zskActivate,
  zskPublish,
  zskRetire,
} from "../src/index.js";
import {
  coveredView,
  generateZone,
  ORIGIN,
  randomChange,
  validate,
  verifyAllWithNodeCrypto,
  zoneFileText,
} from "./zone-fixture.js";

function expectAccepted(
  results: { tool: string; code: number | null; output: string }[],
  context: string,
): void {
  for (const r of results) {
    expect(r.code, `${r.tool} rejected the zone (${context}):\n${r.output.slice(0, 3000)}`).toBe(0);
  }
}

const now = () => Math.floor(Date.now() / 1000);

function newKey(role: "ksk" | "zsk", alg: Algorithm, avoid: SigningKey[] = []): SigningKey {
  for (;;) {
    const k = generateKey(role, alg);
    if (!avoid.some((a) => a.keyTag === k.keyTag)) return k;
  }
}

describe.each([13, 15] as const)("algorithm %i", (alg) => {
  it("a full sign, then every incremental change, is accepted by all three validators and equals a full re-sign", async () => {
    const seed = 1600 + alg;
    const rand = seededRandom(seed);
    const ksk = newKey("ksk", alg);
    const zsk = newKey("zsk", alg, [ksk]);
    const keys = initialKeys(ksk, zsk);
    const zone = SignedZone.sign(ORIGIN, generateZone(rand, 60), keys, validityAt(now()));
    expectAccepted(await validate(zoneFileText(zone)), `seed ${seed}, full sign`);
    expect(verifyAllWithNodeCrypto(zone, [ksk, zsk])).toEqual([]);
    for (let step = 0; step < 12; step++) {
      const before = new Set(zone.records().map((r) => `${r.name} ${r.type} ${r.rdata}`));
      const changes = randomChange(rand, zone, step);
      const diff = zone.apply(changes, validityAt(now()));
      // The diff is exact: previous records - removed + added = current records.
      const expected = new Set(before);
      for (const r of diff.removed)
        expect(expected.delete(`${r.name} ${r.type} ${r.rdata}`), `removed ${r.name} ${r.type}`).toBe(true);
      for (const r of diff.added) expected.add(`${r.name} ${r.type} ${r.rdata}`);
      expect([...expected].sort()).toEqual(
        zone
          .records()
          .map((r) => `${r.name} ${r.type} ${r.rdata}`)
          .sort(),
      );
      const context = `seed ${seed}, step ${step}: ${JSON.stringify(changes)}`;
      expectAccepted(await validate(zoneFileText(zone)), context);
      expect(verifyAllWithNodeCrypto(zone, [ksk, zsk]), context).toEqual([]);
      const full = SignedZone.sign(ORIGIN, zone.dataRecords(), keys, validityAt(now()));
      expect(coveredView(zone), context).toEqual(coveredView(full));
    }
    // 13 validator runs of three tools each: room for a loaded CI machine (no timing is asserted).
  }, 240_000);

  it("only the changed rrset, its NSEC3 links and their signatures are re-signed", () => {
    const rand = seededRandom(77);
    const keys = initialKeys(newKey("ksk", alg), newKey("zsk", alg));
    const zone = SignedZone.sign(ORIGIN, generateZone(rand, 40), keys, validityAt(now()));
    // Changing an existing rrset's data: its RRSIG only (the SOA is left alone here).
    const diff = zone.apply([
      { name: "mail.example.test.", type: "AAAA", ttl: 300, records: ["2001:db8::26"] },
    ]);
    expect(diff.added.map((r) => `${r.name} ${r.type}`)).toEqual(["mail.example.test. RRSIG"]);
    expect(diff.removed.map((r) => `${r.name} ${r.type}`)).toEqual(["mail.example.test. RRSIG"]);
    // A new name: its NSEC3 + RRSIG, the predecessor's NSEC3 + RRSIG, and the new rrset's RRSIG.
    const add = zone.apply([
      { name: "brand-new.example.test.", type: "A", ttl: 300, records: ["192.0.2.1"] },
    ]);
    expect(add.added.filter((r) => r.type === "NSEC3")).toHaveLength(2);
    expect(add.removed.filter((r) => r.type === "NSEC3")).toHaveLength(1);
    expect(add.added.filter((r) => r.type === "RRSIG")).toHaveLength(3);
  });

  it("every step of a ZSK pre-publish rollover and a double-KSK rollover is accepted", async () => {
    const ksk = newKey("ksk", alg);
    const zsk = newKey("zsk", alg, [ksk]);
    let keys = initialKeys(ksk, zsk);
    const zone = SignedZone.sign(ORIGIN, generateZone(seededRandom(5), 20), keys, validityAt(now()));
    const zsk2 = newKey("zsk", alg, [ksk, zsk]);
    const ksk2 = newKey("ksk", alg, [ksk, zsk, zsk2]);
    const steps: [string, (k: typeof keys) => typeof keys][] = [
      ["zsk publish", (k) => zskPublish(k, zsk2)],
      ["zsk activate", (k) => zskActivate(k, zsk2)],
      ["zsk retire", (k) => zskRetire(k, zsk)],
      ["ksk start", (k) => kskStart(k, ksk2)],
      ["ksk finish", (k) => kskFinish(k, ksk)],
    ];
    for (const [label, step] of steps) {
      keys = step(keys);
      zone.setKeys(keys, validityAt(now()));
      const text = zoneFileText(zone);
      expectAccepted(await validate(text), label);
      expect(verifyAllWithNodeCrypto(zone, [ksk, zsk, zsk2, ksk2]), label).toEqual([]);
      if (label === "zsk publish") expect(text).not.toContain(` ${zsk2.keyTag} ${ORIGIN} `);
      if (label === "zsk activate") {
        expect(text).toContain(zsk.dnskeyText());
        expect(text).not.toMatch(new RegExp(` ${zsk.keyTag} ${ORIGIN.replace(/\./g, "\\.")} `));
      }
      if (label === "ksk start") {
        const cds = zone.records().filter((r) => r.type === "CDS");
        expect(cds.map((r) => r.rdata)).toEqual([ksk2.dsText(ORIGIN)]);
      }
    }
    expect(
      zone
        .records()
        .filter((r) => r.type === "DNSKEY")
        .map((r) => r.rdata)
        .sort(),
    ).toEqual([ksk2.dnskeyText(), zsk2.dnskeyText()].sort());
    // The insecure transition: RFC 8078 delete records, still a valid signed zone.
    zone.setKeys(insecureStart(keys));
    expect(
      zone
        .records()
        .filter((r) => r.type === "CDS" || r.type === "CDNSKEY")
        .map((r) => r.rdata)
        .sort(),
    ).toEqual(["0 0 0 00", "0 3 0 AA=="]);
    expectAccepted(await validate(zoneFileText(zone)), "insecure transition");
  });

  it("refresh re-signs only the signatures that fall due, and the refreshed zone is accepted", async () => {
    const keys = initialKeys(newKey("ksk", alg), newKey("zsk", alg));
    const t0 = now() - 8 * 86400;
    const zone = SignedZone.sign(ORIGIN, generateZone(seededRandom(9), 30), keys, validityAt(t0));
    const total = zone.records().filter((r) => r.type === "RRSIG").length;
    // Eight days later the 12-14 day signatures have 4-6 days left, under the 7-day refresh window.
    const t1 = now();
    // Jitter spreads expirations: at t0 + 6 days only those pulled more than a day earlier are due.
    const early = zone.dueForRefresh(t0 + 6 * 86400, 7 * 86400).length;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(total);
    expect(zone.dueForRefresh(t1, 7 * 86400)).toHaveLength(total);
    const diff = zone.refresh(t1, 7 * 86400, validityAt(t1));
    expect(diff.added.length).toBe(total);
    expect(diff.added.every((r) => r.type === "RRSIG")).toBe(true);
    expect(zone.refresh(t1, 7 * 86400, validityAt(t1))).toEqual({ added: [], removed: [] });
    expect(zone.dueForRefresh(t1, 7 * 86400)).toEqual([]);
    expectAccepted(await validate(zoneFileText(zone)), "after refresh");
    const earliest = zone.earliestExpiration() ?? 0;
    expect(earliest - t1).toBeGreaterThan(12 * 86400 - 1);
  });

  it("validators REJECT a tampered record, an expired signature and a broken NSEC3 chain", async () => {
    const keys = initialKeys(newKey("ksk", alg), newKey("zsk", alg));
    const zone = SignedZone.sign(ORIGIN, generateZone(seededRandom(11), 10), keys, validityAt(now()));
    const good = zoneFileText(zone);
    expect(good).toContain("mail.example.test. 300 IN AAAA 2001:db8::25");
    const tampered = good.replace(
      "mail.example.test. 300 IN AAAA 2001:db8::25",
      "mail.example.test. 300 IN AAAA 2001:db8::bad",
    );
    const [bind] = await validate(tampered);
    expect(bind?.tool).toBe("dnssec-verify");
    expect(bind?.code).not.toBe(0);
    const past = now() - 30 * 86400;
    const expired = SignedZone.sign(ORIGIN, generateZone(seededRandom(11), 10), keys, validityAt(past));
    const results = await validate(zoneFileText(expired));
    expect(results.find((r) => r.tool === "dnssec-verify")?.code).not.toBe(0);
    expect(results.find((r) => r.tool === "kzonecheck")?.code).not.toBe(0);
    // A break in the NSEC3 chain (one record left out) is rejected by all three.
    const nsec3 = good.split("\n").filter((l) => / IN NSEC3 1 /.test(l));
    expect(nsec3.length).toBeGreaterThan(4);
    const broken = good
      .split("\n")
      .filter((l) => l !== nsec3[3])
      .join("\n");
    for (const r of await validate(broken))
      expect(r.code, `${r.tool} accepted a broken NSEC3 chain`).not.toBe(0);
  });
});
