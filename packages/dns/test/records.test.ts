import { describe, expect, it } from "vitest";
import {
  canonicalRecord,
  canonicalRecords,
  DnsInputError,
  DnsRecordsError,
  isRecordType,
  RECORD_TYPES,
  type RecordType,
  rdataFromWire,
  rdataToWire,
  TYPE_CODES,
} from "../src/index.js";
import { INVALID, VALID } from "./vectors.js";

describe("record types", () => {
  it("lists the client-writable types", () => {
    expect([...RECORD_TYPES].sort()).toEqual(Object.keys(VALID).sort());
    for (const t of RECORD_TYPES) expect(isRecordType(t)).toBe(true);
    for (const t of ["SOA", "a", "ANY", "DNSKEY", "", "toString", "constructor"])
      expect(isRecordType(t)).toBe(false);
  });

  it("has IANA type codes", () => {
    expect(TYPE_CODES).toMatchObject({
      A: 1,
      NS: 2,
      CNAME: 5,
      SOA: 6,
      PTR: 12,
      MX: 15,
      TXT: 16,
      AAAA: 28,
      SRV: 33,
      NAPTR: 35,
      DS: 43,
      SSHFP: 44,
      TLSA: 52,
      SVCB: 64,
      HTTPS: 65,
      SPF: 99,
      CAA: 257,
    });
    expect(Object.keys(TYPE_CODES).length).toBe(RECORD_TYPES.length + 8); // + SOA and the 7 DNSSEC types
  });

  it("rejects unknown types at run time", () => {
    expect(() => canonicalRecord("SOA" as RecordType, ". . 1 2 3 4 5")).toThrow(
      "unsupported record type SOA",
    );
    expect(() => canonicalRecord("a" as RecordType, "1.2.3.4")).toThrow(DnsInputError);
  });
});

const validCases = Object.entries(VALID).flatMap(([type, cases]) =>
  cases.map(([input, canonical]) => [type as RecordType, input, canonical] as const),
);
const invalidCases = Object.entries(INVALID).flatMap(([type, cases]) =>
  cases.map(([input, message]) => [type as RecordType, input, message] as const),
);

describe("canonicalRecord: valid input", () => {
  it.each(validCases)("%s %j -> %j", (type, input, canonical) => {
    expect(canonicalRecord(type, input)).toBe(canonical);
  });

  it.each(validCases)("%s %j is idempotent", (type, _input, canonical) => {
    expect(canonicalRecord(type, canonical)).toBe(canonical);
  });
});

describe("canonicalRecord: invalid input", () => {
  it.each(invalidCases)("%s %j throws %j", (type, input, message) => {
    let error: unknown;
    try {
      canonicalRecord(type, input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DnsInputError);
    expect((error as Error).message).toContain(message);
  });
});

describe("wire round trip", () => {
  it.each(validCases)("%s %j: canonical -> wire -> canonical", (type, input, canonical) => {
    const wire = rdataToWire(type, canonical);
    expect(rdataToWire(type, input)).toEqual(wire);
    expect(rdataFromWire(type, wire)).toBe(canonical);
  });
});

describe("canonicalRecords", () => {
  it("canonicalises and sorts", () => {
    expect(canonicalRecords("A", ["10.0.0.2", "10.0.0.10", "10.0.0.1"])).toEqual([
      "10.0.0.1",
      "10.0.0.10",
      "10.0.0.2",
    ]);
    expect(canonicalRecords("MX", ["20 B.example.com", "10 a.example.com."])).toEqual([
      "10 a.example.com.",
      "20 b.example.com.",
    ]);
    expect(canonicalRecords("TXT", ["b", '"a"', '"B"'])).toEqual(['"B"', '"a"', '"b"']);
  });

  it("returns [] for an empty rrset", () => {
    expect(canonicalRecords("A", [])).toEqual([]);
  });

  it("is order independent", () => {
    const a = canonicalRecords("AAAA", ["2001:db8::1", "2001:DB8::2", "::1"]);
    const b = canonicalRecords("AAAA", ["::1", "2001:db8::2", "2001:db8:0::1"]);
    expect(a).toEqual(b);
  });

  it("reports every bad record and duplicates after canonicalisation", () => {
    let error: unknown;
    try {
      canonicalRecords("A", ["1.2.3.4", "nope", "1.2.3.4", "256.0.0.1", " 1.2.3.4 ", "5.6.7.8"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DnsRecordsError);
    const issues = (error as DnsRecordsError).issues;
    expect(issues).toEqual([
      { index: 1, message: "invalid IPv4 address" },
      { index: 2, message: "duplicate of records[0]" },
      { index: 3, message: "invalid IPv4 address" },
      { index: 4, message: "duplicate of records[0]" },
    ]);
    expect((error as Error).message).toContain("records[1]: invalid IPv4 address");
  });

  it("detects duplicates that differ only in spelling", () => {
    expect(() => canonicalRecords("CAA", ['0 issue "ca.example"', "0 ISSUE ca.example"])).toThrow(
      "duplicate of records[0]",
    );
    expect(() => canonicalRecords("AAAA", ["::ffff:1.2.3.4", "0:0:0:0:0:ffff:102:304"])).toThrow(
      "duplicate of records[0]",
    );
  });

  it("allows only one CNAME record", () => {
    expect(canonicalRecords("CNAME", ["Target.example.com"])).toEqual(["target.example.com."]);
    try {
      canonicalRecords("CNAME", ["a.example.com", "b.example.com"]);
      expect.unreachable();
    } catch (e) {
      expect((e as DnsRecordsError).issues).toEqual([
        { index: 1, message: "a CNAME rrset can hold only one record" },
      ]);
    }
  });

  it("rejects non-string records from untyped callers", () => {
    expect(() => canonicalRecords("A", [1 as unknown as string])).toThrow("record must be a string");
  });
});

describe("size limits", () => {
  it("splits long TXT strings into 255-octet chunks", () => {
    const s = "x".repeat(600);
    const canonical = canonicalRecord("TXT", s);
    expect(canonical).toBe(`"${"x".repeat(255)}" "${"x".repeat(255)}" "${"x".repeat(90)}"`);
    const wire = rdataToWire("TXT", canonical);
    expect(wire.length).toBe(603);
    expect(wire[0]).toBe(255);
    expect(wire[256]).toBe(255);
    expect(wire[512]).toBe(90);
  });

  it("splits by octets, not characters", () => {
    const s = "é".repeat(200); // 400 octets
    const canonical = canonicalRecord("TXT", s);
    const wire = rdataToWire("TXT", canonical);
    expect(wire.length).toBe(402);
    expect(wire[0]).toBe(255);
    expect(wire[256]).toBe(145);
  });

  it("accepts RDATA of exactly 65535 octets and rejects 65536", () => {
    // One unquoted string of 255*255+254 octets -> 255 chunks of 255 and one of 254: 65535 octets.
    const fits = "x".repeat(255 * 255 + 254);
    expect(rdataToWire("TXT", canonicalRecord("TXT", fits)).length).toBe(65535);
    expect(() => canonicalRecord("TXT", `${fits}y`)).toThrow("record data longer than 65535 octets");
  });
});

describe("rdataFromWire: bad wire data", () => {
  const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
  it.each([
    ["A", "010203", "RDATA is truncated"],
    ["A", "0102030405", "unexpected trailing octets"],
    ["AAAA", "00", "RDATA is truncated"],
    ["CNAME", "03666f6f", "RDATA is truncated"],
    ["CNAME", "c00c", "compressed"],
    ["CNAME", "00", "root"],
    ["CNAME", "0366206f00", "unsupported character"],
    ["NS", "03777777076578616d706c6503636f6d0000", "unexpected trailing octets"],
    ["MX", "000a", "RDATA is truncated"],
    ["TXT", "", "at least one string"],
    ["TXT", "05616263", "RDATA is truncated"],
    ["CAA", "0000", "CAA tag"],
    ["CAA", "0003612d62", "CAA tag"],
    ["DS", "303908020102", "must be 32 octets"],
    ["DS", "30390802", "must not be empty"],
    ["SSHFP", "010201", "must be 32 octets"],
    ["TLSA", "030101", "must not be empty"],
    ["SVCB", "000100 0001000568322c6833", "invalid alpn value"],
    ["SVCB", "000100 00010003026832 00", "RDATA is truncated"],
    ["SVCB", "000100 0001000100", "alpn contains an empty protocol id"],
    ["SVCB", "000100 0003000201bb 0001000302683200", "increasing order"],
    ["SVCB", "000100 0003000201bb 0003000201bb", "increasing order"],
    ["SVCB", "000000 0003000201bb", "AliasMode"],
    ["SVCB", "000100 00000002 0003", "mandatory lists port but it is not present"],
    ["SVCB", "000100 0002 00", "RDATA is truncated"],
    ["SVCB", "000100 00020000", "no-default-alpn requires alpn"],
    ["SVCB", "000100 0004000301020304", "invalid ipv4hint"],
    ["SVCB", "000100 ffff0000", "key65535 is reserved"],
    ["HTTPS", "000100 000700052f61626364", "dohpath"],
    ["NAPTR", "00640064 0175 00", "RDATA is truncated"],
  ] as const)("%s %s -> %s", (type, data, message) => {
    expect(() => rdataFromWire(type, hex(data))).toThrow(message);
  });

  it("rejects oversized input", () => {
    expect(() => rdataFromWire("TXT", new Uint8Array(65536))).toThrow("65535");
  });
});

describe("wire vectors", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  it.each([
    ["A", "192.0.2.1", "c0000201"],
    ["AAAA", "2001:db8::1", "20010db8000000000000000000000001"],
    ["CNAME", "www.example.com.", "03777777076578616d706c6503636f6d00"],
    ["MX", "10 mx.example.", "000a026d78076578616d706c6500"],
    ["MX", "0 .", "000000"],
    ["SRV", "10 20 5060 sip.example.", "000a001413c4037369700765 78616d706c6500"],
    ["TXT", '"ab" ""', "02616200"],
    ["CAA", '0 issue "ca.example"', "0005697373756563612e6578616d706c65"],
    [
      "DS",
      "1 8 1 0123456789ABCDEF0123456789ABCDEF01234567",
      "000108010123456789abcdef0123456789abcdef01234567",
    ],
    ["SSHFP", `4 2 ${"AB".repeat(32)}`, `0402${"ab".repeat(32)}`],
    ["TLSA", "3 1 0 00FF", "03010000ff"],
    [
      "NAPTR",
      '10 20 "S" "SIP+D2U" "" _sip._udp.example.',
      "000a0014015307534950 2b443255 00 045f736970 045f756470 076578616d706c65 00",
    ],
    [
      "HTTPS",
      '1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1',
      "0001 00 0001 0006 026832 026833 0003 0002 20fb 0004 0004 c0000201",
    ],
    ["SVCB", "0 svc.example.", "0000 03737663 076578616d706c65 00"],
    [
      "SVCB",
      '16 foo.example.org. mandatory=alpn,ipv4hint alpn="h2,h3-19" ipv4hint=192.0.2.1',
      "0010 03666f6f076578616d706c65036f726700 0000 0004 0001 0004 0001 0009 026832 05 68332d3139 0004 0004 c0000201",
    ],
    [
      "SOA",
      "ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300",
      "036e7331076578616d706c6500 0a686f73746d6173746572076578616d706c6500 78a3f175 00001c20 00000e10 00127500 0000012c",
    ],
  ] as const)("%s %j", (type, text, expected) => {
    const wire = rdataToWire(type, text);
    expect(hex(wire)).toBe(expected.replace(/\s+/g, ""));
    expect(rdataFromWire(type, wire)).toBe(text);
  });
});

describe("SOA", () => {
  it("canonicalises via the wire functions", () => {
    const wire = rdataToWire("SOA", "NS1.Example.COM Hostmaster.example.com. 1 7200 3600 1209600 0300");
    expect(rdataFromWire("SOA", wire)).toBe(
      "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
    );
  });

  it.each([
    ["ns1.example. hostmaster.example. 1 2 3 4", "expected mname rname serial"],
    ["ns1.example. hostmaster.example. 4294967296 2 3 4 5", "SOA serial"],
    ["ns1.example. hostmaster.example. 1h 2 3 4 5", "SOA serial"],
    ["ns1.example. hostmaster.example. 1 2 3 4 1h", "SOA minimum"],
  ])("rejects %j", (text, message) => {
    expect(() => rdataToWire("SOA", text)).toThrow(message);
  });
});
