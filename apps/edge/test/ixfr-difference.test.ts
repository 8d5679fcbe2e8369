/**
 * IXFR (RFC 1995) from the change journal, at the level of the response builder: the condensed
 * difference sequence and its fallbacks, first as records, then through a real DNS server read by
 * kdig (which checks the IXFR framing and, with a key, the TSIG of every message). The journal here
 * is a small in-memory ZoneHistory; the journal in the database and real secondaries are exercised
 * by ixfr-secondaries.test.ts.
 */
import type { JournalEntry } from "@dnscove/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer } from "../src/server/dns-server.js";
import { ixfrDifference } from "../src/transfer/ixfr-difference.js";
import type { ZoneHistory } from "../src/transfer/zone-history.js";
import type { TransferReport } from "../src/transfer/zone-transfer.js";
import { CLASS_IN, OPCODE, TYPE } from "../src/wire/constants.js";
import { decodeMessage } from "../src/wire/decode-message.js";
import { MessageBuilder } from "../src/wire/message-builder.js";
import { keyToWire, toKey } from "../src/wire/names.js";
import type { RRsetChange } from "../src/zones/loaded-zone.js";
import { ZoneSet } from "../src/zones/zone-set.js";
import { run } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";
import { frame, query, TcpClient } from "./helpers/raw-client.js";

const ORIGIN = "ixfr.test.";
/** An IXFR request with the client's SOA (serial `serial`) in the authority section (RFC 1995 section 3). */
function ixfrQuery(id: number, origin: string, serial: number): Buffer {
  const key = toKey(origin);
  const b = new MessageBuilder(512, { id, opcode: OPCODE.QUERY, rcode: 0, qr: false });
  b.addQuestion(keyToWire(key), key, TYPE.IXFR, CLASS_IN);
  const rdata = Buffer.alloc(2 + 20); // MNAME ".", RNAME ".", SERIAL and four zero timers
  rdata.writeUInt32BE(serial, 2);
  b.addRRset("authority", [{ owner: key, type: TYPE.SOA, ttl: 0, rdata }]);
  return b.finish();
}

const rr = (ttl: number, records: string[]) => ({ ttl, records: JSON.stringify(records) });

/** The journal's net change from serial 3 to 5, and the same change as the edge applies it. */
const ENTRIES: JournalEntry[] = [
  // One record kept, one deleted, one added.
  {
    name: `host.${ORIGIN}`,
    type: "A",
    before: rr(300, ["192.0.2.10", "192.0.2.11"]),
    after: rr(300, ["192.0.2.10", "192.0.2.12"]),
  },
  // TTL change: the whole rrset goes and comes back.
  { name: `txt.${ORIGIN}`, type: "TXT", before: rr(300, ['"single"']), after: rr(600, ['"single"']) },
  { name: `mail.${ORIGIN}`, type: "A", before: rr(300, ["192.0.2.25"]), after: null },
  { name: `fresh.${ORIGIN}`, type: "AAAA", before: null, after: rr(60, ["2001:db8::7"]) },
  // SOA rows are framing, never part of the difference.
  {
    name: ORIGIN,
    type: "SOA",
    before: rr(3600, [`ns1.${ORIGIN} hostmaster.${ORIGIN} 3 3600 600 86400 300`]),
    after: rr(3600, [`ns1.${ORIGIN} hostmaster.${ORIGIN} 5 3600 600 86400 300`]),
  },
];

function zonesAt(serial: 3 | 5): ZoneSet {
  const zones = new ZoneSet();
  const base = fixtureZone(ORIGIN, 3);
  const host = base.rrsets.find((r) => r.name === `host.${ORIGIN}` && r.type === "A");
  if (host) host.records = ["192.0.2.10", "192.0.2.11"];
  zones.put("Z", base);
  if (serial === 5) {
    const changes: RRsetChange[] = ENTRIES.filter((e) => e.type !== "SOA").map((e) =>
      e.after
        ? { name: e.name, type: e.type, ttl: e.after.ttl, records: JSON.parse(e.after.records) as string[] }
        : { name: e.name, type: e.type },
    );
    zones.apply("Z", 5, changes);
  }
  return zones;
}

const text = (r: { owner: string; type: number; ttl: number; rdata: Uint8Array }) =>
  `${r.owner} ${r.ttl} ${r.type} ${Buffer.from(r.rdata).toString("hex")}`;

describe("ixfrDifference", () => {
  it("frames the condensed difference with SOA(S), SOA(C), deletions, SOA(S), additions, SOA(S)", () => {
    const zone = zonesAt(5).get("Z");
    if (!zone) throw new Error("no zone");
    const diff = ixfrDifference(zone, 3, ENTRIES);
    if (!diff) throw new Error("no difference");
    const types = diff.records.map((r) => `${r.owner} ${r.type} ${r.ttl}`);
    expect(types).toEqual([
      `${ORIGIN} ${TYPE.SOA} 3600`,
      `${ORIGIN} ${TYPE.SOA} 3600`,
      `host.${ORIGIN} ${TYPE.A} 300`,
      `txt.${ORIGIN} ${TYPE.TXT} 300`,
      `mail.${ORIGIN} ${TYPE.A} 300`,
      `${ORIGIN} ${TYPE.SOA} 3600`,
      `host.${ORIGIN} ${TYPE.A} 300`,
      `txt.${ORIGIN} ${TYPE.TXT} 600`,
      `fresh.${ORIGIN} ${TYPE.AAAA} 60`,
      `${ORIGIN} ${TYPE.SOA} 3600`,
    ]);
    expect(Buffer.from(diff.records[2]?.rdata ?? []).toString("hex")).toBe("c000020b"); // 192.0.2.11
    expect(Buffer.from(diff.records[6]?.rdata ?? []).toString("hex")).toBe("c000020c"); // 192.0.2.12
    // SOA(S) three times, identical; SOA(C) the same record with serial 3.
    const [s1, c, , , , s2, , , , s3] = diff.records.map((r) => (r ? text(r) : ""));
    expect(s2).toBe(s1);
    expect(s3).toBe(s1);
    expect(c).not.toBe(s1);
    const serialOf = (rdata: Uint8Array) => {
      const b = Buffer.from(rdata);
      return b.readUInt32BE(b.length - 20);
    };
    expect(serialOf(diff.records[0]?.rdata as Uint8Array)).toBe(5);
    expect(serialOf(diff.records[1]?.rdata as Uint8Array)).toBe(3);
    expect({ deleted: diff.deleted, added: diff.added }).toEqual({ deleted: 3, added: 3 });
  });

  it("gives up (null) only when the difference has more records than the zone", () => {
    const zone = zonesAt(5).get("Z");
    if (!zone) throw new Error("no zone");
    let records = 0;
    for (const { owner, ref } of zone.transferRRsets()) records += zone.toWire(ref, owner).length;
    expect(records).toBeGreaterThan(zone.rrsetCount); // so the rrset count alone would be wrong
    const added = (n: number): JournalEntry[] =>
      Array.from({ length: n }, (_, i) => ({
        name: `n${i}.${ORIGIN}`,
        type: "A",
        before: null,
        after: rr(60, ["198.51.100.1"]),
      }));
    expect(ixfrDifference(zone, 3, added(records))?.added).toBe(records);
    expect(ixfrDifference(zone, 3, added(records + 1))).toBeNull();
  });
});

describe("IXFR through the DNS server, read by kdig", () => {
  const KEY = {
    name: "ixfr-key",
    algorithm: "hmac-sha256" as const,
    secret: Buffer.alloc(32, 7).toString("base64"),
  };
  const zones = zonesAt(5);
  const reports: TransferReport[] = [];
  let mode: "ok" | "slow" | "gone" | "down" | "big" | "moving" = "ok";
  const asked: [number, number][] = [];
  const history: ZoneHistory = {
    async diff(zoneId, from, to, maxRows) {
      expect(zoneId).toBe("Z");
      expect(maxRows).toBe(zones.get("Z")?.rrsetCount);
      asked.push([from, to]);
      await new Promise((resolve) => (mode === "slow" ? setTimeout(resolve, 300) : setImmediate(resolve)));
      if (mode === "down") throw new Error("database unreachable");
      if (mode === "gone") return null;
      if (mode === "big") return "too-big";
      if (mode === "moving" && to === 5) {
        // The sync applies serial 6 while the journal is being read.
        zones.apply("Z", 6, [{ name: `moved.${ORIGIN}`, type: "A", ttl: 60, records: ["192.0.2.66"] }]);
        return ENTRIES;
      }
      if (to === 6)
        return [
          ...ENTRIES,
          { name: `moved.${ORIGIN}`, type: "A", before: null, after: rr(60, ["192.0.2.66"]) },
        ];
      return ENTRIES;
    },
  };
  let server: Awaited<ReturnType<typeof startDnsServer>>;
  beforeAll(async () => {
    server = await startDnsServer({
      host: "127.0.0.1",
      port: 0,
      zones,
      transfer: { allow: ["127.0.0.0/8"], tsigKeys: [KEY], requireTsig: false },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      history,
      onTransfer: (r) => reports.push(r),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const kdig = async (serial: number, extra: string[] = []) => {
    const out = await run("kdig", [
      "-p",
      String(server.port),
      "@127.0.0.1",
      ORIGIN,
      `IXFR=${serial}`,
      "+nocomments",
      "+nostats",
      ...extra,
    ]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    return out.stdout
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith(";"))
      .map((l) => l.trim().split(/\s+/));
  };

  it("answers a client behind with the difference, TSIG-signed on every message", async () => {
    mode = "ok";
    reports.length = 0;
    const lines = await kdig(3, ["-y", `hmac-sha256:${KEY.name}:${KEY.secret}`]);
    // kdig checked the TSIG of every message (it fails otherwise); the last one is printed.
    expect(lines.at(-1)?.[3]).toBe("TSIG");
    const seq = lines
      .slice(0, -1)
      .map((f) => `${f[0]} ${f[3]} ${f[3] === "SOA" ? f[6] : f.slice(4).join(" ")}`);
    expect(seq).toEqual([
      `${ORIGIN} SOA 5`,
      `${ORIGIN} SOA 3`,
      `host.${ORIGIN} A 192.0.2.11`,
      `txt.${ORIGIN} TXT "single"`,
      `mail.${ORIGIN} A 192.0.2.25`,
      `${ORIGIN} SOA 5`,
      `host.${ORIGIN} A 192.0.2.12`,
      `txt.${ORIGIN} TXT "single"`,
      `fresh.${ORIGIN} AAAA 2001:db8::7`,
      `${ORIGIN} SOA 5`,
    ]);
    expect(reports).toMatchObject([{ form: "difference", clientSerial: 3, serial: 5, deleted: 3, added: 3 }]);
  });

  it("keeps a pipelined query's answer behind the IXFR read before it on the same connection", async () => {
    mode = "slow";
    const client = await TcpClient.open(server.port);
    try {
      client.socket.write(Buffer.concat([frame(ixfrQuery(1, ORIGIN, 3)), frame(query(2, ORIGIN, TYPE.SOA))]));
      expect(await client.waitFor(2, 10_000)).toBe(true);
      expect(client.responses.map((r) => r.readUInt16BE(0))).toEqual([1, 2]);
      const ixfr = decodeMessage(client.responses[0] as Buffer);
      expect(ixfr.answers.length).toBe(10);
    } finally {
      client.close();
    }
  });

  it("answers an up-to-date client with the SOA alone, without reading the journal", async () => {
    asked.length = 0;
    const lines = await kdig(5);
    expect(lines.map((f) => f[3])).toEqual(["SOA"]);
    expect(asked).toEqual([]);
  });

  it.each([
    { mode: "gone" as const, fallback: "history does not reach back" },
    { mode: "down" as const, fallback: "history unreadable" },
    { mode: "big" as const, fallback: "difference bigger than the zone" },
  ])("sends the whole zone in AXFR form when the history is $mode", async (c) => {
    mode = c.mode;
    reports.length = 0;
    const lines = await kdig(3);
    const soas = lines.filter((f) => f[3] === "SOA").map((f) => f[6]);
    expect(soas).toEqual(["5", "5"]);
    const zone = zones.get("Z");
    if (!zone) throw new Error("no zone");
    let records = 1; // the closing SOA
    for (const { owner, ref } of zone.transferRRsets()) records += zone.toWire(ref, owner).length;
    expect(lines.length).toBe(records);
    expect(reports).toMatchObject([{ form: "axfr", fallback: c.fallback, clientSerial: 3 }]);
  });

  it("reads again when the served serial moves during the read, and answers for the new serial", async () => {
    mode = "moving";
    reports.length = 0;
    asked.length = 0;
    const lines = await kdig(3);
    expect(asked).toEqual([
      [3, 5],
      [3, 6],
    ]);
    const soas = lines.filter((f) => f[3] === "SOA").map((f) => f[6]);
    expect(soas).toEqual(["6", "3", "6", "6"]);
    expect(lines.some((f) => f[0] === `moved.${ORIGIN}` && f[4] === "192.0.2.66")).toBe(true);
    expect(reports).toMatchObject([{ form: "difference", clientSerial: 3, serial: 6 }]);
  });
});
