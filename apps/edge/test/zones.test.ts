/**
 * ZoneSet / LoadedZone: load time of a 100,000-RRset snapshot, longest-suffix lookup, failed
 * loads keeping the old zone, and atomic swaps observed by real AXFRs running while the snapshot
 * is replaced over and over (each transfer must be internally consistent: one serial throughout).
 */
import type { SnapshotContent } from "@dnscove/db";
import { describe, expect, it } from "vitest";
import { startDnsServer, ZoneLoadError, ZoneSet } from "../src/index.js";
import { TYPE } from "../src/wire/constants.js";
import { run } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";

function bigSnapshot(n: number, serial = 1): SnapshotContent {
  const z = fixtureZone("big.test.", serial);
  const types = ["A", "AAAA", "TXT", "MX", "CNAME"] as const;
  for (let i = z.rrsets.length; i < n; i++) {
    const t = types[i % types.length] as string;
    const rec =
      t === "A"
        ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
        : t === "AAAA"
          ? `2001:db8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`
          : t === "TXT"
            ? `"v${i}"`
            : t === "MX"
              ? `10 mx${i}.big.test.`
              : `t${i}.example.net.`;
    z.rrsets.push({ name: `n${i}.l${i % 97}.big.test.`, type: t, ttl: 300, records: [rec] });
  }
  return z;
}

describe("ZoneSet", () => {
  // Load time is measured in bench/edge-memory.ts, not asserted here (timed tests flake on shared machines).
  it("loads a 100,000-RRset snapshot, and a changed copy answers the changed rrset's new data", () => {
    const snap = bigSnapshot(100_000);
    const zones = new ZoneSet();
    const first = zones.put("Zbig", snap);
    expect(first.rrsetCount).toBe(100_000);
    const changed = structuredClone(snap);
    const target = changed.rrsets.find((rs) => rs.type === "A");
    if (!target) throw new Error("fixture has no A rrset");
    const oldData = first.rdatas(first.rrset(target.name, 1));
    target.records = ["198.51.100.77"];
    const second = zones.put("Zbig", { ...changed, serial: snap.serial + 1 });
    expect(second.rdatas(second.rrset(target.name, 1))).toEqual([Uint8Array.from([198, 51, 100, 77])]);
    expect(oldData).not.toEqual(second.rdatas(second.rrset(target.name, 1)));
    const other = changed.rrsets.find((rs) => rs.type === "A" && rs.name !== target.name);
    if (!other) throw new Error("fixture has one A rrset only");
    expect(second.rdatas(second.rrset(other.name, 1))).toEqual(first.rdatas(first.rrset(other.name, 1)));
  });

  it("finds the zone by longest suffix, case-insensitively; serialOf, zoneIds, remove", () => {
    const zones = new ZoneSet();
    zones.put("Zparent", fixtureZone("edge.test.", 3));
    zones.put("Zchild", fixtureZone("child.edge.test.", 9));
    expect(zones.findForName("WWW.Child.EDGE.test.")?.origin).toBe("child.edge.test.");
    expect(zones.findForName("www.edge.test")?.origin).toBe("edge.test.");
    expect(zones.findForName("example.com.")).toBeUndefined();
    expect(zones.serialOf("Zchild")).toBe(9);
    expect(zones.zoneIds().sort()).toEqual(["Zchild", "Zparent"]);
    zones.remove("Zchild");
    expect(zones.findForName("www.child.edge.test.")?.origin).toBe("edge.test.");
    expect(zones.serialOf("Zchild")).toBeUndefined();
  });

  it("indexes empty non-terminals and delegations", () => {
    const zone = new ZoneSet().put("Z", fixtureZone("edge.test.", 1));
    const ent = zone.node("deep.wild.edge.test.");
    expect(ent).toBeGreaterThanOrEqual(0);
    expect(zone.firstRRset(ent)).toBe(-1);
    expect(zone.hasName("_tcp.edge.test.")).toBe(true);
    expect([...zone.delegations]).toEqual(["sub.edge.test."]);
    expect(zone.delegationFor("a.b.sub.edge.test.")).toBe("sub.edge.test.");
    expect(zone.rdatas(zone.rrset("edge.test.", TYPE.SOA))).toHaveLength(1);
  });

  it("a bad snapshot throws and leaves the old zone in place", () => {
    const zones = new ZoneSet();
    zones.put("Z", fixtureZone("edge.test.", 1));
    const bad = fixtureZone("edge.test.", 2);
    bad.rrsets.push({ name: "x.edge.test.", type: "A", ttl: 60, records: ["not-an-address"] });
    expect(() => zones.put("Z", bad)).toThrow(ZoneLoadError);
    const outside = fixtureZone("edge.test.", 2);
    outside.rrsets.push({ name: "x.other.test.", type: "A", ttl: 60, records: ["192.0.2.1"] });
    expect(() => zones.put("Z", outside)).toThrow(ZoneLoadError);
    expect(zones.serialOf("Z")).toBe(1);
  });

  it("swaps are atomic: AXFRs during constant swapping each see exactly one serial", async () => {
    const zones = new ZoneSet();
    const snap = (serial: number) => {
      const z = bigSnapshot(3000, serial);
      z.rrsets.push({ name: "marker.big.test.", type: "TXT", ttl: 60, records: [`"serial ${serial}"`] });
      return z;
    };
    let serial = 100;
    zones.put("Z", snap(serial));
    const server = await startDnsServer({
      host: "127.0.0.1",
      port: 0,
      zones,
      transfer: { allow: ["127.0.0.1"], tsigKeys: [], requireTsig: false },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const pre = Array.from({ length: 8 }, (_, i) => snap(101 + i));
    const timer = setInterval(() => {
      serial++;
      const next = pre[(serial - 101) % pre.length] as SnapshotContent;
      zones.put("Z", next);
    }, 5);
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const r = await run("dig", [
          "@127.0.0.1",
          "-p",
          String(server.port),
          "+time=5",
          "+tries=1",
          "big.test",
          "AXFR",
        ]);
        const lines = r.stdout.split("\n").filter((l) => l && !l.startsWith(";"));
        const soaSerials = lines.filter((l) => /\tSOA\t/.test(l)).map((l) => l.split(/\s+/)[6]);
        const marker = lines.find((l) => l.startsWith("marker.big.test."));
        expect(soaSerials).toHaveLength(2);
        expect(soaSerials[0]).toBe(soaSerials[1]);
        expect(marker).toContain(`"serial ${soaSerials[0]}"`);
        seen.add(soaSerials[0] as string);
      }
      expect(seen.size).toBeGreaterThan(1);
    } finally {
      clearInterval(timer);
      await server.close();
    }
  });
});
