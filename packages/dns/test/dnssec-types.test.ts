/**
 * The DNSSEC record types (wire-only, like SOA): presentation <-> wire. The forms below are the ones
 * @dnscove/dnssec writes (its own test output); apps/edge/test/dnssec-*.test.ts round-trips every
 * record of zones it signs, and compares what Knot serves from the same zone file.
 */
import { describe, expect, it } from "vitest";
import {
  canonicalRecord,
  isRecordType,
  type RecordType,
  rdataFromWire,
  rdataToWire,
  typeCodeOf,
} from "../src/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("DNSSEC record types", () => {
  it("are not client-writable", () => {
    for (const t of ["DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY"]) {
      expect(isRecordType(t)).toBe(false);
      expect(() => canonicalRecord(t as RecordType, "0")).toThrow(`unsupported record type ${t}`);
    }
  });

  const cases: [string, string, string][] = [
    // type, canonical presentation, wire (hex)
    ["DNSKEY", "257 3 13 AQID", "0101030d010203"],
    ["CDNSKEY", "0 3 0 AA==", "0000030000"],
    ["CDS", "0 0 0 00", "0000000000"],
    ["NSEC3PARAM", "1 0 0 -", "0100000000"],
    ["NSEC3PARAM", "1 1 10 AABB", "0101000a02aabb"],
    ["NSEC3", "1 0 0 - 0123456789abcdefghijklmnopqrstuv A NS SOA RRSIG DNSKEY NSEC3PARAM", ""],
    [
      "RRSIG",
      "A 13 2 300 20260101000000 20251201000000 12345 example. AQIDBA==",
      "0001" +
        "0d" +
        "02" +
        "0000012c" +
        "6955b900" +
        "692cda80" +
        "3039" +
        "076578616d706c6500" +
        "01020304",
    ],
  ];

  it.each(cases.slice(0, 5))("%s %s", (type, text, wire) => {
    const w = rdataToWire(type as "DNSKEY", text);
    expect(hex(w)).toBe(wire);
    expect(rdataFromWire(type as "DNSKEY", w)).toBe(text);
  });

  it("NSEC3: base32hex next owner and the type bitmap", () => {
    const [, text] = cases[5] as [string, string, string];
    const w = rdataToWire("NSEC3", text);
    // alg 1, flags 0, iterations 0, salt length 0, hash length 20, 20 octets, bitmap window 0.
    expect(hex(w.subarray(0, 6))).toBe("010000000014");
    expect(hex(w.subarray(6, 26))).toBe("00443214c74254b635cf84653a56d7c675be77df");
    // A(1) NS(2) SOA(6) RRSIG(46) DNSKEY(48) NSEC3PARAM(51): window 0, 7 octets.
    expect(hex(w.subarray(26))).toBe("00076200000000029" + "0");
    expect(rdataFromWire("NSEC3", w)).toBe(text);
    // dig and Knot print the hash in upper case.
    expect(
      rdataToWire(
        "NSEC3",
        text.replace("0123456789abcdefghijklmnopqrstuv", "0123456789ABCDEFGHIJKLMNOPQRSTUV"),
      ),
    ).toEqual(w);
  });

  it("type bitmaps: windows, TYPEnnn and order", () => {
    const w = rdataToWire("NSEC", "b.example. TYPE1234 NSEC A RRSIG MX");
    expect(rdataFromWire("NSEC", w)).toBe("b.example. A MX RRSIG NSEC TYPE1234");
    // window 0: A(1) MX(15) RRSIG(46) NSEC(47) -> 6 octets; window 4: 1234 = 0x4d2 -> octet 26, bit 2.
    expect(hex(w.subarray(11))).toBe(`0006400100000003041b${"00".repeat(26)}20`);
    expect(typeCodeOf("type65534")).toBe(65534);
    expect(typeCodeOf("TYPE65536")).toBeUndefined();
  });

  it("RRSIG: times as YYYYMMDDHHmmSS or seconds, split base64", () => {
    const [, text, wire] = cases[6] as [string, string, string];
    expect(hex(rdataToWire("RRSIG", text))).toBe(wire);
    expect(rdataFromWire("RRSIG", Buffer.from(wire, "hex"))).toBe(text);
    const seconds = "A 13 2 300 1767225600 1764547200 12345 EXAMPLE. AQID BA==";
    expect(rdataFromWire("RRSIG", rdataToWire("RRSIG", seconds))).toBe(text);
  });

  it("rejects malformed DNSSEC records", () => {
    expect(() => rdataToWire("RRSIG", "A 13 2 300 20261301000000 20251201000000 1 example. AA==")).toThrow(
      "RRSIG expiration",
    );
    expect(() => rdataToWire("RRSIG", "BOGUS 13 2 300 1 2 3 example. AA==")).toThrow("RRSIG type covered");
    expect(() => rdataToWire("NSEC3", "1 0 0 - zz A")).toThrow("base32hex");
    expect(() => rdataToWire("DNSKEY", "257 3 13 not*base64")).toThrow("base64");
    expect(() => rdataFromWire("NSEC", Buffer.from("00" + "0100", "hex"))).toThrow("type bitmap");
    expect(() => rdataFromWire("NSEC", Buffer.from("00" + "010101" + "0001ff", "hex"))).toThrow(
      "out of order",
    );
  });
});
