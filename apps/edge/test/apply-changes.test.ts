/**
 * Issue 14: the edge applying diffs answers exactly like an edge loading the full snapshot.
 * A random zone (wildcards, delegations with glue, empty non-terminals, CNAME chains, MX/NS/SRV
 * targets) takes a long random sequence of one-rrset replacements and removals through
 * ZoneSet.apply; at checkpoints a second ZoneSet loads the full snapshot of the same content, and
 * every name of the pool (plus names below them and names that never exist) is asked for every
 * type: the encoded responses must be byte-identical, and so must the AXFR content (as a set).
 */
import type { SnapshotContent } from "@dnscove/db";
import { seededRandom } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import { ZoneLoadError, ZoneSet } from "../src/index.js";
import { answerQuery } from "../src/resolver/answer-query.js";
import { TYPE } from "../src/wire/constants.js";
import { decodeMessage } from "../src/wire/decode-message.js";
import { encodeResponse } from "../src/wire/encode-response.js";
import type { LoadedZone } from "../src/zones/loaded-zone.js";
import { query } from "./helpers/raw-client.js";

const O = "diff.test.";
const NAMES = [
  O,
  `www.${O}`,
  `a.b.c.${O}`,
  `b.c.${O}`,
  `x.deep.${O}`,
  `*.w.${O}`,
  `q.w.${O}`,
  `sub.${O}`,
  `ns.sub.${O}`,
  `mail.${O}`,
  `_sip._tcp.${O}`,
  `alias.${O}`,
  `loop.${O}`,
];
const TYPES = ["A", "AAAA", "TXT", "MX", "NS", "CNAME", "SRV"] as const;
const ASKED = [
  TYPE.A,
  TYPE.AAAA,
  TYPE.TXT,
  TYPE.MX,
  TYPE.NS,
  TYPE.CNAME,
  TYPE.SRV,
  TYPE.SOA,
  TYPE.ANY,
  TYPE.DS,
];

function records(type: string, r: () => number): string[] {
  const n = 1 + Math.floor(r() * 3);
  // RDATA names cannot be wildcards (hostnames), so targets come from the other names.
  const targets = NAMES.filter((n) => !n.startsWith("*"));
  const pick = () => targets[Math.floor(r() * targets.length)] as string;
  const out = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 250) + 1;
    if (type === "A") out.add(`192.0.2.${k}`);
    else if (type === "AAAA") out.add(`2001:db8::${k.toString(16)}`);
    else if (type === "TXT") out.add(`"t${k}" "u${k}"`);
    else if (type === "MX") out.add(`${k} ${r() < 0.8 ? pick() : "mx.example.net."}`);
    else if (type === "NS") out.add(r() < 0.7 ? `ns.sub.${O}` : pick());
    else if (type === "SRV") out.add(`1 ${k} 5060 ${pick()}`);
  }
  if (type === "CNAME") return [r() < 0.8 ? pick() : "out.example.net."];
  return [...out];
}

const SOA = (min: number) => `ns.${O} hostmaster.${O} 1 3600 600 86400 ${min}`;

function snapshotOf(
  content: Map<string, { name: string; type: string; ttl: number; records: string[] }>,
  serial: number,
): SnapshotContent {
  return {
    origin: O,
    serial,
    rrsets: [...content.values()].map((rs) => ({ ...rs, records: [...rs.records] })),
  };
}

function answer(zones: ZoneSet, name: string, qtype: number): string {
  const plan = answerQuery(decodeMessage(query(7, name, qtype, true)), zones);
  return encodeResponse(plan, 65535).wire.toString("hex");
}

function axfrSet(zone: LoadedZone): string[] {
  const out: string[] = [];
  for (const { owner, ref } of zone.transferRRsets()) {
    for (const rr of zone.toWire(ref, owner))
      out.push(`${rr.owner} ${rr.type} ${rr.ttl} ${Buffer.from(rr.rdata).toString("hex")}`);
  }
  return out.sort();
}

function compare(applied: ZoneSet, loaded: ZoneSet): number {
  const a = applied.get("z") as LoadedZone;
  const b = loaded.get("z") as LoadedZone;
  expect(a.serial).toBe(b.serial);
  expect(a.rrsetCount).toBe(b.rrsetCount);
  expect([...a.allNames()].sort()).toEqual([...b.allNames()].sort());
  expect([...a.delegations].sort()).toEqual([...b.delegations].sort());
  expect(axfrSet(a)).toEqual(axfrSet(b));
  let asked = 0;
  const names = [
    ...NAMES,
    ...NAMES.map((n) => `below.${n}`),
    `c.${O}`,
    `deep.${O}`,
    `nothing.${O}`,
    `z.q.w.${O}`,
  ];
  for (const name of names) {
    for (const qtype of ASKED) {
      expect(answer(applied, name, qtype), `${name} type ${qtype}`).toBe(answer(loaded, name, qtype));
      asked++;
    }
  }
  return asked;
}

describe("LoadedZone.applyChanges (the edge applying diffs)", () => {
  it("answers exactly like loading the full new snapshot, through 600 random one-rrset changes", () => {
    const r = seededRandom(14);
    const content = new Map<string, { name: string; type: string; ttl: number; records: string[] }>();
    content.set(`${O}|SOA`, { name: O, type: "SOA", ttl: 3600, records: [SOA(300)] });
    content.set(`${O}|NS`, { name: O, type: "NS", ttl: 3600, records: [`ns.sub.${O}`] });
    for (let i = 0; i < 25; i++) {
      const name = NAMES[Math.floor(r() * NAMES.length)] as string;
      const type = TYPES[Math.floor(r() * TYPES.length)] as string;
      content.set(`${name}|${type}`, { name, type, ttl: 300, records: records(type, r) });
    }
    let serial = 1;
    const applied = new ZoneSet();
    applied.put("z", snapshotOf(content, serial));
    let asked = 0;
    for (let step = 1; step <= 600; step++) {
      serial++;
      const name = NAMES[Math.floor(r() * NAMES.length)] as string;
      const roll = r();
      const key = (t: string) => `${name}|${t}`;
      if (roll < 0.05) {
        // The SOA itself changes (MINIMUM decides the negative TTL, RFC 2308 section 5).
        const soa = { name: O, type: "SOA", ttl: 600 + step, records: [SOA(60 + step)] };
        content.set(`${O}|SOA`, soa);
        applied.apply("z", serial, [soa]);
      } else if (roll < 0.4) {
        const existing = [...content.values()].filter((rs) => rs.name === name && rs.type !== "SOA");
        const victim = existing[Math.floor(r() * existing.length)];
        if (victim) content.delete(key(victim.type));
        applied.apply("z", serial, victim ? [{ name: victim.name, type: victim.type }] : []);
      } else {
        const type = TYPES[Math.floor(r() * TYPES.length)] as string;
        const rs = { name, type, ttl: 60 + Math.floor(r() * 600), records: records(type, r) };
        content.set(key(type), rs);
        applied.apply("z", serial, [rs]);
      }
      if (step % 25 === 0 || step <= 5) {
        const loaded = new ZoneSet();
        loaded.put("z", snapshotOf(content, serial));
        asked += compare(applied, loaded);
      }
    }
    expect(asked).toBeGreaterThan(8000);
  });

  it("applies several changes of one diff together, and a bad change leaves the zone untouched", () => {
    const zones = new ZoneSet();
    zones.put("z", {
      origin: O,
      serial: 1,
      rrsets: [
        { name: O, type: "SOA", ttl: 3600, records: [SOA(300)] },
        { name: `a.b.${O}`, type: "A", ttl: 300, records: ["192.0.2.1"] },
      ],
    });
    const before = answer(zones, `a.b.${O}`, TYPE.A);
    expect(() =>
      zones.apply("z", 2, [
        { name: `a.b.${O}`, type: "A" },
        { name: `x.${O}`, type: "A", ttl: 300, records: ["not an address"] },
      ]),
    ).toThrow(ZoneLoadError);
    expect(zones.get("z")?.serial).toBe(1);
    expect(answer(zones, `a.b.${O}`, TYPE.A)).toBe(before);
    // Removing the only rrset below b.diff.test. removes the empty non-terminal too.
    zones.apply("z", 2, [
      { name: `a.b.${O}`, type: "A" },
      { name: `c.${O}`, type: "TXT", ttl: 60, records: ['"new"'] },
    ]);
    const zone = zones.get("z") as LoadedZone;
    expect(zone.hasName(`b.${O}`)).toBe(false);
    expect(zone.serial).toBe(2);
    expect(decodeMessage(Buffer.from(answer(zones, `b.${O}`, TYPE.A), "hex")).header.flags & 0xf).toBe(3); // NXDOMAIN
  });

  it("reuses what churn frees: the record buffer stays near a fresh load's size, answers unchanged", () => {
    const r = seededRandom(15);
    const content = new Map<string, { name: string; type: string; ttl: number; records: string[] }>();
    content.set(`${O}|SOA`, { name: O, type: "SOA", ttl: 3600, records: [SOA(300)] });
    const big = (n: number) => [`"${"x".repeat(200)}${n}"`, `"${"y".repeat(200)}${n}"`];
    for (let i = 0; i < 40; i++)
      content.set(`t${i}.${O}|TXT`, { name: `t${i}.${O}`, type: "TXT", ttl: 60, records: big(i) });
    const applied = new ZoneSet();
    applied.put("z", snapshotOf(content, 1));
    const fresh = (applied.get("z") as LoadedZone).recordBytes;
    let serial = 1;
    // ~2,000 replacements of ~400-octet rrsets: 800 kB written into a zone of ~16 kB.
    for (let step = 0; step < 2000; step++) {
      serial++;
      const i = Math.floor(r() * 40);
      const rs = { name: `t${i}.${O}`, type: "TXT", ttl: 60, records: big(step) };
      if (r() < 0.2) {
        content.delete(`t${i}.${O}|TXT`);
        applied.apply("z", serial, [{ name: rs.name, type: "TXT" }]);
      } else {
        content.set(`t${i}.${O}|TXT`, rs);
        applied.apply("z", serial, [rs]);
      }
    }
    const loaded = new ZoneSet();
    loaded.put("z", snapshotOf(content, serial));
    compare(applied, loaded);
    // Repacked once more than half is dead and at least 64 KiB: never much beyond that bound.
    expect((applied.get("z") as LoadedZone).recordBytes).toBeLessThan(2 * (fresh + 65_536));
  });
});
