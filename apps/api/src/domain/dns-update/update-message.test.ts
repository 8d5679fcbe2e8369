/**
 * readUpdate on hand-built wire messages (decoded by the edge's real decoder): the RCODE of each
 * structural rule of RFC 2136 §3.1.1, §3.2.1 and §3.4.1 (FORMERR, NOTZONE, NOTAUTH, REFUSED), and
 * what a well-formed message reads as.
 */
import { decodeMessage } from "@dnscove/edge";
import { describe, expect, it } from "vitest";
import { readUpdate, UPDATE_RCODE, UpdateRefused } from "./update-message.js";

const IN = 1;
const CH = 3;
const NONE = 254;
const ANY = 255;
const T = { A: 1, NS: 2, SOA: 6, MX: 15, TXT: 16, AXFR: 252, ANY: 255, RRSIG: 46 } as const;

function name(n: string): Buffer {
  const labels = n.split(".").filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

interface RR {
  name: string;
  type: number;
  klass: number;
  ttl?: number;
  rdata?: Buffer;
}

function rr(r: RR): Buffer {
  const rdata = r.rdata ?? Buffer.alloc(0);
  const head = Buffer.alloc(10);
  head.writeUInt16BE(r.type, 0);
  head.writeUInt16BE(r.klass, 2);
  head.writeUInt32BE(r.ttl ?? 0, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name(r.name), head, rdata]);
}

/** An UPDATE message: zone section entries (name, type, class), prerequisites, updates. */
function message(parts: {
  zones?: { name: string; type: number; klass: number }[];
  prereqs?: RR[];
  updates?: RR[];
}): Buffer {
  const zones = parts.zones ?? [{ name: "example.com", type: T.SOA, klass: IN }];
  const prereqs = parts.prereqs ?? [];
  const updates = parts.updates ?? [];
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0x4242, 0);
  head.writeUInt16BE(5 << 11, 2);
  head.writeUInt16BE(zones.length, 4);
  head.writeUInt16BE(prereqs.length, 6);
  head.writeUInt16BE(updates.length, 8);
  const zoneBytes = zones.map((z) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(z.type, 0);
    tail.writeUInt16BE(z.klass, 2);
    return Buffer.concat([name(z.name), tail]);
  });
  return Buffer.concat([head, ...zoneBytes, ...prereqs.map(rr), ...updates.map(rr)]);
}

const a = (ip: string) => Buffer.from(ip.split(".").map(Number));

function rcodeOf(wire: Buffer): number | "accepted" {
  try {
    readUpdate(decodeMessage(wire));
    return "accepted";
  } catch (error) {
    if (error instanceof UpdateRefused) return error.rcode;
    throw error;
  }
}

describe("readUpdate: the zone section (RFC 2136 §3.1)", () => {
  it("FORMERR for a zone count other than 1", () => {
    const two = [
      { name: "example.com", type: T.SOA, klass: IN },
      { name: "example.net", type: T.SOA, klass: IN },
    ];
    expect(rcodeOf(message({ zones: two }))).toBe(UPDATE_RCODE.FORMERR);
    expect(rcodeOf(message({ zones: [] }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("FORMERR for a zone type other than SOA", () => {
    expect(rcodeOf(message({ zones: [{ name: "example.com", type: T.A, klass: IN }] }))).toBe(
      UPDATE_RCODE.FORMERR,
    );
  });

  it("NOTAUTH for a zone of another class (no zone of class CH is served)", () => {
    expect(rcodeOf(message({ zones: [{ name: "example.com", type: T.SOA, klass: CH }] }))).toBe(
      UPDATE_RCODE.NOTAUTH,
    );
  });
});

describe("readUpdate: prerequisites (RFC 2136 §3.2)", () => {
  it("FORMERR for a prerequisite with a TTL other than 0", () => {
    const prereqs = [{ name: "www.example.com", type: T.A, klass: ANY, ttl: 1 }];
    expect(rcodeOf(message({ prereqs }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("FORMERR for class ANY or NONE with RDATA", () => {
    for (const klass of [ANY, NONE]) {
      const prereqs = [{ name: "www.example.com", type: T.A, klass, rdata: a("192.0.2.1") }];
      expect(rcodeOf(message({ prereqs }))).toBe(UPDATE_RCODE.FORMERR);
    }
  });

  it("FORMERR for a class that is neither the zone's, ANY nor NONE", () => {
    const prereqs = [{ name: "www.example.com", type: T.A, klass: CH, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ prereqs }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("NOTZONE for a name outside the zone, including one that merely ends like it", () => {
    for (const outside of ["www.example.net", "badexample.com", "com"]) {
      const prereqs = [{ name: outside, type: T.ANY, klass: ANY }];
      expect(rcodeOf(message({ prereqs })), outside).toBe(UPDATE_RCODE.NOTZONE);
    }
  });

  it("reads each kind of prerequisite", () => {
    const request = readUpdate(
      decodeMessage(
        message({
          prereqs: [
            { name: "a.example.com", type: T.ANY, klass: ANY },
            { name: "b.example.com", type: T.ANY, klass: NONE },
            { name: "c.example.com", type: T.A, klass: ANY },
            { name: "d.example.com", type: T.TXT, klass: NONE },
            { name: "e.example.com", type: T.A, klass: IN, rdata: a("192.0.2.9") },
          ],
        }),
      ),
    );
    expect(request.zone).toBe("example.com.");
    expect(request.prerequisites).toEqual([
      { kind: "name-in-use", name: "a.example.com." },
      { kind: "name-not-in-use", name: "b.example.com." },
      { kind: "rrset-exists", name: "c.example.com.", type: "A" },
      { kind: "rrset-absent", name: "d.example.com.", type: "TXT" },
      { kind: "rrset-equals", name: "e.example.com.", type: "A", records: ["192.0.2.9"] },
    ]);
  });
});

describe("readUpdate: updates (RFC 2136 §3.4.1)", () => {
  it("FORMERR for the meta types (AXFR) and for type ANY with RDATA", () => {
    expect(rcodeOf(message({ updates: [{ name: "x.example.com", type: T.AXFR, klass: ANY }] }))).toBe(
      UPDATE_RCODE.FORMERR,
    );
    const anyIn = [{ name: "x.example.com", type: T.ANY, klass: IN, ttl: 300, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ updates: anyIn }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("FORMERR for TTL rules: class ANY and NONE carry TTL 0", () => {
    expect(rcodeOf(message({ updates: [{ name: "x.example.com", type: T.A, klass: ANY, ttl: 300 }] }))).toBe(
      UPDATE_RCODE.FORMERR,
    );
    const none = [{ name: "x.example.com", type: T.A, klass: NONE, ttl: 300, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ updates: none }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("FORMERR for class ANY with RDATA, and for a class that is neither IN, ANY nor NONE", () => {
    const anyData = [{ name: "x.example.com", type: T.A, klass: ANY, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ updates: anyData }))).toBe(UPDATE_RCODE.FORMERR);
    const chaos = [{ name: "x.example.com", type: T.A, klass: CH, ttl: 300, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ updates: chaos }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("FORMERR for RDATA that does not parse (an A record of 3 octets)", () => {
    const short = [
      { name: "x.example.com", type: T.A, klass: IN, ttl: 300, rdata: Buffer.from([192, 0, 2]) },
    ];
    expect(rcodeOf(message({ updates: short }))).toBe(UPDATE_RCODE.FORMERR);
  });

  it("NOTZONE for an update outside the zone", () => {
    const outside = [{ name: "www.example.org", type: T.A, klass: IN, ttl: 300, rdata: a("192.0.2.1") }];
    expect(rcodeOf(message({ updates: outside }))).toBe(UPDATE_RCODE.NOTZONE);
  });

  it("REFUSED for the apex SOA and NS and for DNSSEC types (system-managed)", () => {
    const apexNs = [{ name: "example.com", type: T.NS, klass: IN, ttl: 300, rdata: name("ns.example.net") }];
    expect(rcodeOf(message({ updates: apexNs }))).toBe(UPDATE_RCODE.REFUSED);
    expect(rcodeOf(message({ updates: [{ name: "example.com", type: T.SOA, klass: ANY }] }))).toBe(
      UPDATE_RCODE.REFUSED,
    );
    expect(rcodeOf(message({ updates: [{ name: "x.example.com", type: T.RRSIG, klass: ANY }] }))).toBe(
      UPDATE_RCODE.REFUSED,
    );
  });

  it("reads adds (TTL kept) and the three kinds of delete", () => {
    const mx = Buffer.concat([Buffer.from([0, 10]), name("mail.example.com")]);
    const request = readUpdate(
      decodeMessage(
        message({
          updates: [
            { name: "www.example.com", type: T.A, klass: IN, ttl: 120, rdata: a("192.0.2.1") },
            { name: "example.com", type: T.MX, klass: IN, ttl: 3600, rdata: mx },
            { name: "old.example.com", type: T.A, klass: ANY },
            { name: "gone.example.com", type: T.ANY, klass: ANY },
            { name: "www.example.com", type: T.A, klass: NONE, rdata: a("192.0.2.2") },
          ],
        }),
      ),
    );
    expect(request.updates).toEqual([
      { kind: "add", name: "www.example.com.", type: "A", ttl: 120, record: "192.0.2.1" },
      { kind: "add", name: "example.com.", type: "MX", ttl: 3600, record: "10 mail.example.com." },
      { kind: "delete-rrset", name: "old.example.com.", type: "A" },
      { kind: "delete-name", name: "gone.example.com." },
      { kind: "delete-record", name: "www.example.com.", type: "A", record: "192.0.2.2" },
    ]);
  });
});

describe("decodeMessage on bad counts (answered FORMERR by update-responder.ts)", () => {
  it("throws when a count promises more records than the message holds", () => {
    const wire = message({ updates: [{ name: "x.example.com", type: T.A, klass: ANY }] });
    wire.writeUInt16BE(3, 8);
    expect(() => decodeMessage(wire)).toThrow();
  });
});
