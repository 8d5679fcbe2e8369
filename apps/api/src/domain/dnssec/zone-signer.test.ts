/**
 * applyDiffs (zone-signer.ts) must give exactly what regrouping every DNSSEC record gives: the
 * journal of a cache-hit publish is built from it, and every edge and secondary serves that journal.
 */
import {
  type DnssecDiff,
  generateKey,
  initialKeys,
  type RrsetChange,
  SignedZone,
  validityAt,
  zskActivate,
  zskPublish,
} from "@dnscove/dnssec";
import { expect, it } from "vitest";
import { applyDiffs, groupRecords } from "./zone-signer.js";

const ORIGIN = "diffs.example.";
const SOA = (serial: number) => `ns1.diffs.example. hostmaster.diffs.example. ${serial} 3600 600 604800 300`;

it("applyDiffs equals a full regroup through changes, a key change and a refresh", () => {
  const now = Math.floor(Date.now() / 1000);
  let keys = initialKeys(generateKey("ksk"), generateKey("zsk"));
  const data = [
    { name: ORIGIN, type: "SOA" as const, ttl: 3600, rdata: SOA(1) },
    { name: ORIGIN, type: "NS" as const, ttl: 3600, rdata: "ns1.diffs.example." },
    { name: `ns1.${ORIGIN}`, type: "A" as const, ttl: 300, rdata: "192.0.2.1" },
    ...Array.from({ length: 30 }, (_, i) => ({
      name: `h${i}.${ORIGIN}`,
      type: "A" as const,
      ttl: 300,
      rdata: `192.0.2.${i + 10}`,
    })),
  ];
  // Signed ten days ago: part of the signatures fall due for refresh now.
  const zone = SignedZone.sign(ORIGIN, data, keys, validityAt(now - 10 * 86_400));
  let before = groupRecords(zone.records());
  const step = (diffs: DnssecDiff[], what: string) => {
    const after = new Map(before);
    const entries = applyDiffs(after, diffs);
    const full = groupRecords(zone.records());
    expect(new Map([...after].sort()), what).toEqual(new Map([...full].sort()));
    expect(entries.length, what).toBeGreaterThan(0);
    for (const e of entries) {
      const k = `${e.name} ${e.type}`;
      expect(e.after ? JSON.parse(e.after.records) : null, `${what}: ${k}`).toEqual(
        full.get(k)?.records ?? null,
      );
    }
    before = after;
  };
  const change = (changes: RrsetChange[]) => zone.apply(changes, validityAt(now));
  step([change([{ name: `new.${ORIGIN}`, type: "A", ttl: 300, records: ["192.0.2.99"] }])], "add a name");
  step(
    [change([{ name: `h3.${ORIGIN}`, type: "A", ttl: 60, records: ["192.0.2.98"] }])],
    "change a TTL and value",
  );
  step([change([{ name: `h4.${ORIGIN}`, type: "A", ttl: 300, records: [] }])], "delete a name");
  step(
    [
      change([
        { name: `sub.${ORIGIN}`, type: "NS", ttl: 300, records: [`ns.sub.${ORIGIN}`] },
        { name: `ns.sub.${ORIGIN}`, type: "A", ttl: 300, records: ["192.0.2.53"] },
        { name: `*.w.${ORIGIN}`, type: "TXT", ttl: 300, records: ['"w"'] },
        { name: ORIGIN, type: "SOA", ttl: 3600, records: [SOA(2)] },
      ]),
    ],
    "a delegation with glue, a wildcard, the SOA",
  );
  const next = generateKey("zsk");
  keys = zskPublish(keys, next);
  step(
    [
      change([{ name: ORIGIN, type: "SOA", ttl: 3600, records: [SOA(3)] }]),
      zone.setKeys(keys, validityAt(now)),
    ],
    "a ZSK published",
  );
  keys = zskActivate(keys, next);
  step(
    [
      change([{ name: ORIGIN, type: "SOA", ttl: 3600, records: [SOA(4)] }]),
      zone.setKeys(keys, validityAt(now)),
      zone.refresh(now, 7 * 86_400, validityAt(now)),
    ],
    "the ZSK activated, and a refresh",
  );
});
